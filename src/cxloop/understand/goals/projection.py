"""A weighted linear trend through period values, carried forward to a deadline.

Each period's value is weighted by the inverse of its sampling variance (read off its 95%
interval), so a month with 40 answers counts less than one with 4,000. When the periods scatter
around the line more than their sampling error allows, the covariance is scaled up by that
excess (the reduced chi-square, never below 1), and the interval at the deadline uses Student's
t with k - 2 degrees of freedom: an honest, wide interval from few or noisy periods.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import stats

from cxloop.understand.kpi.statistics import Z95

#: a trend needs at least this many periods (two points always fit a line exactly)
MIN_TREND_PERIODS = 3


@dataclass(frozen=True)
class TrendFit:
    """The fitted line at ``x`` (days since the first period's middle)."""

    value: float
    se: float
    df: int
    slope_per_day: float
    dispersion: float

    def interval(self) -> tuple[float, float]:
        """The 95% interval of the trend line's value."""
        half = float(stats.t.ppf(0.975, self.df)) * self.se
        return (self.value - half, self.value + half)

    def probability_at_least(self, target: float) -> float:
        """P(line value ≥ target) under the t distribution of the fit."""
        if self.se == 0:
            return 1.0 if self.value >= target else 0.0
        return float(stats.t.sf((target - self.value) / self.se, self.df))


def interval_se(ci_low: float, ci_high: float) -> float:
    """The standard error a 95% interval implies (half its width over 1.96)."""
    return (ci_high - ci_low) / (2 * Z95)


def weighted_trend(
    days: list[float], values: list[float], ses: list[float], at_day: float
) -> TrendFit:
    """Fit ``value = a + b·day`` by weighted least squares and evaluate it at ``at_day``.

    ``ses`` are the values' standard errors; a zero one (every answer the same) is raised to
    a tenth of the smallest positive one so that no period gets infinite weight.

    Examples
    --------
    >>> fit = weighted_trend([0, 30, 60, 90], [10, 12, 14, 16], [1, 1, 1, 1], 120)
    >>> round(fit.value, 6), round(fit.slope_per_day * 30, 6), fit.dispersion
    (18.0, 2.0, 1.0)
    """
    k = len(values)
    if k < MIN_TREND_PERIODS:
        raise ValueError(f"a trend needs at least {MIN_TREND_PERIODS} periods, got {k}")
    x = np.asarray(days, dtype=float)
    y = np.asarray(values, dtype=float)
    se = np.asarray(ses, dtype=float)
    positive = se[se > 0]
    floor = positive.min() / 10 if len(positive) else 1e-6
    se = np.where(se > 0, se, floor)
    w = 1 / se**2
    design = np.column_stack([np.ones(k), x])
    xtwx = design.T @ (design * w[:, None])
    cov = np.linalg.inv(xtwx)
    beta = cov @ (design.T @ (w * y))
    residuals = y - design @ beta
    chi2 = float(np.sum(w * residuals**2))
    dispersion = max(1.0, chi2 / (k - 2))
    cov = cov * dispersion
    point = np.array([1.0, at_day])
    value = float(point @ beta)
    variance = float(point @ cov @ point)
    return TrendFit(
        value=value,
        se=math.sqrt(max(variance, 0.0)),
        df=k - 2,
        slope_per_day=float(beta[1]),
        dispersion=dispersion,
    )


def days_between(first: date, second: date) -> float:
    """Days from ``first`` to ``second``."""
    return float((second - first).days)
