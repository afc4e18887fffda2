"""Correlations from data, and bootstrap percentile intervals for both importance measures.

A bootstrap replicate draws n rows with replacement; rather than copy the rows, each replicate
is a vector of counts (how often each row was drawn) and its correlation matrix comes from
count-weighted sums: one (n × q)' (n × q) product per replicate. Both measures are then
computed for every replicate at once (:mod:`.relative_weights` and :mod:`.shapley` take a
batch of correlation matrices). The interval is the 2.5th–97.5th percentile of the
replicates (Efron & Tibshirani 1993, ch. 13); the generator is seeded, so a report can be
reproduced exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxloop.understand.drivers.relative_weights import Array, r_squared, relative_weights
from cxloop.understand.drivers.shapley import shapley_values

DEFAULT_BOOTSTRAP = 200
DEFAULT_SEED = 20_000
LEVEL = 0.95


def weighted_correlations(data: Array, counts: Array | None = None) -> Array:
    """The correlation matrix of the columns of ``data`` (n × q), each row counted
    ``counts[i]`` times (default once). A column with no variance gets correlation 0 with
    every other column (and 1 with itself), so it carries no importance rather than NaN."""
    data = np.asarray(data, dtype=float)
    weights = np.ones(len(data)) if counts is None else np.asarray(counts, dtype=float)
    total = weights.sum()
    mean = weights @ data / total
    centred = data - mean
    cov = (centred * weights[:, None]).T @ centred / total
    return _normalise(cov)


def bootstrap_correlations(data: Array, replicates: int, rng: np.random.Generator) -> Array:
    """Correlation matrices of ``replicates`` resamples of the rows of ``data`` (n × q).

    Every replicate's weighted sums come from one matrix product: the draw counts
    (replicates × n) times the rows' products of each pair of columns (n × q(q+1)/2),
    in blocks of replicates to bound memory.
    """
    data = np.asarray(data, dtype=float)
    n, q = data.shape
    centred = data - data.mean(axis=0)  # shifts leave correlations unchanged, aid precision
    upper_i, upper_j = np.triu_indices(q)
    products = centred[:, upper_i] * centred[:, upper_j]
    out = np.empty((replicates, q, q))
    block = max(1, 2_000_000 // max(n, 1))
    for start in range(0, replicates, block):
        size = min(block, replicates - start)
        counts = np.stack([np.bincount(rng.integers(0, n, size=n), minlength=n)
                           for _ in range(size)]).astype(float)  # fmt: skip
        sums = counts @ centred / n
        cross = counts @ products / n
        cov = np.empty((size, q, q))
        cov[:, upper_i, upper_j] = cross - sums[:, upper_i] * sums[:, upper_j]
        cov[:, upper_j, upper_i] = cov[:, upper_i, upper_j]
        out[start : start + size] = [_normalise(c) for c in cov]
    return out


def _normalise(cov: Array) -> Array:
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    live = sd > 1e-12
    scale = np.where(live, sd, 1.0)
    corr = cov / np.outer(scale, scale)
    corr[~live, :] = 0.0
    corr[:, ~live] = 0.0
    np.fill_diagonal(corr, 1.0)
    return np.asarray(np.clip(corr, -1.0, 1.0))


def split(corr: Array) -> tuple[Array, Array]:
    """Drivers' correlations and their correlations with the outcome from the joint matrix of
    (drivers…, outcome), the outcome last; works on a batch."""
    return corr[..., :-1, :-1], corr[..., :-1, -1]


@dataclass(frozen=True)
class Importance:
    """Both measures for one sample, and (with a bootstrap) their replicates."""

    r2: float
    relative_weights: Array
    shapley: Array
    boot_relative_weights: Array | None = None
    """(replicates, p)"""
    boot_shapley: Array | None = None
    boot_r2: Array | None = None

    def interval(self, method: str) -> tuple[Array, Array] | None:
        """The 95% percentile interval per driver for ``relative_weights`` or ``shapley``."""
        boot = getattr(self, f"boot_{method}")
        if boot is None:
            return None
        tail = 100 * (1 - LEVEL) / 2
        low, high = np.percentile(boot, [tail, 100 - tail], axis=0)
        return low, high

    def r2_interval(self) -> tuple[float, float] | None:
        """The 95% percentile interval of the full model's R²."""
        if self.boot_r2 is None:
            return None
        tail = 100 * (1 - LEVEL) / 2
        low, high = np.percentile(self.boot_r2, [tail, 100 - tail])
        return float(low), float(high)


def importance(
    drivers: Array, outcome: Array, *, bootstrap: int = 0, seed: int = DEFAULT_SEED
) -> Importance:
    """Johnson's relative weights and Shapley values of ``drivers`` (n × p) for ``outcome``
    (n), with ``bootstrap`` resamples for percentile intervals (0: none).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=(500, 2))
    >>> y = x @ np.array([1.0, 0.5]) + rng.normal(size=500)
    >>> result = importance(x, y, bootstrap=50, seed=3)
    >>> bool(abs(result.shapley.sum() - result.r2) < 1e-9)
    True
    """
    data = np.column_stack([np.asarray(drivers, dtype=float), np.asarray(outcome, dtype=float)])
    rxx, rxy = split(weighted_correlations(data))
    result = Importance(
        r2=float(r_squared(rxx, rxy)),
        relative_weights=relative_weights(rxx, rxy),
        shapley=shapley_values(rxx, rxy),
    )
    if bootstrap <= 0:
        return result
    rng = np.random.default_rng(seed)
    batch = bootstrap_correlations(data, bootstrap, rng)
    boot_rxx, boot_rxy = split(batch)
    return Importance(
        r2=result.r2,
        relative_weights=result.relative_weights,
        shapley=result.shapley,
        boot_relative_weights=relative_weights(boot_rxx, boot_rxy),
        boot_shapley=shapley_values(boot_rxx, boot_rxy),
        boot_r2=r_squared(boot_rxx, boot_rxy),
    )
