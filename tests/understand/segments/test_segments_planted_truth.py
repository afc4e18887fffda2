"""On the demo company, RFM, lifecycle and ladder recover what the generator planted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxloop.config import Settings
from cxloop.demo.loading import DemoResult
from cxloop.project import open_project_warehouse
from cxloop.understand.segments import (
    ladder_rungs,
    lifecycle_stages,
    reference_moment,
    rfm_scores,
)
from cxloop.understand.segments.options import SegmentOptions
from demo_warehouses import PLANTED, DemoWarehouses

pytestmark = PLANTED.mark


@pytest.fixture(scope="module")
def demo(
    demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest
) -> tuple[Settings, DemoResult]:
    shared = demo_warehouses.get(PLANTED, request)
    return shared.settings, shared.result


@pytest.fixture(scope="module")
def frames(demo: tuple[Settings, DemoResult]) -> dict[str, pd.DataFrame]:
    """Ladder, lifecycle and RFM per customer, each with the customer's true person."""
    settings, result = demo
    truth = Path(result.ground_truth)
    clusters = pd.read_csv(truth / "duplicate_clusters.csv")
    people = pd.read_csv(truth / "people.csv")[["person_id", "satisfaction_final", "orders"]]
    churn = pd.read_csv(truth / "churn.csv")[["person_id", "churned"]]
    with open_project_warehouse(settings, read_only=True) as wh:
        ids = wh.to_pandas(wh.table("identities").select("source", "source_id", "customer_id"))
        options = SegmentOptions.from_settings(settings, reference_moment(wh, None))
        out = {
            "ladder": wh.to_pandas(ladder_rungs(wh.table, options)),
            "lifecycle": wh.to_pandas(lifecycle_stages(wh.table, options)),
            "rfm": wh.to_pandas(rfm_scores(wh.table, options.as_of)),
        }
    person = ids.merge(clusters, on=["source", "source_id"]).groupby("customer_id")["person_id"]
    person_of = person.agg(lambda p: p.mode()[0]).reset_index()
    return {
        name: frame.merge(person_of, on="customer_id").merge(people, on="person_id")
        .merge(churn, on="person_id")
        for name, frame in out.items()
    }  # fmt: skip


def test_referrers_on_the_top_rung_are_the_planted_happy_repeat_buyers(
    demo: tuple[Settings, DemoResult], frames: dict[str, pd.DataFrame]
) -> None:
    referrals = pd.read_csv(Path(demo[1].ground_truth) / "referrals.csv")
    happy = set(referrals.loc[referrals["planted"] == "happy_repeat", "person_id"])
    ladder = frames["ladder"]
    referring = ladder[(ladder["ladder"] == "advocate") & (ladder["referrals"] > 0)]
    assert len(referring) >= 30
    # planted: 84 % of referrals come from happy repeat buyers (0.4 vs 0.01 per person)
    assert referring["person_id"].isin(happy).mean() >= 0.7
    assert (ladder.loc[ladder["referrals"] > 0, "ladder"].isin(["advocate", "detractor"])).all()


def test_true_satisfaction_rises_up_the_ladder(frames: dict[str, pd.DataFrame]) -> None:
    mean = frames["ladder"].groupby("ladder")["satisfaction_final"].mean()
    assert mean["detractor"] < mean["satisfied"] and mean["detractor"] < mean["loyal"]
    assert mean["advocate"] > max(mean["satisfied"], mean["loyal"]) + 0.3


def test_lapsed_customers_are_the_planted_churners(frames: dict[str, pd.DataFrame]) -> None:
    churned = frames["lifecycle"].groupby("lifecycle")["churned"].mean()
    assert churned["lapsed"] > 3 * churned["active"]
    assert churned["lapsed"] > churned["at_risk"] > churned["active"]


def test_rfm_champions_bought_most_and_hibernating_least(frames: dict[str, pd.DataFrame]) -> None:
    orders = frames["rfm"].groupby("rfm")["orders"].mean()
    assert orders["champions"] > 2 * orders["potential_loyalists"]
    assert orders["hibernating"] < 2 and orders["champions"] > 5


def test_the_demo_ships_segments_and_refreshes_them(
    demo: tuple[Settings, DemoResult], demo_warehouses: DemoWarehouses
) -> None:
    result = demo[1]
    assert result.segments is not None
    assert set(result.segments) == {
        "advocates", "billing_complaints", "champions_slipping", "referrers",
        "unhappy_repeat_buyers", "win_back",
    }  # fmt: skip
    assert all(result.segments[s] > 0 for s in ("advocates", "referrers", "billing_complaints"))
    settings, again = demo_warehouses.rerun(PLANTED)  # run_demo over a copy, once more
    assert again.segments == result.segments
    with open_project_warehouse(settings) as wh:
        log = wh.to_pandas(wh.table("segment_members"))
    assert (log["change"] == "entered").sum() == sum(result.segments.values())
