"""The churn model, its validation figures, reasons and model files, on small synthetic
frames where the truth is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxloop.errors import DataError
from cxloop.understand.churn.model import ChurnModel
from cxloop.understand.churn.model_files import load_model, save_model
from cxloop.understand.churn.reasons import (
    reason_impacts,
    reason_text,
    reference_values,
    top_reasons,
)
from cxloop.understand.churn.validation import churn_metrics, group_importance, reliability_table

FEATURES = ["days_since_last_order", "orders_365d", "nps_last", "nps_mean", "detractor", "ces_last"]


def frame(n: int = 1_500, seed: int = 0) -> pd.DataFrame:
    """Churn driven by recency and a low NPS; a third answered NPS; nobody was asked CES."""
    rng = np.random.default_rng(seed)
    days = rng.uniform(0, 360, n)
    nps = np.where(rng.random(n) < 0.35, rng.integers(0, 11, n), np.nan)
    logit = -1.5 + days / 90 + np.where(np.isnan(nps), 0, (6 - nps) * 0.5)
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({
        "days_since_last_order": days, "orders_365d": rng.poisson(2, n).astype(float),
        "nps_last": nps, "nps_mean": nps, "detractor": np.where(np.isnan(nps), np.nan, nps <= 6),
        "ces_last": np.nan, "churned": churned,
    }, index=[f"c{k}" for k in range(n)])  # fmt: skip


@pytest.fixture(scope="module")
def fitted() -> tuple[ChurnModel, pd.DataFrame]:
    train = frame()
    return ChurnModel(FEATURES).fit(train, train["churned"]), train


def test_fit_is_reproducible_and_skips_features_nobody_has(fitted) -> None:
    model, train = fitted
    again = ChurnModel(FEATURES).fit(train, train["churned"])
    valid = frame(seed=1)
    assert np.array_equal(model.predict_risk(valid), again.predict_risk(valid))
    assert "ces_last" not in model.columns_ and model.rows_ == len(train)


def test_beats_recency_alone_and_is_calibrated_on_new_rows(fitted) -> None:
    model, train = fitted
    valid = frame(seed=1)
    recency = ChurnModel(["days_since_last_order"]).fit(train, train["churned"])
    full = churn_metrics(valid["churned"], model.predict_risk(valid))
    base = churn_metrics(valid["churned"], recency.predict_risk(valid))
    assert full.auc > base.auc + 0.02 and full.brier < base.brier
    bins = reliability_table(valid["churned"], model.predict_risk(valid))
    assert [b.decile for b in bins] == list(range(1, 11))
    assert sum(b.customers for b in bins) == len(valid)
    assert max(abs(b.predicted - b.observed) for b in bins) < 0.12
    drops = group_importance(model, valid, {"nps": ["nps_last", "nps_mean", "detractor"],
                                            "orders": ["orders_365d"]})  # fmt: skip
    assert drops["nps"] > 0.01 and abs(drops["orders"]) < 0.01


def test_reasons_name_what_raises_the_risk(fitted) -> None:
    model, train = fitted
    reference = reference_values(train, FEATURES)
    assert "ces_last" not in reference  # nobody has a value
    people = pd.DataFrame({
        "days_since_last_order": [300.0, 10.0, 10.0], "orders_365d": [2.0, 2.0, 2.0],
        "nps_last": [np.nan, 1.0, 10.0], "nps_mean": [np.nan, 1.0, 10.0],
        "detractor": [np.nan, 1.0, 0.0], "ces_last": [np.nan] * 3,
    }, index=["lapsing", "unhappy", "happy"])  # fmt: skip
    impacts = reason_impacts(model, people, reference)
    assert np.isnan(impacts.loc["lapsing", "nps"])  # no NPS answered: no NPS reason
    reasons = dict(zip(people.index, top_reasons(people, impacts), strict=True))
    assert reasons["lapsing"][0].text == "no order for 300 days"
    assert reasons["lapsing"][0].numbers == {"days": 300.0}  # for the page's translations
    assert reasons["unhappy"][0].text == "last NPS 1"
    assert all(r.feature != "nps" for r in reasons["happy"])
    assert all(r.impact >= 0.01 for found in reasons.values() for r in found)


def test_too_few_churners_is_a_data_error() -> None:
    few = frame(200)
    few["churned"] = 0
    few.iloc[:10, few.columns.get_loc("churned")] = 1
    with pytest.raises(DataError, match="10 churned and 190 stayed"):
        ChurnModel(FEATURES).fit(few, few["churned"])
    with pytest.raises(DataError, match="customers who churned and customers who stayed"):
        churn_metrics([1, 1, 1], np.array([0.2, 0.5, 0.9]))


@pytest.mark.parametrize(
    ("group", "row", "text"),
    [
        ("frequency", {"orders_30d": 0, "orders_90d": 1, "orders_365d": 3},
         "1 order in the last 90 days"),
        ("frequency", {"orders_30d": 0, "orders_90d": 0, "orders_365d": 0},
         "no order in the last 365 days"),
        ("revenue", {"revenue_365d": 1234.5}, "revenue of 1,234.50 in the last 365 days"),
        ("tenure", {"tenure_days": 45.7}, "first order 45 days ago"),
        ("activity", {"events_30d": 0, "events_90d": 4},
         "no visits or other events in the last 30 days"),
        ("activity", {"events_30d": 2, "events_90d": 4}, "4 events in the last 90 days"),
        ("csat", {"csat_last": np.nan, "csat_mean": 2.25}, "mean CSAT 2.2"),
        ("ces", {"ces_last": 2.0, "ces_mean": 3.0}, "last CES 2"),
        ("responses", {"responses": 1}, "1 piece of feedback"),
        ("negative", {"negative_share": 0.6}, "60% of comments negative"),
        ("delivery", {"theme_delivery": 2}, "2 comments about delivery"),
        ("billing", {"theme_billing": 1}, "1 comment about billing"),
        ("alive", {"probability_alive": 0.35}, "probability still active 35%"),
    ],
)  # fmt: skip
def test_reason_phrases(group: str, row: dict, text: str) -> None:
    assert reason_text(group, pd.Series(row, dtype=float)) == text


def test_model_files_round_trip_and_refuse_a_changed_file(tmp_path: Path, fitted) -> None:
    model, train = fitted
    relative, digest = save_model(tmp_path, "churn_x", model)
    assert relative == "models/churn/churn_x.joblib"
    loaded = load_model(tmp_path, relative, digest)
    assert np.array_equal(loaded.predict_risk(train), model.predict_risk(train))
    (tmp_path / relative).write_bytes((tmp_path / relative).read_bytes()[:-1] + b"\0")
    with pytest.raises(DataError, match="has changed since it was fitted"):
        load_model(tmp_path, relative, digest)
    with pytest.raises(DataError, match="is not in models/churn/"):
        load_model(tmp_path, "../elsewhere.joblib", digest)
    with pytest.raises(DataError, match="is missing"):
        load_model(tmp_path, "models/churn/nope.joblib", digest)
