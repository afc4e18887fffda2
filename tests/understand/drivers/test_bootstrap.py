"""Bootstrap intervals: seeded, around the estimate, and what resampling the rows gives."""

from __future__ import annotations

import numpy as np
import pytest

from cxloop.understand.drivers.bootstrap import (
    bootstrap_correlations,
    importance,
    weighted_correlations,
)
from understand.drivers.driver_data import correlated_data


def test_a_replicate_is_the_correlation_of_the_resampled_rows() -> None:
    x, y = correlated_data(seed=5, n=300)
    data = np.column_stack([x, y])
    batch = bootstrap_correlations(data, 3, np.random.default_rng(11))
    rng = np.random.default_rng(11)
    for replicate in batch:
        rows = rng.integers(0, len(data), size=len(data))
        assert replicate == pytest.approx(np.corrcoef(data[rows], rowvar=False), abs=1e-10)


def test_intervals_cover_the_estimate_and_are_reproducible() -> None:
    x, y = correlated_data(seed=6, n=1_000)
    first = importance(x, y, bootstrap=100, seed=9)
    again = importance(x, y, bootstrap=100, seed=9)
    for method in ("relative_weights", "shapley"):
        low, high = first.interval(method)  # type: ignore[misc]
        estimate = getattr(first, method)
        assert (low <= estimate + 1e-9).all() and (estimate <= high + 1e-9).all()
        assert (high - low > 0).all()
        assert np.array_equal(low, again.interval(method)[0])  # type: ignore[index]
    low, high = first.r2_interval()  # type: ignore[misc]
    assert low < first.r2 < high
    other = importance(x, y, bootstrap=100, seed=10)
    assert not np.array_equal(first.boot_shapley, other.boot_shapley)


def test_no_bootstrap_no_intervals() -> None:
    x, y = correlated_data(seed=6, n=200)
    result = importance(x, y)
    assert result.interval("shapley") is None and result.r2_interval() is None


def test_a_constant_column_carries_nothing() -> None:
    x, y = correlated_data(seed=8, n=200)
    x[:, 3] = 4.0
    corr = weighted_correlations(np.column_stack([x, y]))
    assert corr[3].tolist() == [0.0, 0.0, 0.0, 1.0, 0.0]
    result = importance(x, y)
    assert result.shapley[3] == pytest.approx(0.0, abs=1e-12)
    assert result.relative_weights[3] == pytest.approx(0.0, abs=1e-12)
