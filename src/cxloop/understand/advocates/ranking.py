"""Ranking advocates: promoters with high engagement and value.

Over the ladder window (the last ``ladder_window_days`` before ``as_of``, as the loyalty ladder
counts), a *promoter* is a customer whose latest NPS answer is 9 or 10. Each promoter gets:

- engagement components, in the window: ``orders``, ``feedback`` (pieces of feedback given:
  survey answers, reviews, tickets), ``events`` (tracked events other than referrals) and
  ``referrals`` (events named one of ``referral_events``);
- ``value``: the CLV of the latest ``cxloop clv score`` where the customer has one, else the
  revenue of the window (``value_source`` says which).

Each component becomes a percentile among the promoters (``percent_rank``: 0 for the lowest,
1 for the highest; ties share the lower one, so a component nobody has is 0 for all).
``engagement_percentile`` is the mean of the orders, feedback and events percentiles,
``referral_percentile`` the referrals', ``value_percentile`` the value's, and

    score = 100 × (engagement_percentile + referral_percentile + value_percentile) / 3

Referrals weigh as much as all other engagement together: recommending the company is the
advocate's own act (and also what lifts a customer to the ``advocate`` rung of the ladder,
shown beside the score). Promoters are ranked by score, then referrals, then value, then id.
"""

from __future__ import annotations

from datetime import timedelta

import ibis
import ibis.expr.types as ir
import pandas as pd

from cxloop.domain.advocate import Advocate, AdvocateRanking
from cxloop.storage import Warehouse
from cxloop.understand.segments.behaviour import TableGetter, moment
from cxloop.understand.segments.ladder import ladder_rungs
from cxloop.understand.segments.options import SegmentOptions

PROMOTER_MIN_NPS = 9
ENGAGEMENT = ("orders", "feedback", "events")


def _window(rows: ir.Table, options: SegmentOptions) -> ir.Table:
    start = options.as_of - timedelta(days=options.ladder_window_days)
    return rows.filter(
        rows.customer_id.notnull(),
        rows.ts.notnull(),
        rows.ts < moment(options.as_of),
        rows.ts >= moment(start),
    )


def promoters_expr(table: TableGetter, options: SegmentOptions) -> ir.Table:
    """Customers whose latest NPS answer in the window is 9 or 10: ``customer_id``,
    ``latest_nps``."""
    f = _window(table("feedback"), options)
    f = f.filter(f.nps.notnull())
    ranked = f.mutate(
        _rank=ibis.row_number().over(
            group_by="customer_id", order_by=[ibis.desc(f.ts), ibis.desc(f.feedback_id)]
        )
    )
    latest = ranked.filter(ranked._rank == 0)
    latest = latest.select("customer_id", latest_nps=latest.nps.cast("int64"))
    return latest.filter(latest.latest_nps >= PROMOTER_MIN_NPS)


def advocate_scores(
    table: TableGetter, options: SegmentOptions, clv: ir.Table | None = None
) -> ir.Table:
    """Every promoter with the score's components, ``score`` and ``ladder``, unordered.

    ``clv`` is ``customer_clv`` (``customer_id``, ``clv``, ``currency``) when CLV has been
    scored; without it, value is revenue.
    """
    promoters = promoters_expr(table, options)
    orders = _window(table("orders"), options)
    order_parts = orders.group_by("customer_id").aggregate(
        orders=orders.count(),
        revenue=orders.amount.sum().fill_null(0.0),
        revenue_currency=orders.currency.max(),
    )
    feedback = _window(table("feedback"), options)
    feedback_parts = feedback.group_by("customer_id").aggregate(feedback=feedback.count())
    events = _window(table("events"), options)
    referral = events.name.lower().isin([n.lower() for n in options.referral_events])
    event_parts = events.group_by("customer_id").aggregate(
        events=(~referral).cast("int64").sum(), referrals=referral.cast("int64").sum()
    )
    joined = promoters
    for part in (order_parts, feedback_parts, event_parts):
        joined = joined.left_join(part, "customer_id").drop("customer_id_right")
    if clv is not None:
        scored = clv.filter(clv.clv.notnull()).select(
            "customer_id", clv_value=clv.clv, clv_currency=clv.currency
        )
        joined = joined.left_join(scored, "customer_id").drop("customer_id_right")
    else:
        joined = joined.mutate(clv_value=ibis.null("float64"), clv_currency=ibis.null("string"))
    filled = joined.mutate(
        orders=joined.orders.fill_null(0),
        feedback=joined.feedback.fill_null(0),
        events=joined.events.fill_null(0),
        referrals=joined.referrals.fill_null(0),
        value=ibis.coalesce(joined.clv_value, joined.revenue, 0.0).cast("float64"),
        value_source=ibis.ifelse(joined.clv_value.notnull(), "clv", "revenue"),
        currency=ibis.ifelse(
            joined.clv_value.notnull(), joined.clv_currency, joined.revenue_currency
        ),
    )
    percentiles = {
        f"_{name}_pct": ibis.percent_rank().over(order_by=filled[name])
        for name in (*ENGAGEMENT, "referrals", "value")
    }
    ranked = filled.mutate(**percentiles)
    engagement = sum(ranked[f"_{n}_pct"] for n in ENGAGEMENT) / len(ENGAGEMENT)
    out = ranked.mutate(
        engagement_percentile=engagement.cast("float64"),
        referral_percentile=ranked._referrals_pct.cast("float64"),
        value_percentile=ranked._value_pct.cast("float64"),
    )
    parts = out.engagement_percentile + out.referral_percentile + out.value_percentile
    out = out.mutate(score=(100 * parts / 3).round(1))
    ladder = ladder_rungs(table, options).select("customer_id", "ladder")
    out = out.left_join(ladder, "customer_id").drop("customer_id_right")
    return out.select(
        "customer_id", "latest_nps", "orders", "feedback", "events", "referrals", "value",
        "value_source", "currency", "engagement_percentile", "referral_percentile",
        "value_percentile", "score", "ladder",
    )  # fmt: skip


def has_clv(warehouse: Warehouse) -> bool:
    """Whether the warehouse holds CLV scores (``cxloop clv score`` ran)."""
    with warehouse.lock:
        if "customer_clv" not in warehouse.backend.list_tables():
            return False
    scores = warehouse.table("customer_clv")
    return bool(warehouse.to_pyarrow(scores.limit(1).count()).as_py())


def rank_advocates(
    warehouse: Warehouse, options: SegmentOptions, *, limit: int | None = None
) -> AdvocateRanking:
    """The promoters, best advocate first (at most ``limit`` of them), with their names."""
    clv = warehouse.table("customer_clv") if has_clv(warehouse) else None
    scores = advocate_scores(warehouse.table, options, clv)
    total = int(warehouse.to_pyarrow(scores.count()).as_py())
    ordered = scores.order_by(
        [ibis.desc("score"), ibis.desc("referrals"), ibis.desc("value"), "customer_id"]
    )
    if limit is not None:
        ordered = ordered.limit(limit)
    customers = warehouse.table("customers").select("customer_id", "name", "language")
    named = ordered.left_join(customers, "customer_id").drop("customer_id_right")
    frame = warehouse.to_pandas(named)
    frame = frame.sort_values(
        ["score", "referrals", "value", "customer_id"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    advocates = [
        Advocate.model_validate({"rank": rank, **_clean(row)})
        for rank, row in enumerate(frame.to_dict("records"), start=1)
    ]
    return AdvocateRanking(
        as_of=options.as_of,
        window_days=options.ladder_window_days,
        promoters=total,
        advocates=advocates,
    )


def _clean(row: dict[str, object]) -> dict[str, object]:
    return {k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
            for k, v in row.items()}  # fmt: skip
