"""The value chain's cases: one row per team and period (quarter or month), built with Ibis.

Each row joins what the team's employees said in their pulses with what happened to the
customers the team served — the customers whose feedback (survey answer, ticket, review) names
the team, in the period:

=================  ==========================================================================
column             what it is
=================  ==========================================================================
engagement         mean pulse engagement (1–5) of the team's employees in the period
wellbeing          mean pulse wellbeing (1–5)
enps               mean pulse eNPS answer (0–10)
csat               mean CSAT (1–5) of the team's feedback
csat_good          share of those CSAT answers that are 4 or 5
ces                mean CES (1–7, 7 = very easy); missing where the team asks none
no_failure         share of the team's feedback *not* preceded by a service failure: an event
                   named in ``failure_events`` at the same touchpoint for the same customer in
                   the ``failure_window_days`` before it
nps                mean NPS answer (0–10)
nps_score          % promoters − % detractors
repeat_share       share of the feedback whose customer ordered again within
                   ``follow_up_days`` after it (the complement is the churn proxy)
orders             orders per feedback in that follow-up window
revenue            order value per feedback in that window, each order's amount divided by the
                   mean order amount of its currency (so currencies can be pooled)
=================  ==========================================================================

Plus ``team_id``, ``period`` (its first day), ``feedback`` and ``pulses`` (counts). Periods
whose follow-up window runs past the last order in the warehouse are left out (their loyalty
is not yet known), and so are cells with fewer than ``min_feedback`` feedback rows or
``min_pulses`` pulses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

Period = Literal["quarter", "month"]
INDICATORS = (
    "engagement", "wellbeing", "enps", "csat", "csat_good", "ces", "no_failure", "nps",
    "nps_score", "repeat_share", "orders", "revenue",
)  # fmt: skip
_UNIT = {"quarter": "Q", "month": "M"}
_MONTHS = {"quarter": 3, "month": 1}


@dataclass(frozen=True)
class TeamPeriodOptions:
    """How the team × period table is built (the top of ``valuechain.yaml``)."""

    period: Period = "quarter"
    failure_events: tuple[str, ...] = ()
    failure_window_days: int = 14
    follow_up_days: int = 90
    min_feedback: int = 10
    min_pulses: int = 3
    since: date | None = None
    until: date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _between(ts: ir.TimestampValue, options: TeamPeriodOptions) -> ir.BooleanValue:
    condition = ibis.literal(True)
    if options.since is not None:
        condition &= ts.date() >= options.since
    if options.until is not None:
        condition &= ts.date() < options.until
    return condition


def pulse_cells(pulses: ir.Table, options: TeamPeriodOptions) -> ir.Table:
    """Mean engagement, wellbeing and eNPS per team and period."""
    pulses = pulses.filter(pulses.team_id.notnull(), _between(pulses.ts, options))
    return (
        pulses.mutate(period=pulses.ts.truncate(_UNIT[options.period]).date())
        .group_by("team_id", "period")
        .aggregate(
            engagement=lambda t: t.engagement.mean(),
            wellbeing=lambda t: t.wellbeing.mean(),
            enps=lambda t: t.enps.cast("float64").mean(),
            pulses=lambda t: t.count(),
        )
    )


def feedback_cells(
    feedback: ir.Table, events: ir.Table, orders: ir.Table, options: TeamPeriodOptions
) -> ir.Table:
    """Service quality, satisfaction, loyalty and revenue of each team's served customers."""
    fb = feedback.filter(feedback.team_id.notnull(), _between(feedback.ts, options))
    fb = fb.select("feedback_id", "customer_id", "team_id", "touchpoint", "ts", "nps", "csat",
                   "ces")  # fmt: skip
    failures = events.filter(events.name.isin(list(options.failure_events)))
    failures = failures.select(
        fail_customer=failures.customer_id, fail_touchpoint=failures.touchpoint,
        fail_ts=failures.ts,
    )  # fmt: skip
    window = ibis.interval(days=options.failure_window_days)
    failed = fb.join(failures, [
        fb.customer_id == failures.fail_customer, fb.touchpoint == failures.fail_touchpoint,
        failures.fail_ts <= fb.ts, failures.fail_ts >= fb.ts - window,
    ]).select("feedback_id").distinct()  # fmt: skip
    scale = orders.amount.mean().over(ibis.window(group_by=orders.currency))
    relative = orders.filter(orders.customer_id.notnull()).select(
        order_customer=orders.customer_id, order_ts=orders.ts, value=orders.amount / scale
    )
    ahead = ibis.interval(days=options.follow_up_days)
    follow = (
        fb.join(
            relative,
            [
                fb.customer_id == relative.order_customer,
                relative.order_ts > fb.ts,
                relative.order_ts <= fb.ts + ahead,
            ],
        )
        .group_by("feedback_id")
        .aggregate(n_orders=lambda t: t.count(), order_value=lambda t: t.value.sum())
        .rename(follow_id="feedback_id")
    )
    rows = fb.left_join(follow, fb.feedback_id == follow.follow_id)
    rows = rows.mutate(
        period=rows.ts.truncate(_UNIT[options.period]).date(),
        failed=rows.feedback_id.isin(failed.feedback_id).cast("float64"),
        n_orders=rows.n_orders.fill_null(0).cast("float64"),
        order_value=rows.order_value.fill_null(0.0),
        csat_good=(rows.csat >= 4).cast("float64"),
        promoter=ibis.cases((rows.nps >= 9, 100.0), (rows.nps <= 6, -100.0), else_=0.0),
    )
    return rows.group_by("team_id", "period").aggregate(
        csat=lambda t: t.csat.cast("float64").mean(),
        csat_good=lambda t: t.csat_good.mean(),
        ces=lambda t: t.ces.cast("float64").mean(),
        no_failure=lambda t: 1.0 - t.failed.mean(),
        nps=lambda t: t.nps.cast("float64").mean(),
        nps_score=lambda t: t.promoter.mean(where=t.nps.notnull()),
        repeat_share=lambda t: (t.n_orders > 0).cast("float64").mean(),
        orders=lambda t: t.n_orders.mean(),
        revenue=lambda t: t.order_value.mean(),
        feedback=lambda t: t.count(),
    )


def team_period_table(wh: Warehouse, options: TeamPeriodOptions) -> pd.DataFrame:
    """The value chain's cases, one row per team and period (see the module docstring)."""
    people = pulse_cells(wh.table("employee_pulses"), options)
    served = feedback_cells(wh.table("feedback"), wh.table("events"), wh.table("orders"), options)
    cells = served.join(people, ["team_id", "period"])
    frame = wh.to_pandas(cells.order_by("team_id", "period"))
    last_order = wh.to_pandas(wh.table("orders").ts.max().name("last").as_table())["last"][0]
    if frame.empty or pd.isna(last_order):
        return frame.iloc[0:0]
    period = pd.to_datetime(frame["period"])
    ends = period + pd.DateOffset(months=_MONTHS[options.period])
    horizon = pd.Timestamp(last_order).tz_localize(None) - pd.Timedelta(days=options.follow_up_days)
    keep = (ends <= horizon) & (frame["feedback"] >= options.min_feedback)
    keep &= frame["pulses"] >= options.min_pulses
    frame = frame[keep].reset_index(drop=True)
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    return frame
