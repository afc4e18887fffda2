"""CLV on the demo company, checked against its future: fit on 2025, predict the first half of
2026 (the holdout, as Fader, Hardie & Lee do), and compare with what customers then did and
with the planted churn of the ground truth."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from scipy.stats import spearmanr

from cxloop.project import open_project_warehouse
from cxloop.understand.clv.scoring import score_clv
from demo_warehouses import CLV, DemoWarehouses

pytestmark = [pytest.mark.slow, CLV.mark]
CALIBRATION_END = date(2025, 12, 31)
HOLDOUT_START = pd.Timestamp("2026-01-01", tz="UTC")  # the demo's orders end on 2026-06-30


@pytest.fixture(scope="module")
def holdout(
    demo_warehouses: DemoWarehouses,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, pd.DataFrame]:
    shared = demo_warehouses.get(CLV, request)
    settings = shared.copy(tmp_path_factory.mktemp("clv-demo") / "demo")  # scoring writes
    with open_project_warehouse(settings) as wh:
        score_clv(wh, calibration_end=CALIBRATION_END, horizon_months=6, time_unit="W")
        scores = wh.to_pandas(wh.table("customer_clv")).set_index("customer_id")
        orders = wh.to_pandas(wh.table("orders"))
        identities = wh.to_pandas(wh.table("identities"))
    later = orders[(orders["ts"] >= HOLDOUT_START) & (orders["status"] != "returned")].copy()
    later["day"] = later["ts"].dt.floor("D")
    by_customer = later.groupby("customer_id")
    scores["actual_purchases"] = by_customer["day"].nunique().reindex(scores.index, fill_value=0)
    scores["actual_revenue"] = by_customer["amount"].sum().reindex(scores.index, fill_value=0.0)
    truth = shared.ground_truth
    clusters = pd.read_csv(truth / "duplicate_clusters.csv", dtype=str)
    churn = pd.read_csv(truth / "churn.csv", dtype=str)
    people = (
        clusters.merge(
            identities[["source", "source_id", "customer_id"]], on=["source", "source_id"]
        )
        .drop_duplicates("customer_id")
        .merge(churn, on="person_id")
        .set_index("customer_id")
    )
    return {"scores": scores, "people": people}


def test_holdout_purchases_match_in_total_and_by_frequency(holdout) -> None:
    scores = holdout["scores"]
    predicted, actual = scores["expected_purchases"], scores["actual_purchases"]
    assert predicted.sum() == pytest.approx(actual.sum(), rel=0.2)
    # Fader, Hardie & Lee's figure 4: mean holdout purchases by calibration frequency
    group = scores["frequency"].clip(upper=7)
    means = pd.DataFrame({"predicted": predicted.groupby(group).mean(),
                          "actual": actual.groupby(group).mean()})  # fmt: skip
    assert means["predicted"].is_monotonic_increasing
    assert (means["predicted"] - means["actual"]).abs().max() < 0.6
    assert means.corr().iloc[0, 1] > 0.9


def test_clv_ranks_customers_by_what_they_spent_next(holdout) -> None:
    scores = holdout["scores"]
    rho = spearmanr(scores["expected_purchases"], scores["actual_purchases"]).statistic
    assert rho > 0.25
    # within a currency (amounts are not comparable across them)
    for currency, rows in scores.groupby("currency"):
        assert spearmanr(rows["clv"], rows["actual_revenue"]).statistic > 0.15, currency
    quintile = scores.groupby("currency")["clv"].transform(
        lambda v: pd.qcut(v.rank(method="first"), 5, labels=False)
    )
    purchases = scores["actual_purchases"].groupby(quintile).mean()
    assert purchases[4] > 2 * purchases[0]


def test_planted_churn_lowers_probability_alive(holdout) -> None:
    scores, people = holdout["scores"], holdout["people"]
    people = people.reindex(scores.index).dropna(subset=["person_id"])
    churn_day = pd.to_datetime(people["churn_date"])
    left = (people["churned"].str.lower() == "true") & (churn_day <= pd.Timestamp(CALIBRATION_END))
    stayed = people["churned"].str.lower() == "false"
    alive = scores["probability_alive"].reindex(people.index)
    assert left.sum() > 50 and stayed.sum() > 300
    assert alive[left].mean() < alive[stayed].mean() - 0.03
    # and those who left bought (almost) nothing in the holdout, as P(alive) implies
    assert scores["actual_purchases"].reindex(people.index)[left].mean() < 0.2
