"""Johnson's relative weights: they sum to R², equal squared correlations when the drivers are
uncorrelated, and match a hand derivation for two drivers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cxloop.understand.drivers.bootstrap import split, weighted_correlations
from cxloop.understand.drivers.relative_weights import r_squared, relative_weights
from understand.drivers.driver_data import correlated_data, ols_r2


def test_weights_sum_to_the_r2_of_least_squares() -> None:
    x, y = correlated_data()
    rxx, rxy = split(weighted_correlations(np.column_stack([x, y])))
    weights = relative_weights(rxx, rxy)
    assert float(r_squared(rxx, rxy)) == pytest.approx(ols_r2(x, y), abs=1e-10)
    assert weights.sum() == pytest.approx(ols_r2(x, y), abs=1e-10)
    assert (weights >= 0).all()


def test_uncorrelated_drivers_weigh_their_squared_correlation() -> None:
    rxy = np.array([0.4, -0.3, 0.1])
    assert relative_weights(np.eye(3), rxy) == pytest.approx(rxy**2)


def test_two_drivers_match_the_hand_derivation() -> None:
    # R = [[1, ρ], [ρ, 1]] has R^{1/2} = [[a, b], [b, a]] with a, b = (√(1+ρ) ± √(1−ρ)) / 2,
    # and β = R^{-1/2} r; ε₁ = a²β₁² + b²β₂², ε₂ = b²β₁² + a²β₂² (Johnson 2000, eq. 4–6).
    rho, r1, r2 = 0.6, 0.5, 0.2
    a = (math.sqrt(1 + rho) + math.sqrt(1 - rho)) / 2
    b = (math.sqrt(1 + rho) - math.sqrt(1 - rho)) / 2
    inverse_root = np.linalg.inv(np.array([[a, b], [b, a]]))
    beta = inverse_root @ np.array([r1, r2])
    expected = [a * a * beta[0] ** 2 + b * b * beta[1] ** 2,
                b * b * beta[0] ** 2 + a * a * beta[1] ** 2]  # fmt: skip
    weights = relative_weights(np.array([[1, rho], [rho, 1]]), np.array([r1, r2]))
    assert weights == pytest.approx(expected, abs=1e-12)
    r2 = (r1**2 + r2**2 - 2 * r1 * r2 * rho) / (1 - rho**2)  # two-predictor R²
    assert weights.sum() == pytest.approx(r2, abs=1e-12)


def test_a_batch_gives_each_matrix_its_own_weights() -> None:
    x, y = correlated_data(seed=3)
    rxx, rxy = split(weighted_correlations(np.column_stack([x, y])))
    batch = relative_weights(np.stack([rxx, np.eye(4)]), np.stack([rxy, rxy]))
    assert batch[0] == pytest.approx(relative_weights(rxx, rxy))
    assert batch[1] == pytest.approx(rxy**2)


def test_collinear_drivers_share_rather_than_blow_up() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(500, 1))
    y = x[:, 0] + rng.normal(size=500)
    twice = np.column_stack([x, x])  # the same driver twice: R is singular
    rxx, rxy = split(weighted_correlations(np.column_stack([twice, y])))
    weights = relative_weights(rxx, rxy)
    assert weights[0] == pytest.approx(weights[1])
    assert weights.sum() == pytest.approx(ols_r2(x, y), abs=1e-8)
