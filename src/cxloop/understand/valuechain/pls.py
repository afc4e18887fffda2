"""PLS path modelling (Wold 1982; Lohmöller 1989), the algorithm SmartPLS, semPLS and plspm run.

Given a :class:`~cxloop.understand.valuechain.structure.PathModelSpec` and a data frame:

1. Manifest variables are standardised (mean 0, variance 1; ``scaled=False`` only centres them).
2. Outer weights start at 1. Each latent variable (LV) score is its block's weighted sum,
   rescaled to unit variance: ``Y_j = X_j w_j / sd(X_j w_j)``.
3. Inner estimation: each LV's proxy ``Z_j = Σ_i e_ij Y_i`` over its neighbours i (constructs
   linked to it by a path either way), with inner weights ``e_ij`` by the scheme:

   - ``centroid``: the sign of cor(Y_i, Y_j);
   - ``factorial``: cor(Y_i, Y_j);
   - ``path``: for a predecessor i (i → j), its coefficient in the regression of Y_j on all
     its predecessors; for a successor (j → i), cor(Y_i, Y_j).

4. Outer estimation: Mode A (reflective) ``w_j ∝ cov(X_j, Z_j)``, one simple regression per
   indicator; Mode B (formative) ``w_j`` = the multiple regression weights of Z_j on X_j.
   Weights are rescaled so each score has unit variance (SmartPLS' normalisation).
5. Steps 3–4 repeat until no outer weight changes by more than ``tol`` (SmartPLS: 1e-7).
6. Sign fixing: a construct whose indicators correlate with it negatively on balance (sum of
   its loadings < 0) has its weights and score negated, so loadings read the usual way round.
   With indicators coded in the same direction this never triggers; it keeps bootstrap
   resamples and reruns comparable.
7. Path coefficients: ordinary least squares of each endogenous LV on its predecessors (no
   intercept: scores are centred), with R². Loadings are cor(indicator, own LV); cross-loadings
   the correlation of every indicator with every LV. Total effects ``(I − B)⁻¹ − I`` from the
   matrix B of direct paths. Communality of an indicator is its squared loading, redundancy its
   communality × the R² of its construct; the goodness of fit (Tenenhaus et al. 2004) is
   ``sqrt(mean communality × mean R²)`` with communality averaged over the indicators of blocks
   with more than one indicator and R² over the endogenous constructs (as R plspm does).

Variances use n − 1; the choice cancels out of every output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from cxloop.errors import DataError, UsageError
from cxloop.understand.valuechain.structure import PathModelSpec

Scheme = Literal["centroid", "factorial", "path"]
SCHEMES: tuple[Scheme, ...] = ("centroid", "factorial", "path")


def standardise(data: pd.DataFrame, columns: list[str], scaled: bool) -> np.ndarray:
    """The ``columns`` of ``data`` as a float array, standardised (or only centred)."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise DataError(f"the data has no column {missing[0]!r}")
    try:
        values = data[columns].to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise DataError(f"an indicator column is not numeric: {exc}") from None
    if np.isnan(values).any():
        column = columns[int(np.where(np.isnan(values).any(axis=0))[0][0])]
        raise DataError(f"column {column!r} has missing values; drop or impute them first")
    centred = values - values.mean(axis=0)
    sd = centred.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise DataError(f"column {columns[int(np.argmin(sd))]!r} is constant")
    return centred / sd if scaled else centred


class PLSPathModel:
    """A PLS path model, estimated by the Lohmöller algorithm (see the module docstring).

    Parameters
    ----------
    spec
        Blocks, modes and paths.
    scheme
        Inner weighting scheme: ``"centroid"``, ``"factorial"`` or ``"path"``.
    tol
        Convergence tolerance on the largest change of an outer weight.
    max_iter
        Iterations before giving up (a :class:`~cxloop.errors.DataError`).
    scaled
        Standardise the indicators (``True``) or only centre them.

    Attributes
    ----------
    weights_, loadings_ : pandas.Series
        Outer weights and loadings, indexed by (construct, indicator).
    cross_loadings_ : pandas.DataFrame
        Indicators × constructs.
    path_coefficients_, total_effects_ : pandas.DataFrame
        Constructs × constructs, rows the source and columns the target.
    r2_ : pandas.Series
        R² of each endogenous construct.
    communality_, redundancy_ : pandas.Series
        Per construct (the mean over its indicators).
    gof_ : float
        Goodness of fit.
    scores_ : pandas.DataFrame
        Latent variable scores (unit variance), one column per construct.
    n_iter_, n_obs_ : int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=200)
    >>> b = 0.5 * a + rng.normal(size=200)
    >>> frame = pd.DataFrame({"a1": a + rng.normal(size=200), "a2": a + rng.normal(size=200),
    ...                       "b1": b + rng.normal(size=200), "b2": b + rng.normal(size=200)})
    >>> spec = PathModelSpec({"A": ["a1", "a2"], "B": ["b1", "b2"]}, [("A", "B")])
    >>> model = PLSPathModel(spec).fit(frame)
    >>> bool(0.2 < model.path_coefficients_.loc["A", "B"] < 0.6)
    True
    """

    def __init__(
        self,
        spec: PathModelSpec,
        *,
        scheme: Scheme = "path",
        tol: float = 1e-7,
        max_iter: int = 300,
        scaled: bool = True,
    ) -> None:
        self.spec = spec
        self.scheme = scheme
        self.tol = tol
        self.max_iter = max_iter
        self.scaled = scaled

    def fit(self, data: pd.DataFrame) -> PLSPathModel:
        """Estimate the model on ``data`` (one row per case); returns ``self``."""
        if self.scheme not in SCHEMES:
            raise UsageError(f"--scheme {self.scheme!r}: expected one of {', '.join(SCHEMES)}")
        spec = self.spec
        names = spec.constructs
        blocks = [list(spec.blocks[name]) for name in names]
        if len(data) < 3:
            raise DataError(f"the data has {len(data)} rows; PLS needs at least 3")
        x = [standardise(data, block, self.scaled) for block in blocks]
        self.n_obs_ = len(data)
        adjacency = self.adjacency()
        modes = [spec.mode(name) for name in names]
        weights, scores, self.n_iter_ = estimate(
            x, adjacency, modes, self.scheme, tol=self.tol, max_iter=self.max_iter
        )
        self._outputs(data, names, blocks, x, weights, scores, adjacency)
        return self

    def adjacency(self) -> np.ndarray:
        """``[i, j]`` true for a path i → j (constructs in topological order)."""
        names = self.spec.constructs
        index = {name: i for i, name in enumerate(names)}
        adjacency = np.zeros((len(names), len(names)), dtype=bool)
        for source, target in self.spec.paths:
            adjacency[index[source], index[target]] = True
        return adjacency

    def _outputs(
        self,
        data: pd.DataFrame,
        names: list[str],
        blocks: list[list[str]],
        x: list[np.ndarray],
        weights: list[np.ndarray],
        scores: np.ndarray,
        adjacency: np.ndarray,
    ) -> None:
        pairs = pd.MultiIndex.from_tuples(
            [(name, col) for name, block in zip(names, blocks, strict=True) for col in block],
            names=["construct", "indicator"],
        )
        self.weights_ = pd.Series(np.concatenate(weights), index=pairs, name="weight")
        loadings = [_correlations(xj, scores[:, j]) for j, xj in enumerate(x)]
        self.loadings_ = pd.Series(np.concatenate(loadings), index=pairs, name="loading")
        everything = np.column_stack(x)
        columns = [col for block in blocks for col in block]
        cross = np.array([_correlations(everything, scores[:, j]) for j in range(len(names))]).T
        self.cross_loadings_ = pd.DataFrame(cross, index=columns, columns=names)
        self.scores_ = pd.DataFrame(scores, index=data.index, columns=names)
        direct, r2_values = inner_model(scores, adjacency)
        r2 = {name: float(r2_values[j]) for j, name in enumerate(names) if adjacency[:, j].any()}
        self.path_coefficients_ = pd.DataFrame(direct, index=names, columns=names)
        self.total_effects_ = pd.DataFrame(total_effects(direct), index=names, columns=names)
        self.r2_ = pd.Series(r2, name="r2", dtype=float)
        communality = self.loadings_**2
        self.communality_ = communality.groupby(level="construct", sort=False).mean()
        block_r2 = pd.Series([r2.get(n, 0.0) for n in names], index=names)
        self.redundancy_ = self.communality_ * block_r2
        multi = [c for c, block in zip(names, blocks, strict=True) if len(block) > 1]
        shared = communality[communality.index.get_level_values("construct").isin(multi)]
        mean_r2 = float(np.mean(list(r2.values()))) if r2 else math.nan
        mean_communality = float(shared.mean()) if len(shared) else math.nan
        self.gof_ = math.sqrt(mean_communality * mean_r2)


def estimate(
    x: list[np.ndarray],
    adjacency: np.ndarray,
    modes: Sequence[str],
    scheme: str,
    *,
    tol: float = 1e-7,
    max_iter: int = 300,
    start: Sequence[np.ndarray] | None = None,
) -> tuple[list[np.ndarray], np.ndarray, int]:
    """Steps 2–6 on standardised blocks ``x``: outer weights, LV scores and iterations.

    ``adjacency[i, j]`` is true for a path i → j; ``modes`` holds "A" or "B" per block;
    ``start`` the initial outer weights (default: all 1).
    """
    initial = start if start is not None else [np.ones(xj.shape[1]) for xj in x]
    weights = [_unit_variance(xj, wj) for xj, wj in zip(x, initial, strict=True)]
    iteration, change = 0, math.inf
    while iteration < max_iter:
        iteration += 1
        scores = np.column_stack([xj @ wj for xj, wj in zip(x, weights, strict=True)])
        proxies = scores @ inner_weights(scores, adjacency, scheme)
        new = [_unit_variance(xj, _outer(xj, proxies[:, j], modes[j])) for j, xj in enumerate(x)]
        change = max(float(np.max(np.abs(n - w))) for n, w in zip(new, weights, strict=True))
        weights = new
        if change < tol:
            break
    if change >= tol:
        raise DataError(f"PLS did not converge in {max_iter} iterations")
    scores = np.column_stack([xj @ wj for xj, wj in zip(x, weights, strict=True)])
    for j, xj in enumerate(x):  # sign fixing (step 6)
        if _correlations(xj, scores[:, j]).sum() < 0:
            weights[j], scores[:, j] = -weights[j], -scores[:, j]
    return weights, scores, iteration


def inner_model(scores: np.ndarray, adjacency: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Step 7: the matrix of direct path coefficients and each LV's R² (0 if exogenous)."""
    size = scores.shape[1]
    direct, r2 = np.zeros((size, size)), np.zeros(size)
    for j in range(size):
        sources = np.flatnonzero(adjacency[:, j])
        if not len(sources):
            continue
        beta = np.linalg.lstsq(scores[:, sources], scores[:, j], rcond=None)[0]
        direct[sources, j] = beta
        residual = scores[:, j] - scores[:, sources] @ beta
        r2[j] = 1.0 - float(residual @ residual) / float(scores[:, j] @ scores[:, j])
    return direct, r2


def total_effects(direct: np.ndarray) -> np.ndarray:
    """Direct plus every indirect effect: ``(I − B)⁻¹ − I``."""
    identity = np.eye(len(direct))
    return np.asarray(np.linalg.inv(identity - direct) - identity)


def inner_weights(scores: np.ndarray, adjacency: np.ndarray, scheme: str) -> np.ndarray:
    """E[i, j]: the weight of LV i in the proxy of LV j."""
    corr = np.corrcoef(scores, rowvar=False)
    neighbours = adjacency | adjacency.T
    if scheme == "centroid":
        return np.where(neighbours, np.sign(corr), 0.0)
    if scheme == "factorial":
        return np.where(neighbours, corr, 0.0)
    inner = np.where(adjacency.T, corr, 0.0)  # successors of j: E[successor, j] = cor
    for j in range(scores.shape[1]):
        sources = np.flatnonzero(adjacency[:, j])
        if len(sources):
            inner[sources, j] = np.linalg.lstsq(scores[:, sources], scores[:, j], rcond=None)[0]
    return inner


def _unit_variance(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    sd = float(np.std(x @ w, ddof=1))
    if sd == 0 or not math.isfinite(sd):
        raise DataError("a latent variable score has no variance; check the indicators")
    return w / sd


def _outer(x: np.ndarray, proxy: np.ndarray, mode: str) -> np.ndarray:
    if mode == "B":
        return np.linalg.lstsq(x, proxy, rcond=None)[0]
    return x.T @ proxy / (len(proxy) - 1)


def _correlations(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Correlation of each column of ``x`` (centred) with ``y`` (centred)."""
    yc = y - y.mean()
    xc = x - x.mean(axis=0)
    return (xc.T @ yc) / (np.sqrt((xc**2).sum(axis=0)) * math.sqrt(float(yc @ yc)))
