"""R² of a linear model from correlations, and Johnson's relative weights.

Both work on the correlation matrix of the drivers, ``R`` (p × p), and the drivers'
correlations with the outcome, ``r`` (p): the R² of the least-squares regression of the
outcome on a subset S of the drivers is ``r_S' R_SS⁻¹ r_S``, with no data pass at all. Every
function takes a leading batch of matrices (``R`` of shape (..., p, p), ``r`` of shape
(..., p)) so that a whole bootstrap is one call.

Johnson's relative weights (Johnson 2000):

1. Eigen-decompose ``R = Q diag(λ) Q'``; ``Λ = R^{1/2} = Q diag(√λ) Q'`` holds the
   correlations between the drivers X and their closest orthonormal counterparts Z
   (Johnson 1966): ``Z = X R^{-1/2}``.
2. Regress the outcome on Z: as Z is orthonormal, ``β = corr(Z, y) = R^{-1/2} r``.
3. Driver j's raw weight is ``ε_j = Σ_k Λ_jk² β_k²``: the share of each orthogonal
   counterpart's contribution ``β_k²`` that driver j carries.

The columns of ``Λ²`` sum to 1 (``Λ'Λ = R`` has a unit diagonal), so the raw weights sum to
``Σ β_k² = r' R⁻¹ r``, the full model's R².

References
----------
Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
variables in multiple regression. *Multivariate Behavioral Research*, 35(1), 1–19.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

#: eigenvalues below this (relative to the largest) count as zero: exactly collinear drivers
EIGEN_TOLERANCE = 1e-10

Array = NDArray[np.float64]


def _sqrt_and_inverse_sqrt(rxx: Array) -> tuple[Array, Array]:
    """``R^{1/2}`` and the pseudo-inverse ``R^{-1/2}`` of a batch of correlation matrices."""
    values, vectors = np.linalg.eigh(rxx)
    top = np.max(values, axis=-1, keepdims=True)
    usable = values > EIGEN_TOLERANCE * np.maximum(top, 1.0)
    root = np.sqrt(np.where(usable, values, 0.0))
    inverse_root = np.where(usable, 1.0 / np.where(usable, root, 1.0), 0.0)
    transposed = np.swapaxes(vectors, -1, -2)
    half = (vectors * root[..., None, :]) @ transposed
    inverse_half = (vectors * inverse_root[..., None, :]) @ transposed
    return half, inverse_half


def r_squared(rxx: Array, rxy: Array) -> Array:
    """R² of the least-squares fit of the outcome on every driver, ``r' R⁺ r``.

    Examples
    --------
    >>> float(r_squared(np.eye(2), np.array([0.3, 0.4])))
    0.25
    """
    _, inverse_half = _sqrt_and_inverse_sqrt(np.asarray(rxx, dtype=float))
    beta = (inverse_half @ np.asarray(rxy, dtype=float)[..., None])[..., 0]
    return np.asarray(np.sum(beta**2, axis=-1))


def relative_weights(rxx: Array, rxy: Array) -> Array:
    """Johnson's raw relative weights: one per driver, summing to the full model's R².

    Parameters
    ----------
    rxx
        Correlations among the drivers, shape (..., p, p).
    rxy
        Correlations of the drivers with the outcome, shape (..., p).

    Returns
    -------
    numpy.ndarray
        Shape (..., p): each driver's share of R² (divide by R² for shares of 100%).

    Examples
    --------
    With uncorrelated drivers a weight is the squared correlation:

    >>> relative_weights(np.eye(2), np.array([0.3, -0.4])).round(4).tolist()
    [0.09, 0.16]
    """
    half, inverse_half = _sqrt_and_inverse_sqrt(np.asarray(rxx, dtype=float))
    beta = (inverse_half @ np.asarray(rxy, dtype=float)[..., None])[..., 0]
    return np.asarray((half**2) @ (beta**2)[..., None])[..., 0]
