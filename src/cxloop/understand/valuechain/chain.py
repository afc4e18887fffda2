"""The employee → customer value chain on the warehouse: ``cxloop valuechain run``.

Builds the team × period table (:mod:`.team_periods`), optionally removes each team's mean
(``within_team``: a team that serves buyers at checkout and one that takes complaints differ
for reasons their staff do not cause, so the chain is read from changes within teams over
time), fits the PLS path model of ``valuechain.yaml`` with bootstrap intervals, and says how
much of each customer outcome engagement accounts for: the total effect of engagement on it
(standardised: the products of the path coefficients along every route from engagement to the
outcome, summed) and the share of the outcome's variance that engagement accounts for through
those routes, the squared total effect.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from cxloop.domain.valuechain import ChainOutcome, ValueChainRun
from cxloop.errors import DataError
from cxloop.understand.valuechain.bootstrap import bootstrap
from cxloop.understand.valuechain.chain_file import ChainFile
from cxloop.understand.valuechain.pls import PLSPathModel
from cxloop.understand.valuechain.report import fit_report
from cxloop.understand.valuechain.team_periods import team_period_table

if TYPE_CHECKING:
    from cxloop.storage import Warehouse


def chain_cases(table: pd.DataFrame, chain: ChainFile) -> pd.DataFrame:
    """The rows and columns the model reads: complete cases, team means removed if asked."""
    columns = chain.spec().columns
    cases = table.dropna(subset=columns).reset_index(drop=True)
    if chain.within_team and len(cases):
        means = cases.groupby("team_id")[columns].transform("mean")
        cases[columns] = cases[columns] - means
    return cases


def fit_chain(table: pd.DataFrame, chain: ChainFile, *, bootstrap_resamples: int | None = None,
              seed: int | None = None) -> ValueChainRun:  # fmt: skip
    """Fit ``chain`` on a team × period table (see :func:`value_chain_run`)."""
    cases = chain_cases(table, chain)
    needed = max(10, 2 * len(chain.blocks))
    if len(cases) < needed:
        raise DataError(
            f"the value chain needs at least {needed} team x {chain.period} cells with "
            f"feedback, pulses and a complete follow-up; the warehouse has {len(cases)}"
        )
    spec = chain.spec()
    model = PLSPathModel(spec, scheme=chain.scheme).fit(cases)
    resamples = chain.bootstrap if bootstrap_resamples is None else bootstrap_resamples
    seed = chain.seed if seed is None else seed
    ci = bootstrap(model, cases, n=resamples, seed=seed) if resamples else None
    fit = fit_report(model, ci)
    outcomes = []
    for name in chain.outcomes:
        total = next((e for e in fit.total_effects
                      if e.source == chain.engagement and e.target == name), None)  # fmt: skip
        outcomes.append(ChainOutcome(
            outcome=name, total_effect=total.coef if total else 0.0,
            ci_low=total.ci_low if total else None, ci_high=total.ci_high if total else None,
            explained_share=(total.coef if total else 0.0) ** 2,
        ))  # fmt: skip
    periods = pd.Series(cases["period"])
    return ValueChainRun(
        unit=f"team x {chain.period}", cases=len(cases), teams=int(cases["team_id"].nunique()),
        periods=int(periods.nunique()), since=min(periods), until=max(periods), fit=fit,
        outcomes=outcomes, engagement=chain.engagement, within_team=chain.within_team,
    )  # fmt: skip


def value_chain_run(
    wh: Warehouse,
    chain: ChainFile,
    *,
    bootstrap_resamples: int | None = None,
    seed: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> ValueChainRun:
    """Fit the value chain of ``chain`` (a loaded ``valuechain.yaml``) on the warehouse.

    ``bootstrap_resamples`` and ``seed`` override the file's ``bootstrap`` and ``seed``.
    Raises :class:`~cxloop.errors.DataError` when there are too few complete team × period
    cells to fit.
    """
    options = chain.options()
    options = type(options)(**{**options.__dict__, "since": since, "until": until})
    table = team_period_table(wh, options)
    return fit_chain(table, chain, bootstrap_resamples=bootstrap_resamples, seed=seed)
