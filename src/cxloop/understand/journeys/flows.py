"""What journey steps add up to, as Ibis expressions: the most common paths, the flows from
step to step (the Sankey chart), the time between steps, and where journeys end.

Pure: a steps table (:func:`cxloop.understand.journeys.steps.journey_steps`) in, small
aggregate tables out; nothing here holds a customer id.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

#: joins the touchpoints of a path inside the warehouse (a touchpoint never holds it)
PATH_SEPARATOR = "\x1f"
HOUR = 3600.0


def journey_totals(steps: ir.Table) -> ir.Table:
    """One row: ``journeys`` and ``customers``."""
    first = steps.filter(steps.step == 1)
    return first.aggregate(journeys=first.count(), customers=first.customer_id.nunique())


def common_paths(steps: ir.Table, *, max_steps: int, top: int) -> ir.Table:
    """The ``top`` most common paths over the first ``max_steps`` steps of each journey.

    Columns ``path`` (touchpoints joined by :data:`PATH_SEPARATOR`), ``continues`` (the
    journeys went on beyond ``max_steps``) and ``journeys``; most common first, ties by path.
    """
    # one column per step, then joined in step order: an ordered group_concat would say it
    # in one line, but Spark (through Ibis) cannot order an aggregate
    at_step = {
        f"step_{k}": steps.touchpoint.max(where=steps.step == k) for k in range(1, max_steps + 1)
    }
    per_journey = steps.group_by(["customer_id", "journey"]).aggregate(
        **at_step, continues=steps.step.max() > max_steps
    )
    path = per_journey.step_1
    for k in range(2, max_steps + 1):
        touchpoint = per_journey[f"step_{k}"]
        path = touchpoint.isnull().ifelse(path, path.concat(PATH_SEPARATOR, touchpoint))
    paths = per_journey.select(path=path, continues=per_journey.continues)
    counted = paths.group_by(["path", "continues"]).aggregate(journeys=ibis._.count())
    return counted.order_by([ibis.desc("journeys"), "path", "continues"]).limit(top)


def step_nodes(steps: ir.Table, *, max_steps: int) -> ir.Table:
    """Per (``step``, ``touchpoint``) up to ``max_steps``: ``journeys`` reaching it and how
    many ``ended`` there (no next step)."""
    shown = steps.filter(steps.step <= max_steps)
    return shown.group_by(["step", "touchpoint"]).aggregate(
        journeys=shown.count(),
        ended=shown.next_touchpoint.isnull().cast("int64").sum(),
    )


def step_links(steps: ir.Table, *, max_steps: int) -> ir.Table:
    """Per (``step``, ``source``, ``target``): journeys moving from ``source`` at ``step`` to
    ``target`` at ``step + 1``, for steps before ``max_steps``."""
    moving = steps.filter(steps.step < max_steps, steps.next_touchpoint.notnull())
    return moving.group_by(
        step=moving.step, source=moving.touchpoint, target=moving.next_touchpoint
    ).aggregate(journeys=ibis._.count())


def step_transitions(steps: ir.Table) -> ir.Table:
    """Per (``source``, ``target``) at any step: ``journeys`` and the median, first and third
    quartile of the time between the two steps, in hours."""
    moving = steps.filter(steps.next_touchpoint.notnull())
    hours = (moving.next_t - moving.t).cast("float64") / HOUR
    return moving.group_by(source=moving.touchpoint, target=moving.next_touchpoint).aggregate(
        journeys=ibis._.count(),
        median_hours=hours.quantile(0.5),
        q1_hours=hours.quantile(0.25),
        q3_hours=hours.quantile(0.75),
    )


def touchpoint_ends(steps: ir.Table) -> ir.Table:
    """Per touchpoint at any step: ``visits`` (journey steps there) and journeys ``ended``
    there."""
    return steps.group_by("touchpoint").aggregate(
        visits=steps.count(),
        ended=steps.next_touchpoint.isnull().cast("int64").sum(),
    )
