"""``cxloop churn fit``: validate a churn model out of time, fit the final one on the latest
labels, and store it.

With the last day of data ``A`` (``as_of``) and the horizon ``h``:

- **validation**: train on cutoffs up to ``T1 = A − 2h`` (labels end by ``A − h``), validate on
  ``T2 = A − h`` (labels ``(A − h, A]``): out of time, ``T2 ≥ T1 + h``. The figures are AUC,
  Brier score and a reliability table, next to a recency-only baseline on the same rows.
- **final model**: the same settings trained on cutoffs up to ``T2`` (the latest labels there
  are), so ``cxloop churn score`` can score the customers at ``A``.

Each training set stacks :data:`TRAIN_SNAPSHOTS` cutoffs 30 days apart (a customer appears once
per cutoff), which gives the booster more rows without letting any label pass ``T1 + h``.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cxloop.domain.churn import ChurnFitReport
from cxloop.errors import DataError, UsageError
from cxloop.storage import Warehouse
from cxloop.understand.churn.features import (
    DEFAULT_ACTIVE_DAYS,
    DEFAULT_HORIZON_DAYS,
    FEATURES,
    cutoff_moment,
    purchases,
)
from cxloop.understand.churn.model import ChurnModel
from cxloop.understand.churn.model_files import save_model
from cxloop.understand.churn.reasons import reference_values
from cxloop.understand.churn.snapshots import last_purchase_day, stacked_snapshots
from cxloop.understand.churn.validation import validate_out_of_time
from cxloop.understand.segments.behaviour import moment

#: labelled cutoffs stacked in each training set
TRAIN_SNAPSHOTS = 3
SNAPSHOT_SPACING_DAYS = 30
MAX_HORIZON_DAYS = 730


def check_churn_options(horizon_days: int, active_days: int) -> None:
    """Raise :class:`UsageError` naming the parameter when one is out of range."""
    if not 7 <= horizon_days <= MAX_HORIZON_DAYS:
        raise UsageError(f"--horizon-days {horizon_days}: use 7 to {MAX_HORIZON_DAYS} days")
    if not 30 <= active_days <= 3_650:
        raise UsageError(f"--active-days {active_days}: use 30 to 3,650 days")


def fit_churn(
    warehouse: Warehouse,
    project: Path,
    *,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    as_of: date | None = None,
    active_days: int = DEFAULT_ACTIVE_DAYS,
    random_state: int = 0,
) -> ChurnFitReport:
    """Validate, fit and store a churn model (a row of ``churn_models`` and its file).

    Parameters
    ----------
    warehouse
        After ``cxloop resolve`` (orders carry ``customer_id``).
    project
        The project directory; the model is written under ``models/churn/`` in it.
    horizon_days
        Churn means no purchase within this many days after the cutoff.
    as_of
        The last day of data to use (default: the last purchase's day).
    active_days
        Customers count (are scored, and trained on) when they bought in this many days up
        to the cutoff.
    random_state
        Seed of the booster.

    Raises
    ------
    UsageError
        A parameter out of range.
    DataError
        No purchases, too little history for two cutoffs, or too few churners to fit.
    """
    check_churn_options(horizon_days, active_days)
    began = time.perf_counter()
    end = as_of or last_purchase_day(warehouse)
    if end is None:
        raise DataError("no purchases of resolved customers: import orders and run cxloop resolve")
    valid_cutoff = end - timedelta(days=horizon_days)
    train_cutoff = valid_cutoff - timedelta(days=horizon_days)
    if first_purchase_day_before(warehouse, train_cutoff) is None:
        raise DataError(
            f"churn fit needs purchases before {train_cutoff} (as of {end} minus twice the "
            f"{horizon_days}-day horizon): the history is too short; try a shorter --horizon-days"
        )
    features = list(FEATURES)
    stack = {"snapshots": TRAIN_SNAPSHOTS, "spacing_days": SNAPSHOT_SPACING_DAYS,
             "active_days": active_days}  # fmt: skip
    train = stacked_snapshots(warehouse, train_cutoff, horizon_days, **stack)  # type: ignore[arg-type]
    latest = stacked_snapshots(warehouse, valid_cutoff, horizon_days, **stack)  # type: ignore[arg-type]
    valid = latest[latest["cutoff"] == latest["cutoff"].max()]
    validation, _ = validate_out_of_time(
        train, valid, features, train_cutoff=train_cutoff, validation_cutoff=valid_cutoff,
        random_state=random_state,
    )  # fmt: skip
    model = ChurnModel(features, random_state=random_state).fit(latest, latest["churned"])
    reference = reference_values(latest, features)
    fitted_at = datetime.now(UTC)
    model_id = f"churn_{fitted_at:%Y%m%d%H%M%S}_{uuid.uuid4().hex[:8]}"
    model_file, digest = save_model(project, model_id, model)
    report = ChurnFitReport(
        model_id=model_id,
        fitted_at=fitted_at,
        as_of=end,
        horizon_days=horizon_days,
        active_days=active_days,
        train_cutoffs=sorted({c.date() for c in latest["cutoff"]}),
        train_rows=len(latest),
        churn_rate=round(float(latest["churned"].mean()), 4),
        features=features,
        validation=validation,
        fit_seconds=round(time.perf_counter() - began, 3),
        model_file=model_file,
    )
    warehouse.append_rows(
        "churn_models",
        [
            {
                "model_id": model_id,
                "fitted_at": fitted_at,
                "as_of": end,
                "horizon_days": horizon_days,
                "active_days": active_days,
                "train_rows": report.train_rows,
                "churn_rate": report.churn_rate,
                "features": json.dumps(features),
                "reference": json.dumps(reference),
                "validation": validation.model_dump_json(),
                "fit_seconds": report.fit_seconds,
                "model_file": model_file,
                "model_sha256": digest,
            }
        ],
    )
    return report


def first_purchase_day_before(warehouse: Warehouse, day: date) -> date | None:
    """The day of the first purchase, when one falls on or before ``day``; else None."""
    o = purchases(warehouse.table)
    o = o.filter(o.ts < moment(cutoff_moment(day)))
    found = warehouse.to_pandas(o.aggregate(first=o.ts.min()))["first"]
    if found.empty or found.isna().iloc[0]:
        return None
    return found.iloc[0].date()  # type: ignore[no-any-return]
