"""Bootstrap percentile intervals for a PLS path model.

Each of ``n`` resamples draws the rows with replacement (``numpy.random.default_rng(seed)``, so
the same seed gives the same intervals) and refits the model with the same settings, starting
the iterations from the full-sample weights (the fixed point is the same as from weights of 1;
it is reached in fewer steps). Intervals
are the 2.5th and 97.5th percentiles (for ``level=0.95``) of the resampled estimates.

Sign changes: a latent variable is only defined up to its sign, so a resample can return a
construct flipped. Each fit already fixes signs by its loadings (see
:mod:`~cxloop.understand.valuechain.pls`); on top of that, each construct of a resample whose
outer weights point against the full-sample weights (negative dot product) is flipped back
— the *construct-level* correction of Tenenhaus et al. (2005) — along with every path and
total effect it takes part in. A resample that cannot be fitted (a column constant in the
resample, no convergence) is drawn again, at most ``n`` times over; the number left out is
reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxloop.errors import DataError, UsageError
from cxloop.understand.valuechain.pls import (
    PLSPathModel,
    _correlations,
    estimate,
    inner_model,
    total_effects,
)


def _standardised(values: np.ndarray, scaled: bool) -> np.ndarray:
    centred = values - values.mean(axis=0)
    sd = centred.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise DataError("a column is constant in this resample")
    return centred / sd if scaled else centred


@dataclass
class BootstrapIntervals:
    """Percentile intervals, as frames of the same shape as the estimates."""

    paths_low: pd.DataFrame
    paths_high: pd.DataFrame
    total_low: pd.DataFrame
    total_high: pd.DataFrame
    weights_low: pd.Series
    weights_high: pd.Series
    loadings_low: pd.Series
    loadings_high: pd.Series
    r2_low: pd.Series
    r2_high: pd.Series
    resamples: int
    failed: int
    seed: int
    level: float


def bootstrap(
    model: PLSPathModel,
    data: pd.DataFrame,
    *,
    n: int = 500,
    seed: int = 0,
    level: float = 0.95,
) -> BootstrapIntervals:
    """Percentile intervals of a fitted ``model``'s estimates from ``n`` resamples of ``data``.

    Examples
    --------
    >>> from cxloop.understand.valuechain.structure import PathModelSpec
    >>> rng = np.random.default_rng(1)
    >>> a = rng.normal(size=100)
    >>> frame = pd.DataFrame({"a": a, "b": a + rng.normal(size=100)})
    >>> fitted = PLSPathModel(PathModelSpec({"A": ["a"], "B": ["b"]}, [("A", "B")])).fit(frame)
    >>> ci = bootstrap(fitted, frame, n=50, seed=3)
    >>> bool(ci.paths_low.loc["A", "B"] < fitted.path_coefficients_.loc["A", "B"])
    True
    """
    if n < 2:
        raise UsageError(f"--bootstrap {n}: need at least 2 resamples")
    if not 0 < level < 1:
        raise UsageError(f"level {level}: expected a number between 0 and 1")
    rng = np.random.default_rng(seed)
    spec = model.spec
    names = spec.constructs
    blocks = [list(spec.blocks[name]) for name in names]
    modes = [spec.mode(name) for name in names]
    adjacency = model.adjacency()
    endogenous = [names.index(name) for name in model.r2_.index]
    reference = [model.weights_.loc[name].to_numpy() for name in names]
    values = [data[block].to_numpy(dtype=float) for block in blocks]
    paths: list[np.ndarray] = []
    totals: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    loadings: list[np.ndarray] = []
    r2s: list[np.ndarray] = []
    failed = 0
    while len(paths) < n:
        rows = rng.integers(0, len(data), size=len(data))
        try:
            x = [_standardised(block[rows], model.scaled) for block in values]
            w, scores, _ = estimate(x, adjacency, modes, model.scheme, tol=model.tol,
                                    max_iter=model.max_iter, start=reference)  # fmt: skip
        except DataError:
            failed += 1
            if failed > n:
                raise DataError(
                    f"{failed} bootstrap resamples could not be fitted; the data are too few "
                    "or too uniform for intervals"
                ) from None
            continue
        sign = np.array([-1.0 if wj @ rj < 0 else 1.0 for wj, rj in zip(w, reference, strict=True)])
        direct, r2 = inner_model(scores * sign, adjacency)
        paths.append(direct)
        totals.append(total_effects(direct))
        weights.append(np.concatenate([s * wj for s, wj in zip(sign, w, strict=True)]))
        loadings.append(np.concatenate([
            sign[j] * _correlations(xj, scores[:, j]) for j, xj in enumerate(x)
        ]))  # fmt: skip
        r2s.append(r2[endogenous])
    low_q, high_q = (1 - level) / 2 * 100, (1 + level) / 2 * 100

    def frame(draws: list[np.ndarray], q: float) -> pd.DataFrame:
        return pd.DataFrame(np.percentile(np.stack(draws), q, axis=0), index=names, columns=names)

    def series(draws: list[np.ndarray], q: float, like: pd.Series) -> pd.Series:
        return pd.Series(np.percentile(np.stack(draws), q, axis=0), index=like.index)

    return BootstrapIntervals(
        paths_low=frame(paths, low_q), paths_high=frame(paths, high_q),
        total_low=frame(totals, low_q), total_high=frame(totals, high_q),
        weights_low=series(weights, low_q, model.weights_),
        weights_high=series(weights, high_q, model.weights_),
        loadings_low=series(loadings, low_q, model.loadings_),
        loadings_high=series(loadings, high_q, model.loadings_),
        r2_low=series(r2s, low_q, model.r2_), r2_high=series(r2s, high_q, model.r2_),
        resamples=n, failed=failed, seed=seed, level=level,
    )  # fmt: skip
