"""What the Scorecard page shows: the goals' status, a KPI's trend with its interval, and a
drill-down of the latest period by a dimension with Benjamini-Hochberg-adjusted change flags.

Calls the KPI library's public functions only; nothing here builds a query of its own.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from cxloop.domain.goal import GoalEvaluation, GoalStatus
from cxloop.domain.kpi import KpiResult
from cxloop.storage import Warehouse
from cxloop.understand.goals import default_direction, evaluate_goals, stored_goals
from cxloop.understand.goals.status import period_end
from cxloop.understand.kpi import kpi_report

#: customer-centric KPIs of feedback and of the closed loop, in the order the Scorecard offers
SCORECARD_KPIS = ("nps", "csat", "csat_mean", "ces", "closed_loop_rate", "time_to_close")
#: dimensions the drill-down breaks a KPI down by
DRILL_DIMENSIONS = ("team", "touchpoint", "channel", "language", "country", "segment")
TREND_PERIODS = 12


class DrillDown(BaseModel):
    """One KPI by a dimension over the latest period, each cell against the same number of
    days just before it; q-values adjust the cells' p-values together (Benjamini-Hochberg)."""

    kpi: str
    dimension: str
    since: date
    until: date
    previous_since: date | None
    cells: list[KpiResult]
    note: str | None = None


def goal_overview(
    wh: Warehouse, *, as_of: date | None = None, small_n: int = 30, team: str | None = None
) -> list[GoalEvaluation]:
    """Every stored goal (or a team's), judged as of ``as_of``."""
    return evaluate_goals(wh, stored_goals(wh, team=team), as_of=as_of, small_n=small_n)


def status_counts(evaluations: list[GoalEvaluation]) -> dict[GoalStatus, int]:
    """How many goals have each status, in the order hit, on track, at risk, miss, no data."""
    return {s: sum(e.status is s for e in evaluations) for s in GoalStatus}


def kpi_trend(
    wh: Warehouse, kpi: str, *, period: str = "month", small_n: int = 30,
    periods: int = TREND_PERIODS,
) -> list[KpiResult]:  # fmt: skip
    """The company-wide KPI over the last ``periods`` periods that have data."""
    report = kpi_report(wh, kpi, period=period, small_n=small_n)  # type: ignore[arg-type]
    return report.results[-periods:]


def drill_down(
    wh: Warehouse, kpi: str, dimension: str, *, latest: date, period: str = "month",
    small_n: int = 30,
) -> DrillDown:  # fmt: skip
    """``kpi`` by ``dimension`` over the period starting on ``latest``, compared with the same
    number of days before it."""
    until = period_end(latest, period)
    report = kpi_report(wh, kpi, by=dimension, since=latest, until=until, small_n=small_n)
    sign = 1.0 if default_direction(kpi) == "lower" else -1.0  # the best cell first

    def best_first(c: KpiResult) -> tuple[bool, float]:
        return (c.value is None, sign * (c.value or 0.0))

    cells = sorted(report.results, key=best_first)
    return DrillDown(
        kpi=kpi, dimension=dimension, since=latest, until=until,
        previous_since=report.previous_since, cells=cells, note=report.note,
    )  # fmt: skip
