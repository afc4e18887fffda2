"""Journey steps as Ibis expressions: each customer's touchpoints in time order, cut into
journeys, with immediate repeats collapsed.

Pure: table expressions in, table expressions out, written with window functions (``lag``,
``lead``, a running sum, ``row_number``) so the warehouse does the work on any backend.

- A *visit* is an event or a piece of feedback of a known customer at a known touchpoint.
- A journey ends when a customer has no visit for more than ``gap_seconds``; the next visit
  starts a new journey.
- Within a journey, consecutive visits at the same touchpoint are one *step* (a web session of
  twelve page views is one step at ``web``); the step's time is its first visit's.
"""

from __future__ import annotations

from datetime import date, datetime

import ibis
import ibis.expr.types as ir

VISIT_COLUMNS = ("customer_id", "ts", "touchpoint")
STEP_COLUMNS = (
    "customer_id", "journey", "step", "touchpoint", "t", "next_touchpoint", "next_t",
)  # fmt: skip


def day_start(value: date) -> ir.Value:
    """A date as a timestamp literal at midnight, for comparing with ``ts`` columns."""
    return ibis.literal(datetime(value.year, value.month, value.day), type="timestamp")


def _known(table: ir.Table) -> ir.Table:
    return table.filter(
        table.customer_id.notnull(), table.touchpoint.notnull(), table.touchpoint != "",
        table.ts.notnull(),
    )  # fmt: skip


def touchpoint_visits(
    events: ir.Table,
    feedback: ir.Table | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> ir.Table:
    """Every visit of a known customer to a touchpoint: columns ``customer_id``, ``ts`` (a
    timestamp) and ``touchpoint``, from events and (when given) feedback."""
    parts = [events]
    if feedback is not None:
        parts.append(feedback)
    selected = [
        _known(p).select(
            customer_id=p.customer_id.cast("string"),
            ts=p.ts.cast("timestamp"),
            touchpoint=p.touchpoint.cast("string"),
        )
        for p in parts
    ]
    visits = selected[0] if len(selected) == 1 else ibis.union(*selected, distinct=False)
    if since is not None:
        visits = visits.filter(visits.ts >= day_start(since))
    if until is not None:
        visits = visits.filter(visits.ts < day_start(until))
    return visits


def journey_steps(visits: ir.Table, *, gap_seconds: float) -> ir.Table:
    """Visits cut into journeys and collapsed into steps.

    Returns one row per step: ``customer_id``, ``journey`` (1, 2, … per customer), ``step``
    (1, 2, … per journey), ``touchpoint``, ``t`` (epoch seconds of the step's first visit),
    and ``next_touchpoint`` / ``next_t`` of the journey's next step (null at its last step).
    """
    t = visits.mutate(t=visits.ts.epoch_seconds().cast("int64"))
    by_time = ibis.window(group_by=t.customer_id, order_by=[t.t, t.touchpoint])
    t = t.mutate(prev_t=t.t.lag().over(by_time), prev_tp=t.touchpoint.lag().over(by_time))
    starts = t.prev_t.isnull() | ((t.t - t.prev_t) > ibis.literal(gap_seconds))
    t = t.mutate(
        new_journey=starts.cast("int64"),
        repeat=(~starts) & (t.touchpoint == t.prev_tp),
    )
    t = t.mutate(journey=t.new_journey.sum().over(
        ibis.window(group_by=t.customer_id, order_by=[t.t, t.touchpoint], rows=(None, 0))
    ))  # fmt: skip
    steps = t.filter(~t.repeat)
    in_journey = ibis.window(group_by=[steps.customer_id, steps.journey], order_by=[steps.t])
    steps = steps.mutate(
        step=ibis.row_number().over(in_journey) + 1,
        next_touchpoint=steps.touchpoint.lead().over(in_journey),
        next_t=steps.t.lead().over(in_journey),
    )
    return steps.select(*STEP_COLUMNS)
