"""An analyst's merge, split or removal of an override, applied at once: the override is
stored (and audited) and an incremental resolve re-links the customers it touches, in one
transaction — if resolving fails, the override is not kept either."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cxloop.storage import Warehouse
from cxloop.unify.options import ResolveOptions
from cxloop.unify.overrides import (
    Override,
    add_merge,
    add_split,
    identity_of,
    list_overrides,
    remove_override,
)
from cxloop.unify.resolve import ResolveReport, resolve


class CorrectionResult(BaseModel):
    """What a merge, split or removal did."""

    override: Override = Field(description="The override added (or removed).")
    superseded: list[str] = Field(
        default_factory=list, description="Overrides it replaced because they contradicted it."
    )
    customers: dict[str, str] = Field(
        description="The customer of each record the override names, after re-resolving."
    )
    report: ResolveReport


def merge_customers(
    warehouse: Warehouse,
    refs: list[str],
    *,
    actor: str,
    reason: str | None = None,
    options: ResolveOptions | Any = None,
    now: datetime | None = None,
) -> CorrectionResult:
    """Merge customers or records (``cus_…`` ids or ``source:source_id`` record ids) into one
    customer, which keeps the oldest id, for this run and every later one.

    Examples
    --------
    >>> merge_customers(wh, ["cus_1b0…", "web:u-77"], actor="user:ana@acme.com")  # doctest: +SKIP
    """
    return _apply(
        warehouse,
        lambda: add_merge(warehouse, refs, actor=actor, reason=reason, now=now),
        options,
        now=now,
    )


def split_records(
    warehouse: Warehouse,
    records: list[str],
    *,
    actor: str,
    reason: str | None = None,
    options: ResolveOptions | Any = None,
    now: datetime | None = None,
    customer_id: str | None = None,
) -> CorrectionResult:
    """Split source records away from the rest of their customer, for this run and every
    later one; they become a customer of their own (a new id, or the one they first had)."""
    return _apply(
        warehouse,
        lambda: add_split(
            warehouse, records, actor=actor, reason=reason, now=now, customer_id=customer_id
        ),
        options,
        now=now,
    )


def remove_correction(
    warehouse: Warehouse,
    override_id: str,
    *,
    actor: str,
    reason: str | None = None,
    options: ResolveOptions | Any = None,
    now: datetime | None = None,
) -> CorrectionResult:
    """End an override and re-link the customers of the records it named from their own
    links alone."""
    return _apply(
        warehouse,
        lambda: remove_override(warehouse, override_id, actor=actor, reason=reason, now=now),
        options,
        now=now,
        revisit=True,
    )


def _apply(
    warehouse: Warehouse,
    change: Callable[[], Override],
    options: ResolveOptions | Any,
    *,
    now: datetime | None,
    revisit: bool = False,
) -> CorrectionResult:
    with warehouse.transaction():
        before = {o.override_id for o in list_overrides(warehouse, include_removed=False)}
        override = change()
        after = {o.override_id for o in list_overrides(warehouse, include_removed=False)}
        superseded = sorted(before - after - {override.override_id})
        named = [*override.records, *override.apart]
        gone = [o for o in list_overrides(warehouse) if o.override_id in superseded]
        again = named + [r for o in gone for r in (*o.records, *o.apart)] if revisit or gone else []
        report = resolve(warehouse, options, now=now, revisit=again)
        customer_of = identity_of(warehouse)
    return CorrectionResult(
        override=override,
        superseded=superseded,
        customers={r: customer_of[r] for r in named if r in customer_of},
        report=report,
    )
