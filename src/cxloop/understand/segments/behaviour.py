"""Per-customer behaviour as Ibis expressions: orders, scores, events and text insights.

Every function takes a table getter (``warehouse.table``) and the moment the figures are
computed for (``as_of``, an aware UTC datetime) and returns a table keyed by ``customer_id``.
Rows dated at or after ``as_of`` are left out, so the same functions give a snapshot of any
past month. Nothing here runs a query.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

TableGetter = Callable[[str], ir.Table]
_UTC = dt.Timestamp(timezone="UTC")
SECONDS_PER_DAY = 86_400


def moment(value: datetime) -> ir.TimestampValue:
    """``value`` (aware) as a UTC timestamp literal."""
    return ibis.literal(value, type=_UTC)  # type: ignore[return-value]


def days_between(earlier: ir.Value, later: ir.Value) -> ir.FloatingValue:
    """Whole and fractional days from ``earlier`` to ``later`` (timestamps)."""
    seconds = later.epoch_seconds() - earlier.epoch_seconds()  # type: ignore[attr-defined]
    return (seconds / SECONDS_PER_DAY).cast("float64")  # type: ignore[no-any-return]


def orders_before(table: TableGetter, as_of: datetime) -> ir.Table:
    """Resolved orders placed before ``as_of`` with an amount (or none: counted, not summed)."""
    o = table("orders")
    return o.filter(o.customer_id.notnull(), o.ts.notnull(), o.ts < moment(as_of))


def order_windows(table: TableGetter, as_of: datetime, days: tuple[int, ...]) -> ir.Table:
    """Orders and revenue in the last N days for each N of ``days``, all-time totals, and the
    days since the last order (``days_since_last_order``)."""
    o = orders_before(table, as_of)
    metrics: dict[str, ir.Value] = {
        "orders_total": o.count(),
        "revenue_total": o.amount.sum().fill_null(0.0),
        "days_since_last_order": days_between(o.ts.max(), moment(as_of)),
        "days_since_first_order": days_between(o.ts.min(), moment(as_of)),
    }
    for n in sorted(set(days)):
        recent = o.ts >= moment(as_of - timedelta(days=n))
        metrics[f"orders_{n}d"] = recent.cast("int64").sum()
        metrics[f"revenue_{n}d"] = ibis.ifelse(recent, o.amount, 0.0).sum().fill_null(0.0)
    return o.group_by("customer_id").aggregate(**metrics)


def feedback_before(table: TableGetter, as_of: datetime, days: int | None = None) -> ir.Table:
    """Feedback of resolved customers before ``as_of`` (within ``days`` of it, if given)."""
    f = table("feedback")
    f = f.filter(f.customer_id.notnull(), f.ts.notnull(), f.ts < moment(as_of))
    if days is not None:
        f = f.filter(f.ts >= moment(as_of - timedelta(days=days)))
    return f


def latest_score(table: TableGetter, as_of: datetime, score: str, days: int | None = None):  # type: ignore[no-untyped-def]
    """Each customer's most recent ``score`` (nps, csat, ces) before ``as_of``, as ``score``."""
    f = feedback_before(table, as_of, days)
    f = f.filter(f[score].notnull())
    ranked = f.mutate(
        _rank=ibis.row_number().over(
            group_by="customer_id", order_by=[ibis.desc(f.ts), ibis.desc(f.feedback_id)]
        )
    )
    return ranked.filter(ranked._rank == 0).select(
        "customer_id", ranked[score].cast("int64").name(score)
    )


def score_summary(table: TableGetter, as_of: datetime) -> ir.Table:
    """Mean NPS, CSAT and CES answers and the number of pieces of feedback, per customer."""
    f = feedback_before(table, as_of)
    return f.group_by("customer_id").aggregate(
        nps_mean=f.nps.mean(),
        csat_mean=f.csat.mean(),
        ces_mean=f.ces.mean(),
        feedback_count=f.count(),
    )


def insight_summary(table: TableGetter, as_of: datetime) -> ir.Table:
    """Share of a customer's analysed comments that are negative (``negative_share``) and how
    many were analysed (``comments``)."""
    f = feedback_before(table, as_of)
    i = table("feedback_insights")
    joined = f.select("feedback_id", "customer_id").join(i, "feedback_id")
    negative = (joined.sentiment_label == "negative").cast("float64")
    return joined.group_by("customer_id").aggregate(
        negative_share=negative.mean(), comments=joined.count()
    )


def theme_count(table: TableGetter, as_of: datetime, theme: str, days: int | None) -> ir.Table:
    """Pieces of feedback whose analysed themes include ``theme``, per customer, as ``n``.

    The ``themes`` column holds a JSON list of theme ids; the id is looked for with its quotes
    (``"billing"``), as a value, so it cannot match part of another id."""
    f = feedback_before(table, as_of, days)
    i = table("feedback_insights")
    joined = f.select("feedback_id", "customer_id").join(i, "feedback_id")
    hit = joined.themes.contains(ibis.literal(json.dumps(theme)))
    return joined.group_by("customer_id").aggregate(n=hit.cast("int64").sum())


def event_count(
    table: TableGetter, as_of: datetime, names: tuple[str, ...], days: int | None
) -> ir.Table:
    """Events named one of ``names`` (any case) per customer, as ``n``, before ``as_of`` and
    within ``days`` of it if given."""
    e = table("events")
    lowered = [name.lower() for name in names]
    e = e.filter(
        e.customer_id.notnull(),
        e.ts < moment(as_of),
        e.name.lower().isin(lowered),
    )
    if days is not None:
        e = e.filter(e.ts >= moment(as_of - timedelta(days=days)))
    return e.group_by("customer_id").aggregate(n=e.count())
