"""On the demo company, the top of the advocate ranking is enriched for the planted happy
repeat buyers who refer friends (ground_truth/referrals.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

from cxloop.project import open_project_warehouse
from cxloop.understand.advocates import rank_advocates
from cxloop.understand.segments import SegmentOptions, reference_moment
from demo_warehouses import PLANTED, DemoWarehouses

pytestmark = PLANTED.mark


@pytest.fixture(scope="module")
def ranked(demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest) -> pd.DataFrame:
    """Every promoter, best first, with ``happy``: the customer's true person made a planted
    happy-repeat referral."""
    shared = demo_warehouses.get(PLANTED, request)
    settings, truth = shared.settings, shared.ground_truth
    clusters = pd.read_csv(truth / "duplicate_clusters.csv")
    referrals = pd.read_csv(truth / "referrals.csv")
    happy = set(referrals.loc[referrals["planted"] == "happy_repeat", "person_id"])
    with open_project_warehouse(settings, read_only=True) as wh:
        ids = wh.to_pandas(wh.table("identities").select("source", "source_id", "customer_id"))
        options = SegmentOptions.from_settings(settings, reference_moment(wh, None))
        ranking = rank_advocates(wh, options)
    person = ids.merge(clusters, on=["source", "source_id"]).groupby("customer_id")["person_id"]
    person_of = person.agg(lambda p: p.mode()[0])
    frame = pd.DataFrame([a.model_dump() for a in ranking.advocates])
    frame["happy"] = frame["customer_id"].map(person_of).isin(happy)
    return frame


def test_the_top_is_enriched_for_planted_happy_referrers(ranked: pd.DataFrame) -> None:
    assert len(ranked) >= 80 and (ranked["latest_nps"] >= 9).all()
    base = ranked["happy"].mean()
    assert 0.05 < base < 0.5
    # measured: 20 % of the promoters, 60 % of the top 20, 44 % of the top 50
    assert ranked.head(20)["happy"].mean() >= 2.5 * base
    assert ranked.head(50)["happy"].mean() >= 1.8 * base
    # and the bottom half holds few of them
    assert ranked.tail(len(ranked) // 2)["happy"].mean() <= base / 2


def test_the_score_is_its_documented_parts(ranked: pd.DataFrame) -> None:
    parts = ranked[["engagement_percentile", "referral_percentile", "value_percentile"]]
    assert (parts.sum(axis=1) * 100 / 3).round(1).sub(ranked["score"]).abs().max() < 0.051
    assert ranked["score"].is_monotonic_decreasing
    assert set(ranked["value_source"]) <= {"clv", "revenue"}
