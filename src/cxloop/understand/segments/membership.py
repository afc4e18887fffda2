"""Segment membership with history: ``segment_members`` as an append-only log.

Each refresh computes who matches the rule now, compares it with the current state (for each
customer, the latest ``entered``/``left`` row), and appends one row per customer who entered or
left. A refresh that changes nothing writes nothing, so refreshing is idempotent and the log
says who entered and left, and when.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from cxloop.domain.segment import (
    MemberPage,
    MembershipChange,
    SegmentDefinition,
    SegmentDetail,
    SegmentMember,
    SegmentRefresh,
    SegmentSummary,
)
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema
from cxloop.understand.segments.member_lists import MemberListRule
from cxloop.understand.segments.options import SegmentOptions
from cxloop.understand.segments.rule_compiler import CheckedRule

ENTERED, LEFT = "entered", "left"
_EVENT_COLUMNS = ["member_id", "segment_id", "customer_id", "computed_at", "change", "refresh_id"]


def membership_state(warehouse: Warehouse, segment_ids: list[str] | None = None) -> ir.Table:
    """Current members: ``segment_id``, ``customer_id``, ``entered_at`` (their latest entry)."""
    log = warehouse.table("segment_members")
    if segment_ids is not None:
        log = log.filter(log.segment_id.isin(segment_ids))
    ranked = log.mutate(
        _rank=ibis.row_number().over(
            group_by=["segment_id", "customer_id"],
            order_by=[ibis.desc(log.computed_at), ibis.desc(log.member_id)],
        )
    )
    latest = ranked.filter(ranked._rank == 0)
    current = latest.filter(latest.change.fill_null(ENTERED) == ENTERED)
    return current.select("segment_id", "customer_id", entered_at=current.computed_at)


def refresh_segment(
    warehouse: Warehouse,
    definition: SegmentDefinition,
    rule: CheckedRule | MemberListRule,
    options: SegmentOptions,
    *,
    now: datetime | None = None,
) -> SegmentRefresh:
    """Bring one segment's membership up to date and record the definition in ``segments``.

    Returns who entered and who left; with no change, no row is written and ``refresh_id`` is
    None.
    """
    now = now or datetime.now(UTC)
    matching = warehouse.to_pyarrow(rule.members(warehouse.table, options).distinct())
    now_members = set(matching.column("customer_id").to_pylist()) - {None}
    state = warehouse.to_pyarrow(membership_state(warehouse, [definition.id]).select("customer_id"))
    before = set(state.column("customer_id").to_pylist())
    entered, left = sorted(now_members - before), sorted(before - now_members)
    refresh_id = uuid.uuid4().hex[:16] if entered or left else None
    with warehouse.transaction():
        _record_definition(warehouse, definition, now)
        if refresh_id is not None:
            rows = [(c, ENTERED) for c in entered] + [(c, LEFT) for c in left]
            data = pa.table(
                {
                    "member_id": [f"sm_{refresh_id}_{k}" for k in range(len(rows))],
                    "segment_id": [definition.id] * len(rows),
                    "customer_id": [c for c, _ in rows],
                    "computed_at": pa.array([now] * len(rows), pa.timestamp("us", tz="UTC")),
                    "change": [change for _, change in rows],
                    "refresh_id": [refresh_id] * len(rows),
                },
                schema=arrow_schema("segment_members", _EVENT_COLUMNS),
            )
            warehouse.append("segment_members", data)
    return SegmentRefresh(
        segment_id=definition.id, refresh_id=refresh_id, ts=now, as_of=options.as_of,
        members=len(now_members), entered=entered, left=left,
    )  # fmt: skip


def _record_definition(warehouse: Warehouse, definition: SegmentDefinition, now: datetime) -> None:
    document = definition.model_dump(mode="json", exclude_none=True)
    segments = warehouse.table("segments")
    stored = warehouse.to_pandas(
        segments.filter(segments.segment_id == definition.id).select("definition")
    )
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    if len(stored) and stored["definition"].iloc[0] == text:
        return
    row = pa.table(
        {
            "segment_id": [definition.id],
            "name": [definition.name],
            "kind": [definition.kind],
            "definition": [text],
            "created_at": pa.array([now], pa.timestamp("us", tz="UTC")),
        },
        schema=arrow_schema("segments", ["segment_id", "name", "kind", "definition", "created_at"]),
    )
    warehouse.replace("segments", row)


def member_counts(warehouse: Warehouse) -> dict[str, int]:
    """Current members per segment id."""
    state = membership_state(warehouse)
    frame = warehouse.to_pandas(state.group_by("segment_id").aggregate(n=state.count()))
    return {str(k): int(v) for k, v in zip(frame["segment_id"], frame["n"], strict=True)}


def membership_history(warehouse: Warehouse, segment_id: str) -> list[MembershipChange]:
    """Entries and exits per refresh, newest first."""
    log = warehouse.table("segment_members")
    log = log.filter(log.segment_id == segment_id)
    frame = warehouse.to_pandas(
        log.group_by("refresh_id").aggregate(
            ts=log.computed_at.max(),
            entered=(log.change.fill_null(ENTERED) == ENTERED).cast("int64").sum(),
            left=(log.change == LEFT).cast("int64").sum(),
        ).order_by(ibis.desc("ts"))
    )  # fmt: skip
    return [
        MembershipChange(
            refresh_id=row.refresh_id, ts=row.ts.to_pydatetime(),
            entered=int(row.entered), left=int(row.left),
        )
        for row in frame.itertuples(index=False)
    ]  # fmt: skip


def last_refreshed(warehouse: Warehouse) -> dict[str, datetime]:
    """When each segment's membership last changed."""
    log = warehouse.table("segment_members")
    frame = warehouse.to_pandas(log.group_by("segment_id").aggregate(ts=log.computed_at.max()))
    return {str(r.segment_id): r.ts.to_pydatetime() for r in frame.itertuples(index=False)}


def summaries(warehouse: Warehouse, definitions: list[SegmentDefinition]) -> list[SegmentSummary]:
    """Each definition with its current member count and last change."""
    counts, changed = member_counts(warehouse), last_refreshed(warehouse)
    return [
        SegmentSummary(
            id=d.id, name=d.name, description=d.description, rule=d.rule,
            listed=len(d.members) if d.members is not None else None,
            members=counts.get(d.id, 0), last_refreshed=changed.get(d.id),
            has_webhook=d.webhook is not None,
        )
        for d in definitions
    ]  # fmt: skip


def segment_detail(warehouse: Warehouse, definition: SegmentDefinition) -> SegmentDetail:
    """One segment with its member count and history."""
    summary = summaries(warehouse, [definition])[0]
    return SegmentDetail(
        **summary.model_dump(), history=membership_history(warehouse, definition.id)
    )


def member_page(warehouse: Warehouse, segment_id: str, limit: int, offset: int) -> MemberPage:
    """Current members, newest entries first, a page at a time."""
    state = membership_state(warehouse, [segment_id])
    total = int(warehouse.to_pandas(state.aggregate(n=state.count()))["n"].iloc[0])
    customers = warehouse.table("customers").select("customer_id", "name")
    ordered = state.order_by([ibis.desc("entered_at"), "customer_id"]).limit(limit, offset=offset)
    named = ordered.left_join(customers, "customer_id").select("customer_id", "entered_at", "name")
    page = warehouse.to_pandas(named.order_by([ibis.desc("entered_at"), "customer_id"]))
    members = [
        SegmentMember(
            customer_id=r.customer_id,
            name=None if pd.isna(r.name) else str(r.name),
            entered_at=r.entered_at.to_pydatetime(),
        )
        for r in page.itertuples(index=False)
    ]
    return MemberPage(segment_id=segment_id, total=total, limit=limit, offset=offset,
                      members=members)  # fmt: skip


def members_expr(warehouse: Warehouse, segment_id: str) -> ir.Table:
    """Current members of one segment for export: ``customer_id``, ``entered_at``."""
    state = membership_state(warehouse, [segment_id])
    return state.select("customer_id", "entered_at").order_by("customer_id")


def overlaps(warehouse: Warehouse, segment_ids: list[str]) -> dict[tuple[str, str], int]:
    """Customers in both segments, for every pair (and each segment with itself: its size)."""
    state = membership_state(warehouse, segment_ids).select("segment_id", "customer_id")
    other = state.view()
    pairs = state.join(other, state.customer_id == other.customer_id)
    frame = warehouse.to_pandas(
        pairs.group_by(a=state.segment_id, b=other.segment_id).aggregate(n=pairs.count())
    )
    return {(str(r.a), str(r.b)): int(r.n) for r in frame.itertuples(index=False)}
