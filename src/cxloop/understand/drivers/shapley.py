"""Shapley-value regression (LMG): each driver's average gain in R² over all orderings.

Lindeman, Merenda and Gold (1980) split a model's R² by adding the drivers one at a time in
every one of the p! orders and averaging each driver's increase in R²; the result is the
Shapley value of the game "R² of a subset of drivers" (Lipovetsky & Conklin 2001)::

    φ_j = Σ_{S ⊆ P∖{j}}  |S|! (p − |S| − 1)! / p!  ·  (R²(S ∪ {j}) − R²(S))

The p! orders only ever visit the 2^p subsets, so the R² of each subset is computed once
(``r_S' R_SS⁻¹ r_S`` from the correlations, see :mod:`.relative_weights`) and cached in an
array indexed by the subset's bit mask; the sum above is then one vectorised pass per driver.
That is exact, and affordable up to :data:`MAX_SHAPLEY_DRIVERS` drivers (2^15 = 32,768 subsets
of O(p²) sweeps, batched over every bootstrap replicate at once); above it the cost doubles
with each driver and :func:`shapley_values` refuses with an error that says so.

The values sum to the full model's R² (efficiency), and with uncorrelated drivers each is the
driver's squared correlation with the outcome.

References
----------
Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). *Introduction to Bivariate and
Multivariate Analysis*. Scott, Foresman, p. 119 ff.

Lipovetsky, S., & Conklin, M. (2001). Analysis of regression in game theory approach.
*Applied Stochastic Models in Business and Industry*, 17(4), 319–330.

Grömping, U. (2006). Relative importance for linear regression in R: the package relaimpo.
*Journal of Statistical Software*, 17(1).
"""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np

from cxloop.errors import UsageError
from cxloop.understand.drivers.relative_weights import Array

#: the most drivers exact Shapley-value regression takes (2^15 subsets)
MAX_SHAPLEY_DRIVERS = 15
#: subsets solved at once per batch, to bound memory (subsets × replicates × k × k floats)
_CHUNK_FLOATS = 4_000_000
#: below this smallest eigenvalue of R, subsets are solved directly rather than swept
_SWEEP_MIN_EIGENVALUE = 1e-6


class TooManyDriversError(UsageError):
    """More drivers than exact Shapley-value regression takes."""


def subset_r_squared(rxx: Array, rxy: Array) -> Array:
    """The R² of every subset of the drivers, indexed by bit mask (bit j: driver j is in).

    The subsets are visited in Gray-code order, so each differs from the previous one by a
    single driver, which the sweep operator (Goodnight 1979) adds to or removes from the fit
    in O(p²): after sweeping the drivers of S on the matrix ``[[R, r], [r', 1]]``, its last
    diagonal entry is ``1 − R²(S)``. Near-singular correlation matrices (exactly collinear
    drivers) would make a pivot blow up; they take the direct route, one solve per subset.

    Parameters
    ----------
    rxx, rxy
        Correlations, shapes (..., p, p) and (..., p).

    Returns
    -------
    numpy.ndarray
        Shape (..., 2^p); entry 0 (no driver) is 0.
    """
    rxx = np.asarray(rxx, dtype=float)
    rxy = np.asarray(rxy, dtype=float)
    p = rxy.shape[-1]
    flat_rxx = rxx.reshape(-1, p, p)
    flat_rxy = rxy.reshape(-1, p)
    if np.min(np.linalg.eigvalsh(flat_rxx)) < _SWEEP_MIN_EIGENVALUE:
        out = _direct(flat_rxx, flat_rxy)
    else:
        out = _swept(flat_rxx, flat_rxy)
    return out.reshape(*rxy.shape[:-1], 1 << p)


def _swept(rxx: Array, rxy: Array) -> Array:
    replicates, p = rxy.shape
    matrix = np.empty((replicates, p + 1, p + 1))
    matrix[:, :p, :p] = rxx
    matrix[:, :p, p] = rxy
    matrix[:, p, :p] = rxy
    matrix[:, p, p] = 1.0
    out = np.zeros((replicates, 1 << p))
    outer = np.empty_like(matrix)
    mask = 0
    for step in range(1, 1 << p):
        k = (step & -step).bit_length() - 1
        mask ^= 1 << k
        sign = 1.0 if mask >> k & 1 else -1.0  # sweep driver k in, or back out
        column = matrix[:, :, k].copy()  # the matrix stays symmetric: row k is column k
        inverse = 1.0 / column[:, k]
        scaled = column * inverse[:, None]
        np.multiply(column[:, :, None], scaled[:, None, :], out=outer)
        matrix -= outer
        matrix[:, k, :] = sign * scaled
        matrix[:, :, k] = sign * scaled
        matrix[:, k, k] = -inverse
        out[:, mask] = 1.0 - matrix[:, p, p]
    return out


def _direct(rxx: Array, rxy: Array) -> Array:
    replicates, p = rxy.shape
    out = np.zeros((replicates, 1 << p))
    for size in range(1, p + 1):
        subsets = np.array(list(combinations(range(p), size)), dtype=np.intp)
        masks = (1 << subsets).sum(axis=1)
        chunk = max(1, _CHUNK_FLOATS // max(1, replicates * size * size))
        for start in range(0, len(subsets), chunk):
            part = subsets[start : start + chunk]
            sub_rxx = rxx[:, part[:, :, None], part[:, None, :]]  # (B, C, k, k)
            sub_rxy = rxy[:, part]  # (B, C, k)
            solved = _solve(sub_rxx, sub_rxy)
            out[:, masks[start : start + chunk]] = np.sum(sub_rxy * solved, axis=-1)
    return out


def _solve(matrices: Array, vectors: Array) -> Array:
    """``R⁻¹ r`` for a batch, falling back to least squares where R is singular."""
    try:
        return np.asarray(np.linalg.solve(matrices, vectors[..., None])[..., 0])
    except np.linalg.LinAlgError:
        pinv = np.linalg.pinv(matrices, hermitian=True)
        return np.asarray((pinv @ vectors[..., None])[..., 0])


def shapley_values(rxx: Array, rxy: Array) -> Array:
    """Each driver's Shapley value of R² (the LMG measure), exact over all subsets.

    Parameters
    ----------
    rxx
        Correlations among the drivers, shape (..., p, p), p ≤ :data:`MAX_SHAPLEY_DRIVERS`.
    rxy
        Correlations of the drivers with the outcome, shape (..., p).

    Returns
    -------
    numpy.ndarray
        Shape (..., p), summing to the full model's R².

    Raises
    ------
    TooManyDriversError
        With more than :data:`MAX_SHAPLEY_DRIVERS` drivers.

    Examples
    --------
    Two drivers correlated 0.5, each correlated 0.5 with the outcome share R² = 1/3 equally:

    >>> rxx = np.array([[1.0, 0.5], [0.5, 1.0]])
    >>> shapley_values(rxx, np.array([0.5, 0.5])).round(4).tolist()
    [0.1667, 0.1667]
    """
    p = np.asarray(rxy).shape[-1]
    if p > MAX_SHAPLEY_DRIVERS:
        raise TooManyDriversError(
            f"Shapley-value regression takes at most {MAX_SHAPLEY_DRIVERS} drivers "
            f"(2^p subsets); got {p}: pick fewer with --drivers"
        )
    table = subset_r_squared(rxx, rxy)
    masks = np.arange(1 << p)
    sizes = np.array([bin(m).count("1") for m in masks])
    weights = np.array([factorial(k) * factorial(p - k - 1) / factorial(p) for k in range(p)])
    values = np.zeros((*table.shape[:-1], p))
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        gains = table[..., without | (1 << j)] - table[..., without]
        values[..., j] = gains @ weights[sizes[without]]
    return values
