"""Lifecycle stages from order history: new, active, reactivated, at risk, lapsed.

With the windows of :class:`~cxloop.understand.segments.options.SegmentOptions`, for a customer
with at least one order before ``as_of``, the first rule that holds gives the stage:

1. ``new``: the first order is less than ``lifecycle_new_days`` days old;
2. ``reactivated``: the last order is at most ``lifecycle_active_days`` old and came
   ``lifecycle_lapsed_days`` or more after the order before it (the customer had lapsed);
3. ``active``: the last order is at most ``lifecycle_active_days`` old;
4. ``at_risk``: the last order is at most ``lifecycle_lapsed_days`` old;
5. ``lapsed``: older than that.

Customers without an order have no stage.
"""

from __future__ import annotations

from datetime import datetime

import ibis
import ibis.expr.types as ir

from cxloop.understand.segments.behaviour import TableGetter, days_between
from cxloop.understand.segments.options import SegmentOptions, snapshot_table

LIFECYCLE_STAGES = ("new", "active", "reactivated", "at_risk", "lapsed")


def lifecycle_snapshots(
    table: TableGetter, options: SegmentOptions, moments: list[datetime]
) -> ir.Table:
    """The stages at each of ``moments`` in one expression: per ``snapshot_at`` and customer
    with an order before it, ``first_order``, ``last_order``, ``gap_days`` (from the order before
    the last one; null with one order) and ``lifecycle``."""
    o = table("orders")
    o = o.filter(o.customer_id.notnull(), o.ts.notnull())
    snaps = snapshot_table(moments)
    o = o.join(snaps, o.ts < snaps.snapshot_at).select("customer_id", "order_id", "ts",
                                                        "snapshot_at")  # fmt: skip
    keys = ["snapshot_at", "customer_id"]
    ordered = o.mutate(
        previous=o.ts.lag().over(group_by=keys, order_by=[o.ts, o.order_id]),
        first_order=o.ts.min().over(group_by=keys),
        _rank=ibis.row_number().over(
            group_by=keys, order_by=[ibis.desc(o.ts), ibis.desc(o.order_id)]
        ),
    )
    last = ordered.filter(ordered._rank == 0)
    since_first = days_between(last.first_order, last.snapshot_at)
    since_last = days_between(last.ts, last.snapshot_at)
    gap = days_between(last.previous, last.ts)
    stage = ibis.cases(
        (since_first < options.lifecycle_new_days, "new"),
        (
            (since_last <= options.lifecycle_active_days)
            & (gap.fill_null(0) >= options.lifecycle_lapsed_days),
            "reactivated",
        ),
        (since_last <= options.lifecycle_active_days, "active"),
        (since_last <= options.lifecycle_lapsed_days, "at_risk"),
        else_="lapsed",
    )
    return last.select(
        "snapshot_at", "customer_id", "first_order", last_order=last.ts, gap_days=gap,
        lifecycle=stage,
    )  # fmt: skip


def lifecycle_stages(table: TableGetter, options: SegmentOptions) -> ir.Table:
    """Per customer with an order before ``options.as_of``: ``first_order``, ``last_order``,
    ``gap_days`` and ``lifecycle``."""
    return lifecycle_snapshots(table, options, [options.as_of]).drop("snapshot_at")
