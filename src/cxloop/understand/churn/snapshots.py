"""Churn snapshots: the features (and, when the future is known, the label) of every active
customer at a cutoff day, run in the warehouse and returned as a pandas frame.

``probability_alive`` is not read from ``customer_clv``: those scores were computed on every
order up to the CLV's calibration end, which lies after a training cutoff and would leak the
label into the features. Instead a BG/NBD model (the one CLV uses) is fitted at each cutoff on
the orders up to that cutoff.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from cxloop.errors import DataError
from cxloop.storage import Warehouse
from cxloop.understand.churn.features import (
    DEFAULT_ACTIVE_DAYS,
    churn_features,
    churn_labels,
    purchases,
)
from cxloop.understand.clv.bgnbd import BetaGeoModel
from cxloop.understand.clv.summary_expr import rfm_summary_expr


def feature_snapshot(
    warehouse: Warehouse, cutoff: date, *, active_days: int = DEFAULT_ACTIVE_DAYS
) -> pd.DataFrame:
    """The features of every active customer at ``cutoff``, indexed by ``customer_id``."""
    frame = warehouse.to_pandas(churn_features(warehouse.table, cutoff, active_days=active_days))
    frame = frame.set_index("customer_id")
    frame["probability_alive"] = _probability_alive(warehouse, cutoff).reindex(frame.index)
    return frame.astype(float)


def labelled_snapshot(
    warehouse: Warehouse,
    cutoff: date,
    horizon_days: int,
    *,
    active_days: int = DEFAULT_ACTIVE_DAYS,
) -> pd.DataFrame:
    """:func:`feature_snapshot` with the label ``churned`` (0 or 1) and the ``cutoff``."""
    frame = feature_snapshot(warehouse, cutoff, active_days=active_days)
    labels = warehouse.to_pandas(churn_labels(warehouse.table, cutoff, horizon_days))
    frame["churned"] = labels.set_index("customer_id")["churned"].reindex(frame.index)
    frame["cutoff"] = pd.Timestamp(cutoff)
    return frame.dropna(subset=["churned"])


def stacked_snapshots(
    warehouse: Warehouse,
    last_cutoff: date,
    horizon_days: int,
    *,
    snapshots: int,
    spacing_days: int = 30,
    active_days: int = DEFAULT_ACTIVE_DAYS,
) -> pd.DataFrame:
    """Labelled snapshots at ``last_cutoff`` and the ``snapshots - 1`` cutoffs every
    ``spacing_days`` before it, one under the other (a customer appears once per cutoff).
    Every label window ends by ``last_cutoff + horizon_days``."""
    frames = [
        labelled_snapshot(
            warehouse, last_cutoff - timedelta(days=spacing_days * k), horizon_days,
            active_days=active_days,
        )
        for k in range(snapshots)
    ]  # fmt: skip
    frames = [f for f in frames if not f.empty]
    if not frames:
        raise DataError(
            f"no customer with a purchase in the {active_days} days up to {last_cutoff}"
        )
    return pd.concat(frames)


def last_purchase_day(warehouse: Warehouse) -> date | None:
    """The day of the latest purchase of a resolved customer (None without one)."""
    o = purchases(warehouse.table)
    found = warehouse.to_pandas(o.aggregate(last=o.ts.max()))["last"]
    if found.empty or pd.isna(found.iloc[0]):
        return None
    return pd.Timestamp(found.iloc[0]).tz_convert("UTC").date()


def _probability_alive(warehouse: Warehouse, cutoff: date) -> pd.Series:
    summary = warehouse.to_pandas(
        rfm_summary_expr(warehouse.table("orders"), cutoff, amount_col=None)
    ).set_index("customer_id")
    if summary.empty or not (summary["frequency"] > 0).any():
        return pd.Series(np.nan, index=summary.index, dtype=float)
    try:
        model = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    except DataError:  # no maximum found: the feature is missing, the model copes
        return pd.Series(np.nan, index=summary.index, dtype=float)
    alive = model.probability_alive(summary["frequency"], summary["recency"], summary["T"])
    return pd.Series(alive, index=summary.index, dtype=float)
