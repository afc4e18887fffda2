"""Per-customer churn features and the churn label at a cutoff day, as Ibis expressions.

Everything here builds expressions (nothing runs a query), so the same features come out of
DuckDB, Postgres and Spark. A cutoff ``D`` (a date) means: the features read every row dated
on or before ``D`` (before midnight UTC that ends it) and the label reads the orders of the
``horizon_days`` days after it, ``(D, D + horizon]``.

- **Population**: customers with at least one purchase in the ``active_days`` (default 365)
  days up to the cutoff. Customers who lapsed longer ago are not at risk any more: they have
  already gone.
- **Label** (``churned``): 1 when the customer places no purchase in ``(D, D + horizon]``,
  0 otherwise. Returned and cancelled orders are not purchases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import ibis
import ibis.expr.types as ir

from cxloop.understand.clv.summary_expr import NOT_PURCHASES
from cxloop.understand.segments.behaviour import TableGetter, days_between, moment

#: days of the order, revenue and event windows
WINDOWS = (30, 90, 365)
#: analysed themes whose mentions are counted (the moments of truth of the demo and most shops)
THEMES = ("delivery", "billing")
DEFAULT_HORIZON_DAYS = 90
DEFAULT_ACTIVE_DAYS = 365


@dataclass(frozen=True)
class FeatureSpec:
    """One feature: its column, the group whose reason it feeds, and its meaning."""

    name: str
    group: str
    description: str


_SPECS = (
    FeatureSpec("days_since_last_order", "recency", "days from the last purchase to the cutoff"),
    *(FeatureSpec(f"orders_{n}d", "frequency", f"purchases in the last {n} days") for n in WINDOWS),
    *(FeatureSpec(f"revenue_{n}d", "revenue", f"revenue in the last {n} days") for n in WINDOWS),
    FeatureSpec("tenure_days", "tenure", "days from the first purchase to the cutoff"),
    *(FeatureSpec(f"events_{n}d", "activity", f"events in the last {n} days") for n in WINDOWS),
    FeatureSpec("nps_last", "nps", "latest NPS answer (0–10)"),
    FeatureSpec("nps_mean", "nps", "mean NPS answer"),
    FeatureSpec("detractor", "nps", "1 when the latest NPS answer is 0–6"),
    FeatureSpec("csat_last", "csat", "latest CSAT answer (1–5)"),
    FeatureSpec("csat_mean", "csat", "mean CSAT answer"),
    FeatureSpec("ces_last", "ces", "latest CES answer (1–7, 7 = very easy)"),
    FeatureSpec("ces_mean", "ces", "mean CES answer"),
    FeatureSpec("responses", "responses", "pieces of feedback given"),
    FeatureSpec("negative_share", "negative", "share of analysed comments that are negative"),
    *(FeatureSpec(f"theme_{t}", t, f"comments about {t}") for t in THEMES),
    FeatureSpec("probability_alive", "alive", "BG/NBD probability alive at the cutoff"),
)  # fmt: skip
FEATURES: dict[str, FeatureSpec] = {spec.name: spec for spec in _SPECS}
#: the features read from the warehouse by :func:`churn_features` (all but probability_alive)
WAREHOUSE_FEATURES = tuple(name for name in FEATURES if name != "probability_alive")
#: the features that say how satisfied a customer is (what the demo plants churn on)
FEEDBACK_GROUPS = ("nps", "csat", "ces", "responses", "negative", *THEMES)


def cutoff_moment(cutoff: date) -> datetime:
    """The first moment after ``cutoff`` (midnight UTC that ends it): features read rows
    strictly before it."""
    return datetime.combine(cutoff + timedelta(days=1), time(), tzinfo=UTC)


def purchases(table: TableGetter) -> ir.Table:
    """Resolved, dated orders that are purchases (not returned or cancelled)."""
    o = table("orders")
    o = o.filter(o.customer_id.notnull(), o.ts.notnull())
    if "status" in o.columns:
        status = o.status.lower()
        o = o.filter(status.isnull() | ~status.isin(NOT_PURCHASES))
    return o


def active_customers(table: TableGetter, cutoff: date, active_days: int) -> ir.Table:
    """``customer_id`` of those with a purchase in the ``active_days`` days up to the cutoff."""
    end = cutoff_moment(cutoff)
    o = purchases(table)
    recent = o.filter(o.ts < moment(end), o.ts >= moment(end - timedelta(days=active_days)))
    return recent.select("customer_id").distinct()


def churn_labels(table: TableGetter, cutoff: date, horizon_days: int) -> ir.Table:
    """``customer_id`` and ``churned`` (1: no purchase in ``(cutoff, cutoff + horizon]``) for
    every customer with a purchase on or before the cutoff."""
    end = cutoff_moment(cutoff)
    o = purchases(table)
    before = o.filter(o.ts < moment(end)).select("customer_id").distinct()
    window = (o.ts >= moment(end)) & (o.ts < moment(end + timedelta(days=horizon_days)))
    bought = o.filter(window).select("customer_id").distinct().mutate(bought=ibis.literal(1))
    joined = before.left_join(bought, "customer_id").drop("customer_id_right")
    return joined.select("customer_id", churned=(1 - joined.bought.fill_null(0)).cast("int64"))


def churn_features(
    table: TableGetter, cutoff: date, *, active_days: int = DEFAULT_ACTIVE_DAYS
) -> ir.Table:
    """One row per active customer at the cutoff with ``customer_id`` and
    :data:`WAREHOUSE_FEATURES`. Counts are 0 for a customer with no rows; scores and shares
    are null when there is nothing to read (the model handles missing values)."""
    end = cutoff_moment(cutoff)
    now = moment(end)
    out = active_customers(table, cutoff, active_days)
    parts: list[tuple[ir.Table, tuple[str, ...]]] = [
        (_order_features(table, end), ("orders_", "revenue_")),
        (_event_features(table, end), ("events_",)),
        (_score_features(table, end), ("responses",)),
        (_insight_features(table, end), ("theme_",)),
    ]
    fills: list[str] = []
    for part, zero_prefixes in parts:
        out = out.left_join(part, "customer_id").drop("customer_id_right")
        fills += [c for c in part.columns if c.startswith(zero_prefixes)]
    out = out.mutate(**{c: out[c].fill_null(0) for c in fills})
    out = out.mutate(
        days_since_last_order=days_between(out.last_order, now),
        tenure_days=days_between(out.first_order, now),
        detractor=ibis.ifelse(out.nps_last.isnull(), None, (out.nps_last <= 6).cast("int64")),
    )
    return out.select("customer_id", *WAREHOUSE_FEATURES).order_by("customer_id")


def _order_features(table: TableGetter, end: datetime) -> ir.Table:
    o = purchases(table)
    o = o.filter(o.ts < moment(end))
    metrics: dict[str, ir.Value] = {"last_order": o.ts.max(), "first_order": o.ts.min()}
    for n in WINDOWS:
        recent = o.ts >= moment(end - timedelta(days=n))
        metrics[f"orders_{n}d"] = recent.cast("int64").sum()
        amount = o.amount.cast("float64").fill_null(0.0)
        metrics[f"revenue_{n}d"] = ibis.ifelse(recent, amount, 0.0).sum()
    return o.group_by("customer_id").aggregate(**metrics)


def _event_features(table: TableGetter, end: datetime) -> ir.Table:
    e = table("events")
    e = e.filter(e.customer_id.notnull(), e.ts.notnull(), e.ts < moment(end))
    e = e.filter(e.ts >= moment(end - timedelta(days=max(WINDOWS))))
    return e.group_by("customer_id").aggregate(
        **{
            f"events_{n}d": (e.ts >= moment(end - timedelta(days=n))).cast("int64").sum()
            for n in WINDOWS
        }
    )


def _feedback(table: TableGetter, end: datetime) -> ir.Table:
    f = table("feedback")
    return f.filter(f.customer_id.notnull(), f.ts.notnull(), f.ts < moment(end))


def _score_features(table: TableGetter, end: datetime) -> ir.Table:
    f = _feedback(table, end)
    out = f.group_by("customer_id").aggregate(
        nps_mean=f.nps.mean(), csat_mean=f.csat.mean(), ces_mean=f.ces.mean(),
        responses=f.count(),
    )  # fmt: skip
    for score in ("nps", "csat", "ces"):
        out = out.left_join(_latest(f, score), "customer_id").drop("customer_id_right")
    return out


def _latest(f: ir.Table, score: str) -> ir.Table:
    scored = f.filter(f[score].notnull())
    ranked = scored.mutate(
        _rank=ibis.row_number().over(
            group_by="customer_id", order_by=[ibis.desc(scored.ts), ibis.desc(scored.feedback_id)]
        )
    )
    return ranked.filter(ranked._rank == 0).select(
        "customer_id", ranked[score].cast("float64").name(f"{score}_last")
    )


def _insight_features(table: TableGetter, end: datetime) -> ir.Table:
    f = _feedback(table, end).select("feedback_id", "customer_id")
    joined = f.join(table("feedback_insights"), "feedback_id")
    negative = (joined.sentiment_label == "negative").cast("float64")
    themes = {
        f"theme_{t}": joined.themes.contains(ibis.literal(json.dumps(t))).cast("int64").sum()
        for t in THEMES
    }
    return joined.group_by("customer_id").aggregate(negative_share=negative.mean(), **themes)
