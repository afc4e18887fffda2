"""Churn risk on the demo company: it beats recency alone out of time, is calibrated, and
recovers the planted drivers (churn = logistic(−4.2 − 1.5·S), satisfaction S moved by service
failures at the moments of truth, demo/causal.py equations 5–8)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxloop.config import Settings
from cxloop.demo.loading import DemoResult
from cxloop.project import open_project_warehouse
from cxloop.understand.churn.features import FEATURES, FEEDBACK_GROUPS
from cxloop.understand.churn.fitting import TRAIN_SNAPSHOTS
from cxloop.understand.churn.model import ChurnModel
from cxloop.understand.churn.snapshots import labelled_snapshot, stacked_snapshots
from cxloop.understand.churn.validation import group_importance
from demo_warehouses import CHURN, DemoWarehouses

pytestmark = [pytest.mark.slow, CHURN.mark]


@pytest.fixture(scope="module")
def demo(
    demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest
) -> tuple[Settings, DemoResult]:
    shared = demo_warehouses.get(CHURN, request)
    settings, result = shared.settings, shared.result
    assert result.churn is not None and result.churn_scores is not None, result.churn_skipped
    return settings, result


def test_beats_recency_alone_out_of_time(demo: tuple[Settings, DemoResult]) -> None:
    fit = demo[1].churn
    assert fit is not None
    v = fit.validation
    assert v.validation_cutoff >= v.train_cutoff + timedelta(days=fit.horizon_days)
    assert v.model.auc > v.recency_baseline.auc + 0.02
    assert v.model.brier < v.recency_baseline.brier


def test_is_calibrated_on_the_later_cutoff(demo: tuple[Settings, DemoResult]) -> None:
    """The check: over the deciles of predicted risk on the validation cutoff, the mean
    prediction is within 5 points of the churn rate, no decile is off by 15 points or more, and
    the observed rate climbs from the lowest decile to the highest."""
    fit = demo[1].churn
    assert fit is not None
    bins = fit.validation.reliability
    n = sum(b.customers for b in bins)
    predicted = sum(b.predicted * b.customers for b in bins) / n
    observed = sum(b.observed * b.customers for b in bins) / n
    assert abs(predicted - observed) < 0.05
    assert fit.validation.max_calibration_gap < 0.15
    assert bins[-1].observed > bins[0].observed + 0.3


def test_satisfaction_features_carry_importance_beyond_recency(
    demo: tuple[Settings, DemoResult],
) -> None:
    """Shuffling the feedback features (NPS, CSAT, CES, negative comments, delivery and billing
    themes) together costs AUC on the later cutoff; shuffling a noise column does not."""
    settings, result = demo
    fit = result.churn
    assert fit is not None
    v = fit.validation
    with open_project_warehouse(settings, read_only=True) as wh:
        train = stacked_snapshots(wh, v.train_cutoff, fit.horizon_days, snapshots=TRAIN_SNAPSHOTS)
        valid = labelled_snapshot(wh, v.validation_cutoff, fit.horizon_days)
    rng = np.random.default_rng(0)
    train["noise"] = rng.normal(size=len(train))
    valid["noise"] = rng.normal(size=len(valid))
    model = ChurnModel([*FEATURES, "noise"]).fit(train, train["churned"])
    feedback = [name for name, spec in FEATURES.items() if spec.group in FEEDBACK_GROUPS]
    drops = group_importance(model, valid, {"feedback": feedback, "noise": ["noise"]}, repeats=10)
    assert drops["feedback"] > 0.002
    assert drops["feedback"] > drops["noise"] + 0.002
    # the fit reports the same kind of figure per group, satisfaction groups among them
    assert sum(v.importance[g] for g in FEEDBACK_GROUPS if g in v.importance) > 0


def test_customers_who_truly_left_score_higher(demo: tuple[Settings, DemoResult]) -> None:
    settings, result = demo
    truth = Path(result.ground_truth)
    clusters = pd.read_csv(truth / "duplicate_clusters.csv", dtype=str)
    churn = pd.read_csv(truth / "churn.csv", dtype=str)
    with open_project_warehouse(settings, read_only=True) as wh:
        scores = wh.to_pandas(wh.table("customer_churn"))
        ids = wh.to_pandas(wh.table("identities").select("source", "source_id", "customer_id"))
    person = ids.merge(clusters, on=["source", "source_id"]).groupby("customer_id")["person_id"]
    people = person.agg(lambda p: p.mode()[0]).reset_index().merge(churn, on="person_id")
    scored = scores.merge(people, on="customer_id")
    mean = scored.groupby("churned")["risk"].mean()
    assert len(scored) > 1_500
    assert mean["true"] > mean["false"] + 0.1
    assert result.churn_scores is not None and result.churn_scores.customers == len(scores)
