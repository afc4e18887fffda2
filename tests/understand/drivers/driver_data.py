"""Synthetic driver data and least squares straight from the data, for the driver tests."""

from __future__ import annotations

import numpy as np


def ols_r2(x: np.ndarray, y: np.ndarray) -> float:
    """R² of least squares with an intercept, straight from the data."""
    design = np.column_stack([np.ones(len(y)), x])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = y - design @ coef
    return float(1 - residual @ residual / ((y - y.mean()) @ (y - y.mean())))


def correlated_data(seed: int = 0, n: int = 3_000) -> tuple[np.ndarray, np.ndarray]:
    """Four drivers, three of them correlated, and an outcome driven by three."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 4))
    x = z.copy()
    x[:, 1] += 0.8 * z[:, 0]
    x[:, 2] += 0.5 * z[:, 1] - 0.3 * z[:, 3]
    y = x @ np.array([1.0, 0.5, 0.3, 0.0]) + rng.normal(size=n)
    return x, y
