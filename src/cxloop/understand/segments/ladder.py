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

from datetime import timedelta

import ibis
import ibis.expr.types as ir

from cxloop.understand.segments.behaviour import (
    TableGetter,
    event_count,
    latest_score,
    moment,
    orders_before,
)
from cxloop.understand.segments.options import SegmentOptions

LADDER_RUNGS = ("detractor", "satisfied", "loyal", "advocate")


def ladder_rungs(table: TableGetter, options: SegmentOptions) -> ir.Table:
    """Per customer on the ladder: ``latest_nps``, ``latest_csat``, ``window_orders``,
    ``referrals`` and ``ladder``."""
    window = options.ladder_window_days
    o = orders_before(table, options.as_of)
    o = o.filter(o.ts >= moment(options.as_of - timedelta(days=window)))
    orders = o.group_by("customer_id").aggregate(window_orders=o.count())
    nps = latest_score(table, options.as_of, "nps", window)
    csat = latest_score(table, options.as_of, "csat", window)
    referrals = event_count(table, options.as_of, options.referral_events, window).rename(
        referrals="n"
    )
    ids = (
        orders.select("customer_id")
        .union(nps.select("customer_id"))
        .union(csat.select("customer_id"))
        .union(referrals.select("customer_id"))
        .distinct()
    )
    joined = (
        ids.left_join(nps, "customer_id")
        .drop("customer_id_right")
        .left_join(csat, "customer_id")
        .drop("customer_id_right")
        .left_join(orders, "customer_id")
        .drop("customer_id_right")
        .left_join(referrals, "customer_id")
        .drop("customer_id_right")
    )
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
        "customer_id",
        latest_nps=joined.nps,
        latest_csat=joined.csat,
        window_orders=joined.window_orders.fill_null(0),
        referrals=joined.referrals.fill_null(0),
        ladder=rung,
    )
    return out.filter(out.ladder.notnull())
