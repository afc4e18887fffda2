"""Out-of-time validation of a churn model: AUC, Brier score and a reliability table, next to a
recency-only baseline fitted and scored on the same rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score

from cxloop.domain.churn import ChurnMetrics, ChurnValidation, ReliabilityBin
from cxloop.errors import DataError
from cxloop.understand.churn.model import ChurnModel
from cxloop.understand.churn.reasons import feature_groups

#: the baseline's only feature
RECENCY_FEATURE = "days_since_last_order"
#: deciles with fewer customers than this are left out of the calibration gap
MIN_BIN_CUSTOMERS = 20


def churn_metrics(churned: Sequence[int] | pd.Series, risk: np.ndarray) -> ChurnMetrics:
    """AUC and Brier score of ``risk`` against the 0/1 labels ``churned``."""
    y = np.asarray(churned, dtype=int)
    if len(np.unique(y)) < 2:
        raise DataError("validation needs customers who churned and customers who stayed")
    return ChurnMetrics(
        auc=round(float(roc_auc_score(y, risk)), 4),
        brier=round(float(brier_score_loss(y, risk)), 4),
        customers=len(y),
        churn_rate=round(float(y.mean()), 4),
    )


def reliability_table(churned: Sequence[int] | pd.Series, risk: np.ndarray) -> list[ReliabilityBin]:
    """Customers in ten equal groups by predicted risk: mean prediction vs share churned."""
    y = np.asarray(churned, dtype=float)
    order = np.argsort(risk, kind="stable")
    bins = []
    for k, rows in enumerate(np.array_split(order, 10), start=1):
        if len(rows) == 0:
            continue
        bins.append(
            ReliabilityBin(
                decile=k,
                customers=len(rows),
                predicted=round(float(risk[rows].mean()), 4),
                observed=round(float(y[rows].mean()), 4),
            )
        )
    return bins


def group_importance(
    model: ChurnModel,
    frame: pd.DataFrame,
    groups: dict[str, list[str]],
    *,
    repeats: int = 5,
    random_state: int = 0,
) -> dict[str, float]:
    """Permutation importance by group: the mean drop of AUC on ``frame`` when the columns of
    a group are shuffled together (the same row order for all of them), over ``repeats``
    seeded shuffles. Shuffling a group together keeps its columns consistent with each other
    (latest and mean NPS), so the drop is what the group adds beyond the other features."""
    y = frame["churned"].to_numpy(dtype=int)
    base = roc_auc_score(y, model.predict_risk(frame))
    out = {}
    for group, columns in groups.items():
        drops = []
        for r in range(repeats):
            order = np.random.default_rng(random_state + r).permutation(len(frame))
            shuffled = frame.copy()
            for column in columns:
                shuffled[column] = frame[column].to_numpy()[order]
            drops.append(base - roc_auc_score(y, model.predict_risk(shuffled)))
        out[group] = round(float(np.mean(drops)), 4)
    return out


def validate_out_of_time(
    train: pd.DataFrame,
    valid: pd.DataFrame,
    features: Sequence[str],
    *,
    train_cutoff: date,
    validation_cutoff: date,
    random_state: int = 0,
) -> tuple[ChurnValidation, ChurnModel]:
    """Fit on ``train`` (labels up to ``validation_cutoff``), score ``valid`` (a later
    cutoff), and compare with the recency-only baseline; return the figures and the model."""
    model = ChurnModel(features, random_state=random_state).fit(train, train["churned"])
    risk = model.predict_risk(valid)
    baseline = ChurnModel([RECENCY_FEATURE], random_state=random_state)
    baseline_risk = baseline.fit(train, train["churned"]).predict_risk(valid)
    bins = reliability_table(valid["churned"], risk)
    gaps = [abs(b.predicted - b.observed) for b in bins if b.customers >= MIN_BIN_CUSTOMERS]
    return (
        ChurnValidation(
            train_cutoff=train_cutoff,
            validation_cutoff=validation_cutoff,
            train_rows=len(train),
            model=churn_metrics(valid["churned"], risk),
            recency_baseline=churn_metrics(valid["churned"], baseline_risk),
            reliability=bins,
            max_calibration_gap=round(max(gaps), 4) if gaps else 0.0,
            importance=group_importance(
                model, valid, feature_groups(model.used_features), random_state=random_state
            ),
        ),
        model,
    )
