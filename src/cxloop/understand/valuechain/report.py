"""A fitted PLS path model (and its bootstrap) as a
:class:`~cxloop.domain.valuechain.ValueChainFit`."""

from __future__ import annotations

import pandas as pd

from cxloop.domain.valuechain import (
    ConstructSummary,
    IndicatorEstimate,
    PathEstimate,
    ValueChainFit,
)
from cxloop.understand.valuechain.bootstrap import BootstrapIntervals, bootstrap
from cxloop.understand.valuechain.pls import PLSPathModel, Scheme
from cxloop.understand.valuechain.structure import PathModelSpec


def _maybe(frame: pd.DataFrame | pd.Series | None, *key: object) -> float | None:
    if frame is None:
        return None
    value = frame.loc[key if len(key) > 1 else key[0]]  # type: ignore[index]
    return float(value)


def fit_report(model: PLSPathModel, ci: BootstrapIntervals | None = None) -> ValueChainFit:
    """The estimates of a fitted model, with ``ci`` intervals where given."""
    spec = model.spec
    names = spec.constructs
    paths = [
        PathEstimate(
            source=s, target=t, coef=float(model.path_coefficients_.loc[s, t]),
            ci_low=_maybe(ci and ci.paths_low, s, t), ci_high=_maybe(ci and ci.paths_high, s, t),
        )
        for t in names for s in spec.predecessors(t)
    ]  # fmt: skip
    total_effects = [
        PathEstimate(
            source=s, target=t, coef=float(model.total_effects_.loc[s, t]),
            ci_low=_maybe(ci and ci.total_low, s, t), ci_high=_maybe(ci and ci.total_high, s, t),
        )
        for s in names for t in names
        if abs(float(model.total_effects_.loc[s, t])) > 0
    ]  # fmt: skip
    weights = [
        IndicatorEstimate(
            block=c, indicator=i, weight=float(model.weights_.loc[(c, i)]),
            loading=float(model.loadings_.loc[(c, i)]),
            communality=float(model.loadings_.loc[(c, i)]) ** 2,
            weight_ci_low=_maybe(ci and ci.weights_low, c, i),
            weight_ci_high=_maybe(ci and ci.weights_high, c, i),
            loading_ci_low=_maybe(ci and ci.loadings_low, c, i),
            loading_ci_high=_maybe(ci and ci.loadings_high, c, i),
        )
        for c, i in model.weights_.index
    ]  # fmt: skip
    r2 = {name: float(model.r2_[name]) for name in model.r2_.index}
    constructs = [
        ConstructSummary(
            name=c, mode=spec.mode(c), indicators=list(spec.blocks[c]), r2=r2.get(c),
            r2_ci_low=_maybe(ci and ci.r2_low, c) if c in r2 else None,
            r2_ci_high=_maybe(ci and ci.r2_high, c) if c in r2 else None,
            communality=float(model.communality_[c]), redundancy=float(model.redundancy_[c]),
        )
        for c in names
    ]  # fmt: skip
    return ValueChainFit(
        paths=paths, r2=r2, total_effects=total_effects, gof=model.gof_, weights=weights,
        constructs=constructs, scheme=model.scheme, n=model.n_obs_, iterations=model.n_iter_,
        bootstrap=ci.resamples if ci else 0, bootstrap_failed=ci.failed if ci else 0,
        seed=ci.seed if ci else None, level=ci.level if ci else None,
    )  # fmt: skip


def fit_value_chain(
    data: pd.DataFrame,
    spec: PathModelSpec,
    *,
    scheme: Scheme = "path",
    bootstrap_resamples: int = 0,
    seed: int = 0,
    level: float = 0.95,
) -> ValueChainFit:
    """Fit ``spec`` on ``data`` and bootstrap it (``bootstrap_resamples`` > 0): what ``cxloop
    valuechain fit`` prints.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=80)
    >>> frame = pd.DataFrame({"a": a, "b": 0.6 * a + rng.normal(size=80)})
    >>> fit = fit_value_chain(frame, PathModelSpec({"A": ["a"], "B": ["b"]}, [("A", "B")]))
    >>> fit.paths[0].source, fit.paths[0].target, round(fit.paths[0].coef, 2)
    ('A', 'B', 0.47)
    """
    model = PLSPathModel(spec, scheme=scheme).fit(data)
    ci = None
    if bootstrap_resamples:
        ci = bootstrap(model, data, n=bootstrap_resamples, seed=seed, level=level)
    return fit_report(model, ci)
