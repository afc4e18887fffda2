"""Fitting BG/NBD and Gamma-Gamma together: from a summary, or from a transactions file (what
``cxloop clv fit`` calls)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from cxloop.domain.clv import BgnbdFit, ClvFitReport, GammaGammaFit
from cxloop.understand.clv.bgnbd import BetaGeoModel
from cxloop.understand.clv.gamma_gamma import GammaGammaModel
from cxloop.understand.clv.input_files import read_summary, read_transactions
from cxloop.understand.clv.summary import TimeUnit, rfm_summary, unit_days


@dataclass
class ClvModels:
    """The fitted models and the summary they were fitted on."""

    summary: pd.DataFrame
    bgnbd: BetaGeoModel
    gamma_gamma: GammaGammaModel | None
    time_unit: str
    calibration_end: date | None = None

    def report(self) -> ClvFitReport:
        """The fit as the JSON document of ``cxloop clv fit``."""
        return ClvFitReport(
            bgnbd=bgnbd_fit(self.bgnbd),
            gamma_gamma=gamma_gamma_fit(self.gamma_gamma) if self.gamma_gamma else None,
            customers=len(self.summary),
            repeat_customers=int((self.summary["frequency"] > 0).sum()),
            time_unit=self.time_unit,
            calibration_end=self.calibration_end,
        )


def _errors(values: dict[str, float]) -> dict[str, float | None]:
    return {k: (None if math.isnan(v) else v) for k, v in values.items()}


def bgnbd_fit(model: BetaGeoModel) -> BgnbdFit:
    """The parameters of a fitted :class:`BetaGeoModel` as a record."""
    return BgnbdFit(
        **model.params_,
        log_likelihood=model.log_likelihood_,
        standard_errors=_errors(model.standard_errors_),
        customers=model.customers_,
        fit_seconds=model.fit_seconds_,
    )


def gamma_gamma_fit(model: GammaGammaModel, currency: str | None = None) -> GammaGammaFit:
    """The parameters of a fitted :class:`GammaGammaModel` as a record."""
    return GammaGammaFit(
        **model.params_,
        log_likelihood=model.log_likelihood_,
        standard_errors=_errors(model.standard_errors_),
        customers=model.customers_,
        fit_seconds=model.fit_seconds_,
        currency=currency,
    )


def fit_clv_models(
    summary: pd.DataFrame, *, time_unit: str = "D", calibration_end: date | None = None
) -> ClvModels:
    """Fit BG/NBD on ``frequency``, ``recency``, ``T`` and, when the summary has
    ``monetary_value``, Gamma-Gamma on its repeat buyers.

    Examples
    --------
    >>> summary = pd.read_csv("cdnow_customers_summary.csv")  # doctest: +SKIP
    >>> fit_clv_models(summary, time_unit="W").report().bgnbd.r  # doctest: +SKIP
    0.2425...
    """
    unit_days(time_unit)
    bgnbd = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    gamma_gamma = None
    if "monetary_value" in summary:
        gamma_gamma = GammaGammaModel().fit(summary["frequency"], summary["monetary_value"])
    return ClvModels(summary, bgnbd, gamma_gamma, time_unit.upper(), calibration_end)


def fit_clv_transactions_file(
    path: str | Path,
    *,
    customer_col: str,
    date_col: str,
    amount_col: str | None = None,
    date_format: str | None = None,
    calibration_end: date | None = None,
    time_unit: TimeUnit = "D",
) -> ClvModels:
    """Summarise a transactions file (see :func:`rfm_summary` for the conventions) and fit.

    The calibration period ends on ``calibration_end`` (included), by default on the last
    transaction's day.
    """
    unit_days(time_unit)
    transactions = read_transactions(
        Path(path), customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, date_format=date_format,
    )  # fmt: skip
    end = calibration_end or transactions["ts"].max().date()
    summary = rfm_summary(
        transactions, customer_col="customer", date_col="ts",
        amount_col="amount" if amount_col else None,
        calibration_end=end, time_unit=time_unit,
    )  # fmt: skip
    if summary.empty:
        from cxloop.errors import DataError

        raise DataError(f"{path}: no customer bought on or before the calibration end {end}")
    return fit_clv_models(summary, time_unit=time_unit, calibration_end=end)


def fit_clv_summary_file(path: str | Path, *, time_unit: TimeUnit = "D") -> ClvModels:
    """Fit on a summary file (frequency, recency, T, optionally monetary_value)."""
    summary = read_summary(Path(path))
    return fit_clv_models(summary.astype({"frequency": np.int64}), time_unit=time_unit)
