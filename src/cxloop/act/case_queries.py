"""Reading cases: each case's state derived from its events, filtered lists, one case.

The state expression is pure Ibis (tables in, table out), so the inbox, ``cxloop cases list``
and ``GET /v1/cases`` read the same thing on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import ibis
import ibis.expr.types as ir

from cxloop.act.case_workflow import case_events
from cxloop.domain.case import (
    ACTIVE_STATUSES,
    PRIORITIES,
    STATUSES,
    CaseDetail,
    CasePage,
    CaseSummary,
)
from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse

MAX_PAGE = 500


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a list shows; None is no filter."""

    status: tuple[str, ...] | None = None
    team: str | None = None
    overdue: bool = False
    assignee: str | None = None
    priority: str | None = None
    customer_id: str | None = None

    def check(self) -> CaseFilter:
        for status in self.status or ():
            if status not in (*STATUSES, "active"):
                raise UsageError(f"status: {status!r}; use one of active, {', '.join(STATUSES)}")
        if self.priority is not None and self.priority not in PRIORITIES:
            raise UsageError(f"priority: {self.priority!r}; use one of {', '.join(PRIORITIES)}")
        return self


def case_state_expr(cases: ir.Table, events: ir.Table, now: datetime) -> ir.Table:
    """Every case with ``status``, ``assignee``, ``escalated``, ``resolution``,
    ``updated_at`` and ``overdue`` (active and past its due time at ``now``); ``team_id`` is
    the owning team after the latest reassignment."""
    ev = events
    latest = ev.mutate(
        _n=ibis.row_number().over(
            group_by=ev.case_id, order_by=[ibis.desc(ev.ts), ibis.desc(ev.case_event_id)]
        )
    )
    latest = latest.filter(latest._n == 0).select(
        _case=latest.case_id, status=latest.status, updated_at=latest.ts
    )
    # a reassignment hands the case to its team unassigned (or to the assignee it names)
    assigned = ev.filter(ev.assignee.notnull() | (ev.kind == "reassigned"))
    assigned = assigned.mutate(
        _n=ibis.row_number().over(
            group_by=assigned.case_id,
            order_by=[ibis.desc(assigned.ts), ibis.desc(assigned.case_event_id)],
        )
    )
    assigned = assigned.filter(assigned._n == 0).select(
        _acase=assigned.case_id, assignee=assigned.assignee
    )
    reassigned = ev.filter(ev.kind == "reassigned")
    reassigned = reassigned.mutate(
        _n=ibis.row_number().over(
            group_by=reassigned.case_id,
            order_by=[ibis.desc(reassigned.ts), ibis.desc(reassigned.case_event_id)],
        )
    )
    reassigned = reassigned.filter(reassigned._n == 0).select(
        _rcase=reassigned.case_id, _team=reassigned.team_id
    )
    # an escalation counts until the case is reopened or handed to another team
    opened = (
        ev.filter(ev.kind.isin(["opened", "reopened", "reassigned"]))
        .group_by(_ocase=ev.case_id)
        .aggregate(_since=ev.ts.max())
    )
    since = ev.join(opened, ev.case_id == opened._ocase)
    since = since.filter(since.ts >= since._since)
    flags = since.group_by(_fcase=since.case_id).aggregate(
        escalated=(since.kind == "escalated").any(),
        resolution=since.resolution.max(),
    )
    out = cases.join(latest, cases.case_id == latest._case)
    out = out.left_join(assigned, out.case_id == assigned._acase)
    out = out.left_join(flags, out.case_id == flags._fcase)
    out = out.left_join(reassigned, out.case_id == reassigned._rcase)
    out = out.mutate(team_id=out._team.fill_null(out.team_id))
    moment = ibis.literal(now, type="timestamp('UTC')")
    overdue = out.status.isin(list(ACTIVE_STATUSES)) & (out.due_at < moment)
    out = out.mutate(escalated=out.escalated.fill_null(False), overdue=overdue.fill_null(False))
    return out.drop("_case", "_acase", "_fcase", "_rcase", "_team")


def _filtered(state: ir.Table, where: CaseFilter, *, with_status: bool = True) -> ir.Table:
    out = state
    if with_status and where.status:
        wanted = {s for s in where.status if s != "active"}
        if "active" in where.status:
            wanted |= set(ACTIVE_STATUSES)
        out = out.filter(out.status.isin(sorted(wanted)))
    if where.team is not None:
        out = out.filter(out.team_id == where.team)
    if where.overdue:
        out = out.filter(out.overdue)
    if where.assignee is not None:
        out = out.filter(out.assignee == where.assignee)
    if where.priority is not None:
        out = out.filter(out.priority == where.priority)
    if where.customer_id is not None:
        out = out.filter(out.customer_id == where.customer_id)
    return out


def list_cases(
    warehouse: Warehouse,
    where: CaseFilter | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> CasePage:
    """A page of cases, most urgent first: overdue, then by priority, then by due time.

    ``counts`` has the filtered list's cases by status (the status filter left out, so the
    inbox can show every tab's count) and how many of the listed ones are overdue.
    """
    where = (where or CaseFilter()).check()
    if not 1 <= limit <= MAX_PAGE:
        raise UsageError(f"limit: from 1 to {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise UsageError(f"offset: 0 or more, got {offset}")
    now = now or datetime.now(UTC)
    state = case_state_expr(warehouse.table("cases"), warehouse.table("case_events"), now)
    customers = warehouse.table("customers").select(
        _cust=ibis._.customer_id, customer_name=ibis._.name
    )
    state = state.left_join(customers, state.customer_id == customers._cust).drop("_cust")
    unfiltered = _filtered(state, where, with_status=False)
    by_status = warehouse.to_pandas(unfiltered.group_by("status").aggregate(n=unfiltered.count()))
    counts = {s: 0 for s in STATUSES}
    counts.update({str(r.status): int(r.n) for r in by_status.itertuples(index=False)})
    listed = _filtered(state, where)
    totals = warehouse.to_pandas(
        listed.aggregate(n=listed.count(), overdue=listed.overdue.cast("int64").sum())
    )
    total = int(totals.n.iloc[0])
    counts["overdue"] = int(totals.overdue.fillna(0).iloc[0])
    rank = ibis.cases(*((listed.priority == p, k) for k, p in enumerate(PRIORITIES)), else_=9)
    ordered = listed.order_by(
        [ibis.desc(listed.overdue), rank, listed.due_at, listed.case_id]
    ).limit(limit, offset=offset)
    rows = warehouse.to_pyarrow(ordered.select(*CaseSummary.model_fields)).to_pylist()
    items = [CaseSummary.model_validate(row) for row in rows]
    return CasePage(total=total, limit=limit, offset=offset, counts=counts, items=items)


def get_case(
    warehouse: Warehouse,
    case_id: str,
    *,
    original_text: bool = False,
    now: datetime | None = None,
) -> CaseDetail:
    """One case with its events and the feedback that opened it: the redacted comment, or
    the original with ``original_text`` (admins)."""
    now = now or datetime.now(UTC)
    cases = warehouse.table("cases")
    one = cases.filter(cases.case_id == case_id)
    state = case_state_expr(one, warehouse.table("case_events"), now)
    customers = warehouse.table("customers").select(
        _cust=ibis._.customer_id, customer_name=ibis._.name
    )
    state = state.left_join(customers, state.customer_id == customers._cust).drop("_cust")
    rows = warehouse.to_pyarrow(state.select(*CaseSummary.model_fields)).to_pylist()
    if not rows:
        raise NotFoundError(f"no case {case_id!r}")
    summary = CaseSummary.model_validate(rows[0])
    text = score = None
    if summary.feedback_id is not None:
        text, score = _feedback(warehouse, summary.feedback_id, original_text)
    return CaseDetail(
        **summary.model_dump(),
        feedback_text=text,
        feedback_score=score,
        events=case_events(warehouse, case_id),
    )


def _feedback(
    warehouse: Warehouse, feedback_id: str, original: bool
) -> tuple[str | None, str | None]:
    f = warehouse.table("feedback")
    i = warehouse.table("feedback_insights")
    one = f.filter(f.feedback_id == feedback_id)
    joined = one.left_join(i, one.feedback_id == i.feedback_id)
    rows = warehouse.to_pyarrow(
        joined.select("text", "redacted_text", "nps", "csat", "ces", "rating")
    ).to_pylist()
    if not rows:
        return None, None
    row = rows[0]
    text = row["text"] if original else row["redacted_text"]
    scores = [
        f"{k.upper()} {row[k]:g}" for k in ("nps", "csat", "ces", "rating") if row[k] is not None
    ]
    return text, ", ".join(scores) or None
