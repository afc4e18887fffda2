"""Intervals and tests against hand computation and against scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as s
from scipy import stats

from cxloop.understand.kpi import statistics as st


def test_wilson_interval_by_hand() -> None:
    # 8 of 10: centre (0.8 + z²/20)/(1 + z²/10), half z·sqrt(0.016 + z²/400)/(1 + z²/10)
    z = 1.959963984540054
    denom = 1 + z**2 / 10
    centre = (0.8 + z**2 / 20) / denom
    half = z * math.sqrt(0.8 * 0.2 / 10 + z**2 / 400) / denom
    low, high = st.wilson_interval(8, 10)
    assert low == pytest.approx(centre - half) and high == pytest.approx(centre + half)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_nps_interval_by_hand() -> None:
    # 50 promoters, 30 passives, 20 detractors: NPS 30, variance 0.7 − 0.3² = 0.61
    low, high = st.nps_interval(100, 50, 20)
    half = 100 * 1.959963984540054 * math.sqrt(0.61 / 100)
    assert (low, high) == pytest.approx((30 - half, 30 + half))


def test_mean_interval_matches_scipy() -> None:
    x = np.array([1, 2, 2, 3, 5, 5, 4.0])
    low, high = st.mean_interval(len(x), x.sum(), (x**2).sum())
    ref = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (low, high) == pytest.approx(ref)


def test_mean_change_test_matches_scipy() -> None:
    a, b = np.array([3, 4, 5, 4, 5.0]), np.array([1, 2, 3, 2, 1, 2.0])
    p = st.mean_change_test((5, a.sum(), (a**2).sum()), (6, b.sum(), (b**2).sum()))
    assert p == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)


def test_proportion_change_test_by_hand() -> None:
    # 60/100 vs 45/100: pooled 0.525, se sqrt(0.525·0.475·0.02)
    se = math.sqrt(0.525 * 0.475 * 0.02)
    expected = 2 * stats.norm.sf(0.15 / se)
    assert st.proportion_change_test((100, 60), (100, 45)) == pytest.approx(expected)


def test_nps_change_test_by_hand() -> None:
    se = math.sqrt(0.61 / 100 + (0.6 - 0.0**2) / 200)  # second: 60 promoters, 60 detractors of 200
    expected = 2 * stats.norm.sf(0.3 / se)
    assert st.nps_change_test((100, 50, 20), (200, 60, 60)) == pytest.approx(expected)


def test_benjamini_hochberg_by_hand() -> None:
    q = st.benjamini_hochberg([0.01, 0.04, 0.03, 0.5, math.nan])
    # sorted 0.01, 0.03, 0.04, 0.5 → 0.04, 0.06, 0.0533, 0.5 → step-up minimum 0.04, 0.0533, 0.0533
    assert q[:4] == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])
    assert math.isnan(q[4])


@given(s.integers(1, 500).flatmap(lambda n: s.tuples(s.just(n), s.integers(0, n))))
def test_wilson_interval_contains_the_share(case: tuple[int, int]) -> None:
    n, k = case
    low, high = st.wilson_interval(k, n)
    assert 0 <= low <= k / n <= high <= 1


@given(
    s.integers(1, 300).flatmap(
        lambda n: s.tuples(s.just(n), s.integers(0, n)).flatmap(
            lambda t: s.tuples(s.just(t[0]), s.just(t[1]), s.integers(0, t[0] - t[1]))
        )
    )
)
def test_nps_interval_contains_the_value_and_stays_in_range(case: tuple[int, int, int]) -> None:
    n, p, d = case
    low, high = st.nps_interval(n, p, d)
    assert -100 <= low <= 100 * (p - d) / n + 1e-9 and 100 * (p - d) / n - 1e-9 <= high <= 100


@given(s.lists(s.floats(0, 1), min_size=1, max_size=30))
def test_benjamini_hochberg_is_at_least_p_and_keeps_order(p: list[float]) -> None:
    q = st.benjamini_hochberg(p)
    assert all(qi >= pi - 1e-12 for qi, pi in zip(q, p, strict=True))
    order = np.argsort(p, kind="stable")
    assert all(np.diff(np.asarray(q)[order]) >= -1e-12)
