"""Analysts' corrections to identity resolution: **merge** (these records are one person:
must-link) and **split** (these records are not the same person as the rest of their
customer: cannot-link), kept append-only in ``identity_overrides`` (an ``add`` event, and
later perhaps a ``remove`` event) and honoured by every run, incremental or full.

The newest override wins: adding one that contradicts overrides in force removes them (a
``remove`` event saying which override superseded them), so the overrides in force never
contradict each other.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from cxloop.access import audit
from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse

OverrideKind = Literal["merge", "split"]
MERGE: OverrideKind = "merge"
SPLIT: OverrideKind = "split"


class Override(BaseModel):
    """An override and whether it is still in force."""

    override_id: str = Field(description="`ovr_` + 12 hex digits.")
    kind: OverrideKind = Field(
        description="`merge`: `records` are one customer. `split`: `records` are never in the "
        "customer of any record in `apart` (and stay together)."
    )
    records: list[str] = Field(description="Source record ids (`source:source_id`).")
    apart: list[str] = Field(
        default_factory=list, description="For a split: the records they were split from."
    )
    reason: str | None = None
    created_by: str
    created_at: datetime
    customers: list[str] = Field(
        default_factory=list, description="The customers involved when it was made."
    )
    removed_at: datetime | None = None
    removed_by: str | None = None
    removal_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.removed_at is None

    def must_groups(self) -> list[list[str]]:
        """Groups of records this override keeps together."""
        return [self.records] if len(self.records) > 1 else []


def list_overrides(warehouse: Warehouse, *, include_removed: bool = True) -> list[Override]:
    """Every override, oldest first, with its removal if it was removed."""
    rows = warehouse.to_pyarrow(warehouse.table("identity_overrides")).to_pylist()
    rows.sort(key=lambda r: (r["ts"], r["override_event_id"]))
    found: dict[str, Override] = {}
    for row in [r for r in rows if r["action"] == "add"] + [
        r for r in rows if r["action"] != "add"
    ]:
        if row["action"] == "add":
            details = json.loads(row["details"]) if row["details"] else {}
            found[row["override_id"]] = Override(
                override_id=row["override_id"],
                kind=MERGE if row["kind"] == MERGE else SPLIT,
                records=json.loads(row["records"]),
                apart=json.loads(row["apart"]) if row["apart"] else [],
                reason=row["reason"],
                created_by=row["actor"],
                created_at=row["ts"],
                customers=details.get("customers", []),
            )
        elif row["override_id"] in found:
            found[row["override_id"]] = found[row["override_id"]].model_copy(
                update={
                    "removed_at": row["ts"],
                    "removed_by": row["actor"],
                    "removal_reason": row["reason"],
                }
            )
    overrides = list(found.values())
    return overrides if include_removed else [o for o in overrides if o.active]


@dataclass(frozen=True)
class Constraints:
    """What clustering must honour: pairs that always join, groups kept apart."""

    must: list[tuple[str, str]]
    cannot: list[tuple[list[str], list[str]]]

    @classmethod
    def from_overrides(cls, overrides: Iterable[Override]) -> Constraints:
        must: list[tuple[str, str]] = []
        cannot: list[tuple[list[str], list[str]]] = []
        for override in overrides:
            if not override.active:
                continue
            for group in override.must_groups():
                must += [(group[0], other) for other in group[1:]]
            if override.kind == SPLIT:
                cannot.append((override.records, override.apart))
        return cls(must, cannot)

    def records(self) -> set[str]:
        """Every record an override names."""
        out = {r for pair in self.must for r in pair}
        for group, apart in self.cannot:
            out |= set(group) | set(apart)
        return out


def identity_of(warehouse: Warehouse) -> dict[str, str]:
    """Each resolved record's customer id."""
    table = warehouse.table("identities")
    frame = warehouse.to_pandas(table.select("record_id", "customer_id"))
    return dict(zip(frame["record_id"], frame["customer_id"], strict=True))


def records_of(warehouse: Warehouse, ref: str, customer_of: dict[str, str]) -> list[str]:
    """The records a reference names: a record id, or every record of a customer id."""
    if ref in customer_of:
        return [ref]
    if "\x00" in ref:  # not a valid SQL string literal: no record has it
        raise NotFoundError(f"no customer or source record {ref!r}")
    members = sorted(r for r, c in customer_of.items() if c == ref)
    if members:
        return members
    records = warehouse.table("source_records")
    known = warehouse.to_pandas(records.filter(records.record_id == ref).select("record_id"))
    if not known.empty:
        raise UsageError(f"record {ref!r} is not resolved yet: run `cxloop resolve` first")
    raise NotFoundError(f"no customer or source record {ref!r}")


def add_merge(
    warehouse: Warehouse,
    refs: list[str],
    *,
    actor: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> Override:
    """Record that the customers or records ``refs`` are one person (must-link).

    Raises
    ------
    UsageError
        Fewer than two references, an unknown one, or all already in one customer.
    """
    if len(refs) < 2:
        raise UsageError("name at least two customers or records to merge")
    customer_of = identity_of(warehouse)
    records = sorted({r for ref in refs for r in records_of(warehouse, ref, customer_of)})
    customers = sorted({customer_of[r] for r in records})
    if len(customers) < 2:
        raise UsageError(f"already one customer: {customers[0]}")
    return _record(warehouse, MERGE, records, [], customers, actor, reason, now)


def add_split(
    warehouse: Warehouse,
    records: list[str],
    *,
    actor: str,
    reason: str | None = None,
    now: datetime | None = None,
    customer_id: str | None = None,
) -> Override:
    """Record that ``records`` (of one customer) are not the same person as the rest of that
    customer (cannot-link); they stay together as a customer of their own.

    Raises
    ------
    UsageError
        No records, unknown ones, records of several customers (or not of ``customer_id``),
        or every record of the customer.
    """
    if not records:
        raise UsageError("name the records to split off")
    customer_of = identity_of(warehouse)
    for ref in records:
        if ref not in customer_of:
            records_of(warehouse, ref, customer_of)  # raises the right message
            raise UsageError(f"split takes source record ids, not a customer id: {ref!r}")
    customers = sorted({customer_of[r] for r in records})
    if customer_id is not None and customers != [customer_id]:
        if customer_id not in customer_of.values():
            raise NotFoundError(f"no customer {customer_id!r}")
        others = sorted(r for r in records if customer_of[r] != customer_id)
        raise UsageError(f"not records of {customer_id}: {', '.join(others)}")
    if len(customers) > 1:
        raise UsageError(f"the records belong to several customers: {', '.join(customers)}")
    group = sorted(set(records))
    apart = sorted(r for r, c in customer_of.items() if c == customers[0] and r not in group)
    if not apart:
        raise UsageError(f"these are all the records of {customers[0]}: nothing to split from")
    return _record(warehouse, SPLIT, group, apart, customers, actor, reason, now)


def remove_override(
    warehouse: Warehouse,
    override_id: str,
    *,
    actor: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> Override:
    """End an override (a ``remove`` event); returns it as it was."""
    found = {o.override_id: o for o in list_overrides(warehouse)}
    override = found.get(override_id)
    if override is None:
        raise NotFoundError(f"no override {override_id!r}")
    if not override.active:
        raise UsageError(f"override {override_id} was already removed")
    _remove_event(warehouse, override, actor, reason, now or datetime.now(UTC))
    return override


def _record(
    warehouse: Warehouse,
    kind: OverrideKind,
    records: list[str],
    apart: list[str],
    customers: list[str],
    actor: str,
    reason: str | None,
    now: datetime | None,
) -> Override:
    """A new override of ``kind``, written; returns it."""
    override = Override(
        override_id=_new_id(),
        kind=kind,
        records=records,
        apart=apart,
        reason=reason,
        created_by=actor,
        created_at=now or datetime.now(UTC),
        customers=customers,
    )
    _write(warehouse, override)
    return override


def _write(warehouse: Warehouse, override: Override) -> None:
    """Append ``override``, first removing the overrides in force that it contradicts."""
    with warehouse.transaction():
        active = list_overrides(warehouse, include_removed=False)
        for old in superseded(active, override):
            _remove_event(
                warehouse,
                old,
                override.created_by,
                f"superseded by {override.override_id}",
                override.created_at,
            )
        warehouse.append_rows(
            "identity_overrides",
            [
                _event(
                    override,
                    "add",
                    override.created_by,
                    override.reason,
                    override.created_at,
                    details={"customers": override.customers},
                )
            ],
        )
        audit.record(
            warehouse,
            override.created_by,
            f"identity_{override.kind}",
            target_table="identity_overrides",
            target_id=override.override_id,
            details={
                "records": override.records,
                "apart": override.apart,
                "customers": override.customers,
                "reason": override.reason,
            },
        )


def superseded(active: list[Override], new: Override) -> list[Override]:
    """The overrides in force that ``new`` contradicts (and so replaces).

    A split contradicts the merges (and other splits' groups) that hold one of its records
    together with a record it is split from, directly or through other overrides; the newest
    of those goes first, until none does. A merge contradicts every split whose two sides it
    joins.
    """
    gone: list[Override] = []
    if new.kind == SPLIT:
        while True:
            kept = [o for o in active if o not in gone]
            component = _joining(kept, new.records, new.apart)
            if not component:
                return gone
            gone.append(max(component, key=lambda o: o.created_at))
    kept = list(active)
    for split in [o for o in active if o.kind == SPLIT]:
        if _joining([*kept, new], split.records, split.apart):
            gone.append(split)
    return gone


def _joining(overrides: list[Override], side: list[str], other: list[str]) -> list[Override]:
    """The must-link overrides of the component that joins a record of ``side`` with one of
    ``other`` (empty when none does)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for override in overrides:
        for group in override.must_groups():
            for member in group[1:]:
                ra, rb = find(group[0]), find(member)
                if ra != rb:
                    parent[rb] = ra
    roots = {find(r) for r in side}
    shared = roots & {find(r) for r in other}
    if not shared:
        return []
    return [o for o in overrides if any(find(g[0]) in shared for g in o.must_groups())]


def _remove_event(
    warehouse: Warehouse, override: Override, actor: str, reason: str | None, now: datetime
) -> None:
    with warehouse.transaction():
        warehouse.append_rows(
            "identity_overrides", [_event(override, "remove", actor, reason, now)]
        )
        audit.record(
            warehouse,
            actor,
            "identity_override_removed",
            target_table="identity_overrides",
            target_id=override.override_id,
            details={"kind": override.kind, "records": override.records, "reason": reason},
        )


def _event(
    override: Override,
    action: str,
    actor: str,
    reason: str | None,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "override_event_id": uuid.uuid4().hex,
        "override_id": override.override_id,
        "ts": now,
        "actor": actor,
        "action": action,
        "kind": override.kind,
        "records": json.dumps(override.records),
        "apart": json.dumps(override.apart),
        "reason": reason,
        "details": json.dumps(details) if details else None,
    }


def _new_id() -> str:
    return "ovr_" + uuid.uuid4().hex[:12]
