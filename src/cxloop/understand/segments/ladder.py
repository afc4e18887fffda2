"""The loyalty ladder: detractor → satisfied → loyal → advocate.

Over the last ``ladder_window_days`` before ``as_of`` (see
:class:`~cxloop.understand.segments.options.SegmentOptions`), the first rule that holds gives
a customer's rung:

1. ``detractor``: the latest NPS answer is 0–6, or — with no NPS answer — the latest CSAT
   answer is 1–2;
2. ``advocate``: at least one referral (an event named one of ``referral_events``), or a
   latest NPS of 9–10 (a promoter) with ``ladder_repeat_orders`` or more orders;
3. ``loyal``: ``ladder_repeat_orders`` or more orders (repeat behaviour);
4. ``satisfied``: a latest NPS of 7–10 or, with no NPS, a latest CSAT of 3–5.

Customers with none of these signals are not on the ladder (no rung).
"""

from __future__ import annotations

from datetime import datetime

import ibis
import ibis.expr.types as ir

from cxloop.understand.segments.behaviour import TableGetter
from cxloop.understand.segments.options import SegmentOptions, snapshot_table

LADDER_RUNGS = ("detractor", "satisfied", "loyal", "advocate")
_KEYS = ["snapshot_at", "customer_id"]


def _in_window(rows: ir.Table, snaps: ir.Table, days: int) -> ir.Table:
    """``rows`` (with ``ts``) paired with each snapshot whose window holds them."""
    rows = rows.filter(rows.customer_id.notnull(), rows.ts.notnull())
    joined = rows.join(
        snaps,
        [rows.ts < snaps.snapshot_at, rows.ts >= snaps.snapshot_at - ibis.interval(days=days)],
    )
    return joined


def _latest(feedback: ir.Table, score: str) -> ir.Table:
    rows = feedback.filter(feedback[score].notnull())
    ranked = rows.mutate(
        _rank=ibis.row_number().over(
            group_by=_KEYS, order_by=[ibis.desc(rows.ts), ibis.desc(rows.feedback_id)]
        )
    )
    latest = ranked.filter(ranked._rank == 0)
    return latest.select(*_KEYS, latest[score].cast("int64").name(score))


def ladder_snapshots(
    table: TableGetter, options: SegmentOptions, moments: list[datetime]
) -> ir.Table:
    """The rungs at each of ``moments`` in one expression: per ``snapshot_at`` and customer on
    the ladder, ``latest_nps``, ``latest_csat``, ``window_orders``, ``referrals``, ``ladder``."""
    window = options.ladder_window_days
    snaps = snapshot_table(moments)
    o = _in_window(table("orders"), snaps, window)
    orders = o.group_by(_KEYS).aggregate(window_orders=o.count())
    f = _in_window(table("feedback"), snaps, window)
    nps, csat = _latest(f, "nps"), _latest(f, "csat")
    e = table("events")
    e = e.filter(e.name.lower().isin([n.lower() for n in options.referral_events]))
    e = _in_window(e, snaps, window)
    referrals = e.group_by(_KEYS).aggregate(referrals=e.count())
    ids = (
        orders.select(*_KEYS)
        .union(nps.select(*_KEYS))
        .union(csat.select(*_KEYS))
        .union(referrals.select(*_KEYS))
        .distinct()
    )
    joined = ids
    for part in (nps, csat, orders, referrals):
        joined = joined.left_join(part, _KEYS).drop("snapshot_at_right", "customer_id_right")
    repeat = joined.window_orders.fill_null(0) >= options.ladder_repeat_orders
    referred = joined.referrals.fill_null(0) >= 1
    no_nps = joined.nps.isnull()
    rung = ibis.cases(
        ((joined.nps <= 6) | (no_nps & (joined.csat <= 2)), "detractor"),
        (referred | ((joined.nps >= 9) & repeat), "advocate"),
        (repeat, "loyal"),
        ((joined.nps >= 7) | (no_nps & (joined.csat >= 3)), "satisfied"),
        else_=ibis.null("string"),
    )
    out = joined.select(
        *_KEYS,
        latest_nps=joined.nps,
        latest_csat=joined.csat,
        window_orders=joined.window_orders.fill_null(0),
        referrals=joined.referrals.fill_null(0),
        ladder=rung,
    )
    return out.filter(out.ladder.notnull())


def ladder_rungs(table: TableGetter, options: SegmentOptions) -> ir.Table:
    """Per customer on the ladder at ``options.as_of``: ``latest_nps``, ``latest_csat``,
    ``window_orders``, ``referrals`` and ``ladder``."""
    return ladder_snapshots(table, options, [options.as_of]).drop("snapshot_at")
