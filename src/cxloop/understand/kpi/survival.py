"""Kaplan-Meier estimates for durations with censoring (time to close a case).

The warehouse reduces the durations to counts per distinct time and outcome
(:func:`cxloop.understand.kpi.aggregation.survival_statistics`); the estimate runs here on
those counts with statsmodels' ``SurvfuncRight``. How it fits the KPI result model: ``value``
is the median (hours), ``ci_low``/``ci_high`` its 95% interval (Brookmeyer-Crowley, on the
complementary log-log scale), ``n`` the cases, ``events`` those resolved (the rest are
censored). The median is the first time at which the estimated share still open falls below
one half; while half or more of the cases are open it is not reached and ``value`` is None,
and an interval without an upper end has ``ci_high`` None. The change against the previous
period is the difference of medians, tested with the log-rank test.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from statsmodels.duration.survfunc import SurvfuncRight, survdiff


@dataclass(frozen=True)
class Durations:
    """Distinct durations with how many ended in an event and how many were censored there."""

    times: tuple[float, ...]
    events: tuple[int, ...]
    counts: tuple[int, ...]

    @property
    def n(self) -> int:
        return int(sum(self.counts))

    @property
    def event_count(self) -> int:
        return int(sum(c for e, c in zip(self.events, self.counts, strict=True) if e))

    def expanded(self) -> tuple[np.ndarray, np.ndarray]:
        """One entry per case: durations and event flags."""
        counts = np.asarray(self.counts, dtype=int)
        return (
            np.repeat(np.asarray(self.times, dtype=float), counts),
            np.repeat(np.asarray(self.events, dtype=int), counts),
        )


@dataclass(frozen=True)
class SurvivalPoint:
    """The Kaplan-Meier curve at one event time: the share still open and its 95% band."""

    hours: float
    still_open: float
    ci_low: float | None
    ci_high: float | None
    at_risk: int


def _fit(durations: Durations) -> SurvfuncRight | None:
    if durations.event_count == 0:
        return None
    times, events = durations.expanded()
    return SurvfuncRight(times, events)


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else float(value)


def km_median(durations: Durations) -> tuple[float | None, float | None, float | None]:
    """The Kaplan-Meier median and its 95% interval (None where not reached).

    Examples
    --------
    >>> d = Durations((2.0, 4.0, 5.0, 6.0, 8.0), (1, 1, 0, 1, 1), (1, 1, 1, 1, 1))
    >>> km_median(d)[0]
    6.0
    """
    fit = _fit(durations)
    if fit is None:
        return (None, None, None)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        median = fit.quantile(0.5)
        low, high = fit.quantile_ci(0.5)
    return (_finite(median), _finite(low), _finite(high))


def km_curve(durations: Durations) -> list[SurvivalPoint]:
    """The Kaplan-Meier curve at each event time, starting at 0 hours with everyone open."""
    fit = _fit(durations)
    points = [SurvivalPoint(0.0, 1.0, 1.0, 1.0, durations.n)]
    if fit is None:
        return points
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        low, high = _pointwise_band(fit)
    for k, t in enumerate(fit.surv_times):
        points.append(
            SurvivalPoint(
                float(t),
                float(fit.surv_prob[k]),
                _finite(low[k]),
                _finite(high[k]),
                int(fit.n_risk[k]),
            )
        )
    return points


def _pointwise_band(fit: SurvfuncRight) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise 95% band on the log(-log) scale (the interval stays inside 0..1)."""
    prob = np.asarray(fit.surv_prob, dtype=float)
    se = np.asarray(fit.surv_prob_se, dtype=float)
    with np.errstate(all="ignore"):
        log_log = np.log(-np.log(prob))
        se_ll = se / (prob * np.abs(np.log(prob)))
        low = np.exp(-np.exp(log_log + 1.959964 * se_ll))
        high = np.exp(-np.exp(log_log - 1.959964 * se_ll))
    return low, high


def logrank_p_value(current: Durations, previous: Durations) -> float:
    """Two-sided p-value of the log-rank test that two sets of durations differ."""
    if current.n == 0 or previous.n == 0:
        return math.nan
    if current.event_count + previous.event_count == 0:
        return math.nan
    t1, e1 = current.expanded()
    t2, e2 = previous.expanded()
    groups = np.concatenate([np.zeros(len(t1), dtype=int), np.ones(len(t2), dtype=int)])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, p = survdiff(np.concatenate([t1, t2]), np.concatenate([e1, e2]), groups)
    return float(p)
