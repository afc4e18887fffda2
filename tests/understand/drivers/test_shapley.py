"""Shapley-value regression (LMG): exact against a brute force over every ordering, sums to
R², squared correlations for uncorrelated drivers, close to Johnson's weights, a clear limit."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest

from cxloop.understand.drivers.bootstrap import split, weighted_correlations
from cxloop.understand.drivers.relative_weights import relative_weights
from cxloop.understand.drivers.shapley import (
    MAX_SHAPLEY_DRIVERS,
    TooManyDriversError,
    _direct,
    _swept,
    shapley_values,
    subset_r_squared,
)
from understand.drivers.driver_data import correlated_data, ols_r2


def brute_force_lmg(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each driver's gain in R² averaged over all p! orders, every model fitted on the data."""
    p = x.shape[1]
    cache: dict[frozenset[int], float] = {frozenset(): 0.0}

    def r2(subset: frozenset[int]) -> float:
        if subset not in cache:
            cache[subset] = ols_r2(x[:, sorted(subset)], y)
        return cache[subset]

    total = np.zeros(p)
    orders = list(permutations(range(p)))
    for order in orders:
        for i, j in enumerate(order):
            total[j] += r2(frozenset(order[: i + 1])) - r2(frozenset(order[:i]))
    return total / len(orders)


def test_exact_against_every_ordering_fitted_on_the_data() -> None:
    x, y = correlated_data(seed=1, n=800)
    rxx, rxy = split(weighted_correlations(np.column_stack([x, y])))
    values = shapley_values(rxx, rxy)
    assert values == pytest.approx(brute_force_lmg(x, y), abs=1e-10)
    assert values.sum() == pytest.approx(ols_r2(x, y), abs=1e-10)


def test_two_drivers_by_hand() -> None:
    # p = 2: φ₁ = ½ r₁² + ½ (R² − r₂²), and the same for φ₂.
    rho, r1, r2 = 0.6, 0.5, 0.2
    full = (r1**2 + r2**2 - 2 * r1 * r2 * rho) / (1 - rho**2)
    values = shapley_values(np.array([[1, rho], [rho, 1]]), np.array([r1, r2]))
    assert values == pytest.approx([(r1**2 + full - r2**2) / 2, (r2**2 + full - r1**2) / 2])


def test_uncorrelated_drivers_get_their_squared_correlation() -> None:
    rxy = np.array([0.5, -0.2, 0.3, 0.1])
    assert shapley_values(np.eye(4), rxy) == pytest.approx(rxy**2)


def test_it_agrees_with_johnsons_weights_on_correlated_data() -> None:
    x, y = correlated_data(seed=4)
    rxx, rxy = split(weighted_correlations(np.column_stack([x, y])))
    shapley, weights = shapley_values(rxx, rxy), relative_weights(rxx, rxy)
    assert np.argsort(-shapley).tolist() == np.argsort(-weights).tolist()
    assert np.abs(shapley - weights).max() < 0.02 * shapley.sum()


def test_the_sweep_order_gives_what_one_solve_per_subset_gives() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 8)) @ rng.normal(size=(8, 8))
    y = x @ rng.normal(size=8) + rng.normal(size=400) * 3
    rxx, rxy = split(weighted_correlations(np.column_stack([x, y])))
    assert _swept(rxx[None], rxy[None]) == pytest.approx(_direct(rxx[None], rxy[None]), abs=1e-10)
    assert subset_r_squared(rxx, rxy)[0] == 0.0


def test_more_than_the_limit_is_a_clear_error() -> None:
    p = MAX_SHAPLEY_DRIVERS + 1
    with pytest.raises(TooManyDriversError, match=f"at most {MAX_SHAPLEY_DRIVERS}.*got {p}"):
        shapley_values(np.eye(p), np.full(p, 0.1))
