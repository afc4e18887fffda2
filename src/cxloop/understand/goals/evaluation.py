"""Evaluate goals on the warehouse: each goal's period values from the KPI library, then the
status rule (:mod:`cxloop.understand.goals.status`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

import ibis.expr.types as ir

from cxloop.domain.goal import Goal, GoalEvaluation, TrendPoint
from cxloop.domain.kpi import KpiReport
from cxloop.understand.goals.status import goal_status
from cxloop.understand.kpi import kpi_report
from cxloop.understand.kpi.segment_rows import rows_in_segment

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

#: without a ``start``, the trend reads this many periods up to the deadline (or today)
TREND_PERIODS = 12
#: tables whose rows belong to a customer, filtered for a goal scoped to a segment
_CUSTOMER_TABLES = ("feedback", "orders", "survey_invitations")


class SegmentView:
    """The warehouse as one segment's members see it: the customer tables keep only rows whose
    customer was in the segment at the row's time (the same membership intervals as a KPI
    broken down by segment: :mod:`cxloop.understand.kpi.segment_rows`). Reads only; the KPI
    library takes it in place of a warehouse."""

    # the daily KPI rollup counts every customer's feedback: a segment's KPIs read the rows
    rows_filtered = True

    def __init__(self, wh: Warehouse, segment_id: str) -> None:
        self._wh = wh
        self.segment_id = segment_id

    @property
    def lock(self) -> Any:
        return self._wh.lock

    @property
    def ibis(self) -> Any:
        return self._wh.ibis

    def table(self, name: str) -> ir.Table:
        table = self._wh.table(name)
        log = self._wh.table("segment_members")
        if name == "cases":  # a case is the customer's as of when it was opened
            dated = table.mutate(ts=table.opened_at)
            return rows_in_segment(dated, log, self.segment_id).drop("ts")
        if name not in _CUSTOMER_TABLES:
            return table
        return rows_in_segment(table, log, self.segment_id)

    def to_pandas(self, expr: ir.Expr) -> Any:
        return self._wh.to_pandas(expr)


def evaluate_goals(
    wh: Warehouse, goals: list[Goal], *, as_of: date | None = None, small_n: int = 30
) -> list[GoalEvaluation]:
    """Each goal's status as of ``as_of`` (default today), with its period values.

    Goals that read the same KPI, breakdown, period and window share one query.
    """
    day = as_of or date.today()
    reports: dict[tuple[Any, ...], KpiReport] = {}
    return [_evaluate(wh, goal, day, small_n, reports) for goal in goals]


def evaluate_goal(
    wh: Warehouse, goal: Goal, *, as_of: date | None = None, small_n: int = 30
) -> GoalEvaluation:
    """One goal's status as of ``as_of`` (default today); see :func:`evaluate_goals`."""
    return evaluate_goals(wh, [goal], as_of=as_of, small_n=small_n)[0]


def goal_trend(
    wh: Warehouse, goal: Goal, as_of: date, small_n: int,
    reports: dict[tuple[Any, ...], KpiReport] | None = None,
) -> list[TrendPoint]:  # fmt: skip
    """The KPI in the goal's scope per period, from ``start`` up to the deadline or ``as_of``,
    whichever comes first (the last :data:`TREND_PERIODS` periods when there is no start)."""
    until = min(goal.deadline, as_of) + timedelta(days=1)
    dimension = goal.scope.dimension
    by = dimension if dimension not in (None, "segment") else None
    key = (goal.kpi, by, goal.scope.value if dimension == "segment" else None, goal.period,
           goal.start, until)  # fmt: skip
    cache = reports if reports is not None else {}
    if key not in cache:
        source = SegmentView(wh, str(goal.scope.value)) if dimension == "segment" else wh
        cache[key] = kpi_report(
            cast("Warehouse", source), goal.kpi, by=by, period=goal.period,  # type: ignore[arg-type]
            since=goal.start, until=until, small_n=small_n,
        )  # fmt: skip
    points = [
        TrendPoint(
            period_start=r.period_start,
            value=r.value,
            n=r.n,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            small_n=r.small_n,
        )
        for r in cache[key].results
        if r.period_start is not None and (by is None or r.group == goal.scope.value)
    ]
    points.sort(key=lambda p: p.period_start)
    return points if goal.start is not None else points[-TREND_PERIODS:]


def _evaluate(
    wh: Warehouse, goal: Goal, as_of: date, small_n: int,
    reports: dict[tuple[Any, ...], KpiReport],
) -> GoalEvaluation:  # fmt: skip
    trend = goal_trend(wh, goal, as_of, small_n, reports)
    result = goal_status(
        trend, kpi=goal.kpi, target=goal.target, direction=goal.direction,
        deadline=goal.deadline, as_of=as_of, period=goal.period, small_n=small_n,
    )  # fmt: skip
    return GoalEvaluation(
        goal=goal, as_of=as_of, status=result.status, reason=result.reason,
        sentence=result.sentence, latest=result.latest, projection=result.projection,
        trend=trend, small_n_threshold=small_n,
    )  # fmt: skip
