"""Intervals and tests for KPI values, computed from sufficient statistics.

Every KPI reduces to one of three shapes of counts, so one group-by in the warehouse gives all
that is needed and the statistics run here on a handful of numbers per cell:

- ``nps``: n, promoters, detractors (a trinomial: promoter / passive / detractor);
- ``proportion``: n, successes (Wilson interval, two-proportion z-test);
- ``mean``: n, sum, sum of squares (t interval, Welch's t-test).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import stats

Z95 = float(stats.norm.ppf(0.975))


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion.

    Examples
    --------
    >>> low, high = wilson_interval(8, 10)
    >>> round(low, 4), round(high, 4)
    (0.4902, 0.9433)
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if successes <= 0 else max(0.0, centre - half)
    high = 1.0 if successes >= n else min(1.0, centre + half)
    return (low, high)


def nps_variance(n: float, promoters: float, detractors: float) -> float:
    """Per-response variance of the NPS score (+1 promoter, 0 passive, -1 detractor)."""
    if n <= 0:
        return math.nan
    p, d = promoters / n, detractors / n
    return (p + d) - (p - d) ** 2


def nps_interval(
    n: float, promoters: float, detractors: float, z: float = Z95
) -> tuple[float, float]:
    """Normal interval for NPS in points (-100..100) from the trinomial variance.

    Examples
    --------
    >>> [round(v, 2) for v in nps_interval(100, 50, 20)]
    [14.69, 45.31]
    """
    if n <= 0:
        return (math.nan, math.nan)
    value = 100 * (promoters - detractors) / n
    half = 100 * z * math.sqrt(nps_variance(n, promoters, detractors) / n)
    return (max(-100.0, value - half), min(100.0, value + half))


def mean_interval(n: float, total: float, total_sq: float) -> tuple[float, float]:
    """Student t interval for a mean from n, sum and sum of squares."""
    if n < 2:
        return (math.nan, math.nan)
    mean = total / n
    sd = sample_sd(n, total, total_sq)
    half = _t975(int(n) - 1) * sd / math.sqrt(n)
    return (mean - half, mean + half)


@lru_cache(maxsize=4096)
def _t975(df: int) -> float:
    return float(stats.t.ppf(0.975, df))


def sample_sd(n: float, total: float, total_sq: float) -> float:
    """Sample standard deviation (n - 1 denominator) from n, sum and sum of squares."""
    if n < 2:
        return math.nan
    var = (total_sq - total * total / n) / (n - 1)
    return math.sqrt(max(var, 0.0))


def nps_change_test(
    current: tuple[float, float, float], previous: tuple[float, float, float]
) -> float:
    """Two-sided p-value of a z-test that two NPS values (each (n, promoters, detractors)) differ.

    The standard error of the difference is sqrt(v1/n1 + v2/n2) with v the trinomial variance.
    """
    (n1, p1, d1), (n2, p2, d2) = current, previous
    if n1 <= 0 or n2 <= 0:
        return math.nan
    diff = (p1 - d1) / n1 - (p2 - d2) / n2
    se = math.sqrt(nps_variance(n1, p1, d1) / n1 + nps_variance(n2, p2, d2) / n2)
    return _two_sided(diff, se)


def proportion_change_test(current: tuple[float, float], previous: tuple[float, float]) -> float:
    """Two-sided p-value of the pooled two-proportion z-test; arguments are (n, successes)."""
    (n1, s1), (n2, s2) = current, previous
    if n1 <= 0 or n2 <= 0:
        return math.nan
    pooled = (s1 + s2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return _two_sided(s1 / n1 - s2 / n2, se)


def mean_change_test(
    current: tuple[float, float, float], previous: tuple[float, float, float]
) -> float:
    """Two-sided p-value of Welch's t-test from (n, sum, sum of squares) of each period."""
    (n1, t1, q1), (n2, t2, q2) = current, previous
    if n1 < 2 or n2 < 2:
        return math.nan
    sd1, sd2 = sample_sd(n1, t1, q1), sample_sd(n2, t2, q2)
    if sd1 == 0 and sd2 == 0:
        return 1.0 if t1 / n1 == t2 / n2 else 0.0
    result = stats.ttest_ind_from_stats(t1 / n1, sd1, n1, t2 / n2, sd2, n2, equal_var=False)
    return float(result.pvalue)


def _two_sided(diff: float, se: float) -> float:
    if se == 0 or math.isnan(se):
        return 1.0 if diff == 0 else 0.0
    return math.erfc(abs(diff) / se / math.sqrt(2))  # = 2 · (1 − Φ(|z|))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted.

    Examples
    --------
    >>> [round(q, 3) for q in benjamini_hochberg([0.01, 0.04, 0.03, 0.5])]
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = len(valid)
    if m == 0:
        return q.tolist()
    order = valid[np.argsort(p[valid])]
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    q[order] = np.minimum(adjusted, 1.0)
    return q.tolist()
