"""Key-driver analysis over the warehouse: pick the drivers, build the table, weigh them.

Both methods split the R² of the least-squares regression of the outcome on the drivers
(standardised, so only correlations matter); see :mod:`.relative_weights` and
:mod:`.shapley`. For churn, a 0/1 outcome, the regression is a linear probability model and
R² its ordinary R²: it decomposes exactly, which a pseudo-R² of a logistic model does not.

Without ``drivers``, every driver observed for at least ``min_n`` customers is used, up to
:data:`~cxloop.understand.drivers.shapley.MAX_SHAPLEY_DRIVERS`: when more qualify, those
most correlated with the outcome (in absolute value) are kept and the rest are listed in
``left_out``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cxloop.domain.drivers import DriverImportance, DriverReport, LeftOutDriver
from cxloop.errors import DataError, UsageError
from cxloop.understand.drivers.bootstrap import DEFAULT_SEED, importance
from cxloop.understand.drivers.shapley import MAX_SHAPLEY_DRIVERS, TooManyDriversError
from cxloop.understand.drivers.table import (
    DEFAULT_CHURN_DAYS,
    OUTCOMES,
    AnalysisTable,
    DriverInfo,
    analysis_table,
    available_drivers,
    imputed,
)

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

DEFAULT_MIN_N = 30
#: the tables a report reads: a change of their row counts invalidates a cached report
SOURCES = ("feedback", "feedback_insights", "orders", "surveys", "survey_responses")
ReportCache = dict[tuple[Any, ...], DriverReport]
_CACHE_LOCK = threading.Lock()
#: one lock per report being worked out, so a second caller waits for it rather than redo it
_IN_FLIGHT: dict[tuple[Any, ...], threading.Lock] = {}
_CACHE_SIZE = 16


def check_outcome(outcome: str) -> None:
    """Refuse an unknown outcome with the valid ones."""
    if outcome not in OUTCOMES:
        raise UsageError(f"unknown outcome {outcome!r}; valid: {', '.join(OUTCOMES)}")


def pick_drivers(
    known: dict[str, DriverInfo], names: Sequence[str] | None
) -> dict[str, DriverInfo]:
    """The drivers named (all known ones when ``names`` is None); an unknown name is an error
    that lists the valid ones."""
    if names is None:
        return dict(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        valid = ", ".join(known) or "none (no feedback, themes or rating answers yet)"
        raise UsageError(f"unknown driver {unknown[0]!r}; valid: {valid}")
    if len(set(names)) > MAX_SHAPLEY_DRIVERS:
        raise TooManyDriversError(
            f"--drivers names {len(set(names))} drivers; Shapley-value regression takes at "
            f"most {MAX_SHAPLEY_DRIVERS} (2^p subsets)"
        )
    return {n: known[n] for n in dict.fromkeys(names)}


def _observed(table: AnalysisTable, info: DriverInfo) -> int:
    column = table.frame[info.name]
    if info.kind == "theme":
        return int((column > 0).sum())
    return int(column.notna().sum())


def _performance(table: AnalysisTable, info: DriverInfo) -> tuple[float | None, float | None]:
    column = table.frame[info.name]
    if info.kind == "theme":
        mentioned = float(column.mean()) if len(column) else None
        share = None
        if info.theme_mentions:
            share = 1.0 - info.theme_negative / info.theme_mentions
        return mentioned, share
    observed = column.dropna()
    if observed.empty:
        return None, None
    satisfied = float((observed >= info.scale[1] - 1).mean())
    return float(observed.mean()), satisfied


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def driver_report_from_table(
    table: AnalysisTable,
    *,
    explicit: bool = False,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
    min_n: int = DEFAULT_MIN_N,
    churn_days: int | None = None,
) -> DriverReport:
    """Weigh the drivers of an analysis table (see :func:`driver_report`)."""
    frame = table.frame
    outcome = frame["outcome"].to_numpy(dtype=float)
    counts = {name: _observed(table, info) for name, info in table.drivers.items()}
    left_out: list[LeftOutDriver] = []
    names = list(table.drivers)
    few = [n for n in names if counts[n] < min_n]
    if explicit and few:
        raise DataError(
            f"driver {few[0]!r} is observed for {counts[few[0]]} of {len(frame)} customers with "
            f"{table.outcome}; it needs at least {min_n}"
        )
    left_out += [LeftOutDriver(name=n, reason="few_observations", n=counts[n]) for n in few]
    names = [n for n in names if n not in few]
    if not names:
        raise DataError(
            f"no driver is observed for at least {min_n} customers with {table.outcome} "
            f"({len(frame)} customers): collect more feedback or lower min_n"
        )
    if len(frame) < max(10, len(names) + 2):
        raise DataError(
            f"{len(frame)} customers with {table.outcome} are too few for {len(names)} drivers"
        )
    values = imputed(frame, names)
    correlations = np.array([_correlation(values[:, j], outcome) for j in range(len(names))])
    if len(names) > MAX_SHAPLEY_DRIVERS:
        order = np.argsort(-np.abs(correlations), kind="stable")
        keep = sorted(order[:MAX_SHAPLEY_DRIVERS])
        dropped = [names[j] for j in order[MAX_SHAPLEY_DRIVERS:]]
        left_out += [LeftOutDriver(name=n, reason="max_drivers", n=counts[n]) for n in dropped]
        names, values, correlations = [names[j] for j in keep], values[:, keep], correlations[keep]
    result = importance(values, outcome, bootstrap=bootstrap, seed=seed)
    rw_ci, sh_ci = result.interval("relative_weights"), result.interval("shapley")
    r2_ci = result.r2_interval()
    order = np.argsort(-result.shapley, kind="stable")
    rows = []
    for rank, j in enumerate(order, start=1):
        info = table.drivers[names[j]]
        mean, performance = _performance(table, info)
        rows.append(DriverImportance(
            name=info.name, kind=info.kind, label=info.label, n=counts[info.name],  # type: ignore[arg-type]
            mean=mean, performance=performance, correlation=float(correlations[j]),
            relative_weight=float(result.relative_weights[j]),
            relative_weight_ci_low=_num(rw_ci[0][j]) if rw_ci else None,
            relative_weight_ci_high=_num(rw_ci[1][j]) if rw_ci else None,
            shapley=float(result.shapley[j]),
            shapley_ci_low=_num(sh_ci[0][j]) if sh_ci else None,
            shapley_ci_high=_num(sh_ci[1][j]) if sh_ci else None, rank=rank,
        ))  # fmt: skip
    performances = [r.performance for r in rows if r.performance is not None]
    return DriverReport(
        outcome=table.outcome,  # type: ignore[arg-type]
        model="linear probability" if table.outcome == "churn" else "linear",
        n=len(frame), r2=result.r2, r2_ci_low=r2_ci[0] if r2_ci else None,
        r2_ci_high=r2_ci[1] if r2_ci else None, bootstrap=max(bootstrap, 0), seed=seed,
        churn_days=churn_days if table.outcome == "churn" else None,
        mean_importance=float(np.mean(result.shapley)),
        mean_performance=float(np.mean(performances)) if performances else None,
        drivers=rows, left_out=left_out,
    )  # fmt: skip


def _correlation(x: np.ndarray, y: np.ndarray) -> float:
    if x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def driver_report(
    wh: Warehouse,
    outcome: str,
    *,
    drivers: Sequence[str] | None = None,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
    min_n: int = DEFAULT_MIN_N,
    churn_days: int = DEFAULT_CHURN_DAYS,
    cache: ReportCache | None = None,
) -> DriverReport:
    """Key drivers of ``outcome`` (nps, csat, ces, churn) by Johnson's relative weights and
    Shapley-value regression, with ``bootstrap`` resamples for 95% intervals.

    Parameters
    ----------
    drivers
        Driver names (``touchpoint:delivery``, ``theme:billing``, ``rating:survey.q``); default:
        every driver observed for at least ``min_n`` customers (at most 15, the most
        correlated with the outcome).
    bootstrap
        Resamples of the customers for percentile intervals; 0 for none.
    seed
        Seed of the resampling, so a report can be reproduced.
    churn_days
        churn only: customers without an order for this many days count as churned.
    cache
        A dict the caller keeps (one per server): the report is reused while the arguments
        and the row counts of the tables it reads stay the same.

    Examples
    --------
    >>> report = driver_report(wh, "nps", bootstrap=200)  # doctest: +SKIP
    >>> [(d.name, round(d.shapley, 3)) for d in report.drivers[:2]]  # doctest: +SKIP
    [('theme:delivery', 0.031), ('theme:billing', 0.017)]
    """
    check_outcome(outcome)
    if bootstrap < 0:
        raise UsageError(f"bootstrap must be 0 or more, not {bootstrap}")
    if churn_days < 1:
        raise UsageError(f"churn_days must be at least 1, not {churn_days}")
    if cache is None:
        return _compute(wh, outcome, drivers, bootstrap, seed, min_n, churn_days)
    counts = wh.counts()
    key = (wh.url, outcome, tuple(drivers) if drivers is not None else None, bootstrap, seed,
           min_n, churn_days, tuple(counts[t] for t in SOURCES))  # fmt: skip
    with _CACHE_LOCK:
        flight = _IN_FLIGHT.setdefault(key, threading.Lock())
    try:
        with flight:
            with _CACHE_LOCK:
                cached = cache.get(key)
            if cached is not None:
                return cached
            report = _compute(wh, outcome, drivers, bootstrap, seed, min_n, churn_days)
            with _CACHE_LOCK:
                while len(cache) >= _CACHE_SIZE:
                    cache.pop(next(iter(cache)))
                cache[key] = report
    finally:
        with _CACHE_LOCK:
            _IN_FLIGHT.pop(key, None)
    return report


def _compute(
    wh: Warehouse,
    outcome: str,
    drivers: Sequence[str] | None,
    bootstrap: int,
    seed: int,
    min_n: int,
    churn_days: int,
) -> DriverReport:
    chosen = pick_drivers(available_drivers(wh), drivers)
    table = analysis_table(wh, outcome, chosen, churn_days=churn_days)
    return driver_report_from_table(
        table, explicit=drivers is not None, bootstrap=bootstrap, seed=seed, min_n=min_n,
        churn_days=churn_days,
    )  # fmt: skip
