"""``cxloop clv score``: fit BG/NBD and Gamma-Gamma on the warehouse's orders and store every
resolved customer's CLV, probability alive and expected purchases.

- Orders without a customer (not resolved yet) and returned or cancelled orders are left out.
- The calibration period ends on the last order's day unless told otherwise; later orders are
  ignored (that is how a holdout check is made).
- BG/NBD is fitted on every customer (purchase counts know no currency). Spend is read in each
  customer's main currency (the one most of their orders are in) and Gamma-Gamma is fitted per
  currency, on the repeat buyers of that currency; a currency with fewer than
  :data:`MIN_SPEND_CUSTOMERS` of them gets no spend model, and its customers no CLV.
- The scores replace the previous ones in one transaction (``customer_clv``); every fitted
  model is kept in ``clv_models``.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, date, datetime

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, Field

from cxloop.domain.clv import BgnbdFit, GammaGammaFit
from cxloop.errors import DataError
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema
from cxloop.understand.clv.bgnbd import BetaGeoModel
from cxloop.understand.clv.fitting import bgnbd_fit, gamma_gamma_fit
from cxloop.understand.clv.gamma_gamma import GammaGammaModel
from cxloop.understand.clv.summary import TimeUnit, unit_days
from cxloop.understand.clv.summary_expr import NOT_PURCHASES, rfm_summary_expr
from cxloop.understand.clv.value import check_value_options, score_customers

#: repeat buyers a currency needs for its own Gamma-Gamma fit
MIN_SPEND_CUSTOMERS = 20


class ClvScoreReport(BaseModel):
    """What ``cxloop clv score`` did (its JSON)."""

    model_id: str
    fitted_at: datetime
    calibration_end: date
    time_unit: str
    horizon_months: int
    discount_rate: float = Field(description="Per month.")
    customers: int
    repeat_customers: int
    bgnbd: BgnbdFit
    gamma_gamma: list[GammaGammaFit] = Field(description="One spend model per currency.")
    currencies_without_spend_model: list[str] = Field(default_factory=list)
    fit_seconds: float
    total_clv: dict[str, float] = Field(default_factory=dict, description="Per currency.")


def main_currency_expr(orders: ir.Table) -> ir.Table:
    """Each customer's main currency: the one most of their purchases are in (ties: by name);
    returned and cancelled orders do not count."""
    priced = orders.filter(orders.customer_id.notnull(), orders.currency.notnull())
    if "status" in orders.columns:
        status = priced.status.lower()
        priced = priced.filter(status.isnull() | ~status.isin(NOT_PURCHASES))
    counts = priced.group_by(["customer_id", "currency"]).aggregate(n=priced.count())
    ranked = counts.mutate(
        rank=ibis.row_number().over(
            group_by=counts.customer_id, order_by=[ibis.desc(counts.n), counts.currency]
        )
    )
    return ranked.filter(ranked["rank"] == 0).select("customer_id", "currency")


def warehouse_summary(
    warehouse: Warehouse, calibration_end: date, time_unit: TimeUnit
) -> pd.DataFrame:
    """Per resolved customer: frequency, recency and T from all their orders, and their main
    currency with the frequency and mean repeat spend of their orders in it."""
    orders = warehouse.table("orders")
    counts = rfm_summary_expr(orders, calibration_end, time_unit=time_unit, amount_col=None)
    currency = main_currency_expr(orders)
    in_currency = orders.inner_join(currency, ["customer_id", "currency"])
    money = rfm_summary_expr(in_currency, calibration_end, time_unit=time_unit).select(
        "customer_id", spend_frequency="frequency", monetary_value="monetary_value"
    )
    joined = counts.left_join(money, "customer_id").left_join(currency, "customer_id")
    frame = warehouse.to_pandas(
        joined.select(
            "customer_id", "frequency", "recency", "T", "currency",
            "spend_frequency", "monetary_value",
        ).order_by("customer_id")
    )  # fmt: skip
    return frame.set_index("customer_id")


def last_order_day(warehouse: Warehouse) -> date | None:
    """The day of the latest order of a resolved customer."""
    orders = warehouse.table("orders")
    found = warehouse.to_pandas(
        orders.filter(orders.customer_id.notnull()).aggregate(last=orders.ts.max())
    )["last"]
    if found.empty or pd.isna(found.iloc[0]):
        return None
    return pd.Timestamp(found.iloc[0]).tz_convert("UTC").date()


def score_clv(
    warehouse: Warehouse,
    *,
    horizon_months: int = 12,
    discount_rate: float = 0.01,
    calibration_end: date | None = None,
    time_unit: TimeUnit = "D",
) -> ClvScoreReport:
    """Fit on the orders and write every customer's scores to ``customer_clv``.

    Parameters
    ----------
    warehouse
        After ``cxloop resolve`` (orders carry ``customer_id``).
    horizon_months, discount_rate
        The CLV horizon and monthly discount rate (see :mod:`.value`).
    calibration_end
        Last day of the orders to fit on (default: the last order's day).
    time_unit
        ``D`` or ``W``: the unit of the stored recency and T and of the BG/NBD parameters.

    Raises
    ------
    DataError
        When there are no orders of resolved customers, or none with a repeat purchase.
    """
    check_value_options(horizon_months, discount_rate)
    unit_days(time_unit)
    began = time.perf_counter()
    end = calibration_end or last_order_day(warehouse)
    if end is None:
        raise DataError("no orders of resolved customers: import orders and run cxloop resolve")
    summary = warehouse_summary(warehouse, end, time_unit)
    if summary.empty:
        raise DataError(f"no orders of resolved customers on or before {end}")
    bgnbd = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    scores = score_customers(
        summary.drop(columns="monetary_value"), bgnbd, None,
        horizon_months=horizon_months, discount_rate=discount_rate, time_unit=time_unit,
    )  # fmt: skip
    spend_models, unmodelled = _spend_by_currency(summary, bgnbd, scores, horizon_months,
                                                  discount_rate, time_unit)  # fmt: skip
    fit_seconds = time.perf_counter() - began
    fitted_at = datetime.now(UTC)
    model_id = f"clv_{fitted_at:%Y%m%d%H%M%S}_{uuid.uuid4().hex[:8]}"
    report = ClvScoreReport(
        model_id=model_id,
        fitted_at=fitted_at,
        calibration_end=end,
        time_unit=time_unit,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        customers=len(summary),
        repeat_customers=int((summary["frequency"] > 0).sum()),
        bgnbd=bgnbd_fit(bgnbd),
        gamma_gamma=spend_models,
        currencies_without_spend_model=unmodelled,
        fit_seconds=fit_seconds,
        total_clv={
            str(c): round(float(v), 2)
            for c, v in scores.groupby(summary["currency"])["clv"].sum(min_count=1).items()
            if pd.notna(v)
        },
    )
    _write(warehouse, report, summary, scores)
    return report


def _spend_by_currency(
    summary: pd.DataFrame,
    bgnbd: BetaGeoModel,
    scores: pd.DataFrame,
    horizon_months: int,
    discount_rate: float,
    time_unit: TimeUnit,
) -> tuple[list[GammaGammaFit], list[str]]:
    """Fit Gamma-Gamma per currency and fill ``expected_spend`` and ``clv`` of ``scores``."""
    from cxloop.understand.clv.value import customer_lifetime_value

    fits, unmodelled = [], []
    for currency, rows in summary.groupby("currency", sort=True, dropna=True):
        x = rows["spend_frequency"].fillna(0).to_numpy(dtype=float)
        money = rows["monetary_value"].fillna(0).to_numpy(dtype=float)
        if int(((x > 0) & (money > 0)).sum()) < MIN_SPEND_CUSTOMERS:
            unmodelled.append(str(currency))
            continue
        keep = (x == 0) | (money > 0)  # a repeat buyer with a zero mean spend cannot be fitted
        model = GammaGammaModel().fit(x[keep], money[keep])
        spend = model.expected_spend(x, money)
        scores.loc[rows.index, "expected_spend"] = spend
        scores.loc[rows.index, "clv"] = customer_lifetime_value(
            bgnbd, spend, rows["frequency"], rows["recency"], rows["T"],
            horizon_months=horizon_months, discount_rate=discount_rate, time_unit=time_unit,
        )  # fmt: skip
        fits.append(gamma_gamma_fit(model, str(currency)))
    return fits, unmodelled


def _write(
    warehouse: Warehouse, report: ClvScoreReport, summary: pd.DataFrame, scores: pd.DataFrame
) -> None:
    model_row = {
        "model_id": report.model_id,
        "fitted_at": report.fitted_at,
        "calibration_end": report.calibration_end,
        "time_unit": report.time_unit,
        "horizon_months": report.horizon_months,
        "discount_rate": report.discount_rate,
        "customers": report.customers,
        "repeat_customers": report.repeat_customers,
        "bgnbd": report.bgnbd.model_dump_json(),
        "gamma_gamma": json.dumps([m.model_dump(mode="json") for m in report.gamma_gamma]),
        "fit_seconds": report.fit_seconds,
    }
    columns = {
        "customer_id": summary.index.to_numpy(dtype=object),
        "model_id": np.full(len(summary), report.model_id, dtype=object),
        "scored_at": pa.array([report.fitted_at] * len(summary), pa.timestamp("us", tz="UTC")),
        "frequency": summary["frequency"].to_numpy(dtype=np.int64),
        "recency": summary["recency"].to_numpy(dtype=float),
        "T": summary["T"].to_numpy(dtype=float),
        "monetary_value": summary["monetary_value"].to_numpy(dtype=float),
        "currency": summary["currency"].to_numpy(dtype=object),
        **{c: scores[c].to_numpy(dtype=float) for c in
           ("expected_purchases", "probability_alive", "expected_spend", "clv")},
    }  # fmt: skip
    rows = pa.Table.from_pydict(
        {k: pa.array(v, from_pandas=True) if not isinstance(v, pa.Array) else v
         for k, v in columns.items()}
    )  # fmt: skip
    rows = rows.cast(arrow_schema("customer_clv", rows.column_names))
    table = warehouse.table("customer_clv")
    with warehouse.transaction():
        old = warehouse.to_pandas(table.select("model_id").distinct())["model_id"].tolist()
        warehouse.append_rows("clv_models", [model_row])
        if old:
            warehouse.delete("customer_clv", "model_id", [str(m) for m in old])
        warehouse.append("customer_clv", rows, keys_known_new=True)
