"""``cxloop churn score``: the latest fitted model's risk and reasons for every active customer,
written to ``customer_churn`` in one transaction (replacing the previous scores).

The features are read at the last purchase's day (or ``cutoff``), so a model fitted earlier
scores customers on what they have done since. Customers with no purchase in the model's
``active_days`` before the cutoff are not scored: they have already lapsed.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from cxloop.domain.churn import ChurnScoreReport
from cxloop.errors import DataError
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema
from cxloop.understand.churn.model_files import load_model
from cxloop.understand.churn.reasons import reason_impacts, top_reasons
from cxloop.understand.churn.snapshots import feature_snapshot, last_purchase_day

#: a risk at or above this counts as high in the report
HIGH_RISK = 0.5


def latest_churn_model(warehouse: Warehouse) -> dict[str, Any]:
    """The row of ``churn_models`` fitted last.

    Raises
    ------
    DataError
        When no model has been fitted.
    """
    models = warehouse.table("churn_models")
    rows = warehouse.to_pyarrow(models.order_by(models.fitted_at.desc()).limit(1)).to_pylist()
    if not rows:
        raise DataError("no churn model fitted yet: run cxloop churn fit")
    return rows[0]


def score_churn(
    warehouse: Warehouse, project: Path, *, cutoff: date | None = None
) -> ChurnScoreReport:
    """Score every active customer with the latest model; write ``customer_churn``.

    Parameters
    ----------
    warehouse
        With a model from :func:`cxloop.understand.churn.fitting.fit_churn`.
    project
        The project directory that holds the model file.
    cutoff
        Read the data up to the end of this day (default: the last purchase's day).

    Raises
    ------
    DataError
        No model, a model file missing or changed, or no purchases.
    """
    began = time.perf_counter()
    row = latest_churn_model(warehouse)
    model = load_model(project, row["model_file"], row["model_sha256"])
    reference = {k: float(v) for k, v in json.loads(row["reference"]).items()}
    day = cutoff or last_purchase_day(warehouse)
    if day is None:
        raise DataError("no purchases of resolved customers: import orders and run cxloop resolve")
    frame = feature_snapshot(warehouse, day, active_days=int(row["active_days"]))
    risk = model.predict_risk(frame)
    reasons = top_reasons(frame, reason_impacts(model, frame, reference))
    scored_at = datetime.now(UTC)
    n = len(frame)
    rows = pa.table(
        {
            "customer_id": pa.array(frame.index.to_list(), pa.string()),
            "model_id": pa.array([row["model_id"]] * n, pa.string()),
            "scored_at": pa.array([scored_at] * n, pa.timestamp("us", tz="UTC")),
            "cutoff": pa.array([day] * n, pa.date32()),
            "risk": pa.array(np.round(risk, 6), pa.float64()),
            "reasons": pa.array(
                [json.dumps([r.model_dump() for r in found]) for found in reasons], pa.string()
            ),
        }
    )
    rows = rows.cast(arrow_schema("customer_churn", rows.column_names))
    with warehouse.transaction():
        table = warehouse.table("customer_churn")
        old = warehouse.to_pandas(table.select("model_id").distinct())["model_id"].tolist()
        if old:
            warehouse.delete("customer_churn", "model_id", [str(m) for m in old])
        warehouse.append("customer_churn", rows, keys_known_new=True)
    return ChurnScoreReport(
        model_id=row["model_id"],
        scored_at=scored_at,
        cutoff=day,
        customers=n,
        mean_risk=round(float(risk.mean()), 4) if n else 0.0,
        high_risk=int((risk >= HIGH_RISK).sum()),
        seconds=round(time.perf_counter() - began, 3),
    )
