"""The status rule: a goal's period values, its target and deadline → hit, on track, at risk,
miss or not enough data, with the rule that decided said as a sentence.

1. No observations up to the deadline, or the latest period has fewer than ``small_n``: **not
   enough data**.
2. The latest period's 95% interval lies wholly on the good side of the target (for
   "higher is better", its lower bound is at or above the target): **hit**.
3. Otherwise, once the deadline has passed: **miss** (the sentence says whether the interval
   lies wholly on the wrong side, or still includes the target so reaching it was not shown).
4. Before the deadline, a weighted linear trend over the periods with at least ``small_n``
   observations (three at least, else **not enough data**) is carried to the deadline
   (:mod:`cxloop.understand.goals.projection`): **on track** when the projected value is on the
   good side of the target, **at risk** when it is not.

Only the latest period is tested against the target, once, so the status does not turn to "hit"
by chance from looking at many periods.
"""

from __future__ import annotations

from datetime import date, timedelta

from cxloop.domain.goal import GoalStatus, Projection, StatusReason, StatusResult, TrendPoint
from cxloop.understand.goals.projection import (
    MIN_TREND_PERIODS,
    days_between,
    interval_se,
    weighted_trend,
)
from cxloop.understand.kpi import kpi_definition

#: the values a KPI can take (None: unbounded), to keep a projected line inside them
KPI_RANGE: dict[str, tuple[float | None, float | None]] = {
    "nps": (-100.0, 100.0),
    "enps": (-100.0, 100.0),
    "csat_mean": (1.0, 5.0),
    "ces": (1.0, 7.0),
    "revenue_per_customer": (0.0, None),
    "time_to_close": (0.0, None),
}
#: KPIs for which a lower value is better; every other KPI is "higher is better"
LOWER_IS_BETTER = frozenset({"ces", "churn_rate", "time_to_close"})


def kpi_range(kpi: str) -> tuple[float | None, float | None]:
    """The values ``kpi`` can take: shares 0..1, NPS -100..100, CSAT mean 1..5, CES 1..7."""
    if kpi in KPI_RANGE:
        return KPI_RANGE[kpi]
    return (0.0, 1.0) if kpi_definition(kpi).unit == "share" else (None, None)


def default_direction(kpi: str) -> str:
    """``lower`` for effort, churn and time to close, ``higher`` for every other KPI."""
    return "lower" if kpi in LOWER_IS_BETTER else "higher"


def period_end(start: date, period: str) -> date:
    """The first day after the period that starts on ``start``."""
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    months = 1 if period == "month" else 3
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def format_value(kpi: str, value: float | None) -> str:
    """A KPI value as people read it: shares as percentages, NPS in points, means to 2 places."""
    if value is None:
        return "—"
    definition = kpi_definition(kpi)
    if definition.unit == "share":
        return f"{100 * value:.1f}%"
    if definition.shape == "nps":
        return f"{value:.1f}"
    if definition.unit == "hours":
        return f"{value:.1f} h"
    return f"{value:.2f}"


def goal_status(
    points: list[TrendPoint],
    *,
    kpi: str,
    target: float,
    direction: str,
    deadline: date,
    as_of: date,
    period: str = "month",
    small_n: int = 30,
) -> StatusResult:
    """Apply the status rule (see the module docstring) to a goal's period values.

    Examples
    --------
    >>> from datetime import date
    >>> p = TrendPoint(period_start=date(2026, 6, 1), value=52.0, n=400, ci_low=45.0,
    ...                ci_high=59.0)
    >>> r = goal_status([p], kpi="nps", target=40, direction="higher",
    ...                 deadline=date(2026, 6, 30), as_of=date(2026, 7, 1))
    >>> r.status.value
    'hit'
    """
    higher = direction != "lower"
    fmt = _Formatter(kpi, period)
    seen = [p for p in points if p.n > 0 and p.value is not None and p.period_start <= deadline]
    if not seen:
        return StatusResult(
            status=GoalStatus.NOT_ENOUGH_DATA, reason=StatusReason.NO_DATA,
            sentence=f"Not enough data: no observations in this scope up to the deadline "
            f"{deadline.isoformat()}.",
        )  # fmt: skip
    latest = seen[-1]
    where = fmt.point(latest)
    if latest.n < small_n or latest.ci_low is None or latest.ci_high is None:
        return StatusResult(
            status=GoalStatus.NOT_ENOUGH_DATA, reason=StatusReason.SMALL_N, latest=latest,
            sentence=f"Not enough data: {where}; the rule needs n of at least {small_n} "
            "(setting kpi_small_n).",
        )  # fmt: skip
    side = "above" if higher else "below"
    wrong = "below" if higher else "above"
    goal = f"the target {fmt.value(target)}"
    if (latest.ci_low >= target) if higher else (latest.ci_high <= target):
        return StatusResult(
            status=GoalStatus.HIT, reason=StatusReason.HIT, latest=latest,
            sentence=f"Hit: {where}; the whole interval is at or {side} {goal}.",
        )  # fmt: skip
    if as_of > deadline:
        if (latest.ci_high < target) if higher else (latest.ci_low > target):
            return StatusResult(
                status=GoalStatus.MISS, reason=StatusReason.MISSED, latest=latest,
                sentence=f"Miss: the deadline {deadline.isoformat()} has passed and {where}; "
                f"the whole interval is {wrong} {goal}.",
            )  # fmt: skip
        return StatusResult(
            status=GoalStatus.MISS, reason=StatusReason.MISSED_UNPROVEN, latest=latest,
            sentence=f"Miss: the deadline {deadline.isoformat()} has passed and {where}; the "
            f"interval includes {goal}, so reaching it was not shown.",
        )  # fmt: skip
    usable = [p for p in seen if p.n >= small_n and p.ci_low is not None and p.ci_high is not None]
    if len(usable) < MIN_TREND_PERIODS:
        return StatusResult(
            status=GoalStatus.NOT_ENOUGH_DATA, reason=StatusReason.TOO_FEW_PERIODS,
            latest=latest,
            sentence=f"Not enough data for a trend: {len(usable)} {period}(s) with n of at "
            f"least {small_n}, and a trend needs {MIN_TREND_PERIODS}; {where}.",
        )  # fmt: skip
    projection = _project(usable, deadline, period, kpi, target, higher)
    towards = f"{fmt.value(projection.value)} (95% CI {fmt.value(projection.ci_low)} to " + (
        f"{fmt.value(projection.ci_high)}) at the deadline {deadline.isoformat()}"
    )
    trend = f"the weighted linear trend over {projection.periods} {period}s projects {towards}"
    if (projection.value >= target) if higher else (projection.value <= target):
        return StatusResult(
            status=GoalStatus.ON_TRACK, reason=StatusReason.ON_TRACK, latest=latest,
            projection=projection,
            sentence=f"On track: {trend}, at or {side} {goal}; {where}.",
        )  # fmt: skip
    return StatusResult(
        status=GoalStatus.AT_RISK, reason=StatusReason.AT_RISK, latest=latest,
        projection=projection,
        sentence=f"At risk: {trend}, {wrong} {goal}; {where}.",
    )  # fmt: skip


def _project(
    usable: list[TrendPoint], deadline: date, period: str, kpi: str, target: float, higher: bool
) -> Projection:
    origin = usable[0].period_start
    days = [days_between(origin, _middle(p.period_start, period)) for p in usable]
    ses = [interval_se(p.ci_low, p.ci_high) for p in usable]  # type: ignore[arg-type]
    values = [float(p.value) for p in usable]  # type: ignore[arg-type]
    fit = weighted_trend(days, values, ses, days_between(origin, deadline))
    low, high = fit.interval()
    lo, hi = kpi_range(kpi)

    def clip(v: float) -> float:
        if lo is not None:
            v = max(lo, v)
        return min(hi, v) if hi is not None else v

    above = fit.probability_at_least(target)
    span = days_between(usable[0].period_start, period_end(usable[0].period_start, period))
    return Projection(
        value=clip(fit.value), ci_low=clip(low), ci_high=clip(high),
        slope_per_period=fit.slope_per_day * span, periods=len(usable),
        dispersion=fit.dispersion, probability=above if higher else 1 - above,
    )  # fmt: skip


def _middle(start: date, period: str) -> date:
    return start + (period_end(start, period) - start) / 2


class _Formatter:
    def __init__(self, kpi: str, period: str) -> None:
        self.kpi, self.period = kpi, period

    def value(self, v: float | None) -> str:
        return format_value(self.kpi, v)

    def point(self, p: TrendPoint) -> str:
        interval = (
            f" (95% CI {self.value(p.ci_low)} to {self.value(p.ci_high)}, n = {p.n})"
            if p.ci_low is not None and p.ci_high is not None
            else f" (n = {p.n})"
        )
        return (
            f"the latest {self.period} ({p.period_start.isoformat()}) is "
            f"{self.value(p.value)}{interval}"
        )
