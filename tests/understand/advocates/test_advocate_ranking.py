"""The advocate score on a hand table: who counts as a promoter, each component, the
percentiles, the order, and CLV in place of revenue where it is scored."""

from __future__ import annotations

import pytest

from advocate_tables import AS_OF, add_promoters, ts
from cxloop.storage import Warehouse
from cxloop.understand.advocates import rank_advocates
from cxloop.understand.segments import SegmentOptions


@pytest.fixture
def shop(warehouse: Warehouse) -> Warehouse:
    add_promoters(warehouse)
    return warehouse


def test_only_promoters_in_the_window_are_ranked(shop: Warehouse) -> None:
    ranking = rank_advocates(shop, SegmentOptions(as_of=AS_OF))
    assert ranking.promoters == 3
    assert {a.customer_id for a in ranking.advocates} == {"cus_p1", "cus_p2", "cus_p3"}


def test_components_percentiles_and_score_match_the_hand_computation(shop: Warehouse) -> None:
    ranking = rank_advocates(shop, SegmentOptions(as_of=AS_OF))
    by_id = {a.customer_id: a for a in ranking.advocates}
    p1, p2, p3 = by_id["cus_p1"], by_id["cus_p2"], by_id["cus_p3"]
    assert (p1.orders, p1.feedback, p1.events, p1.referrals) == (3, 2, 1, 1)
    assert (p3.orders, p3.feedback, p3.events, p3.referrals) == (5, 1, 3, 0)
    assert (p1.value, p1.value_source, p1.currency) == (300.0, "revenue", "EUR")
    # percent ranks among 3 promoters are 0, 0.5 and 1; ties share the lower
    # orders, feedback, events: p1 0.5, 1, 0.5; p3 1, 0, 1; p2 0, 0, 0
    assert p1.engagement_percentile == pytest.approx(2 / 3)
    assert p3.engagement_percentile == pytest.approx(2 / 3)
    assert p2.engagement_percentile == 0.0
    assert (p1.referral_percentile, p3.referral_percentile) == (1.0, 0.0)
    assert (p1.value_percentile, p2.value_percentile, p3.value_percentile) == (0.5, 0.0, 1.0)
    # 100 × (2/3 + 1 + 0.5) / 3 and 100 × (2/3 + 0 + 1) / 3
    assert (p1.score, p2.score, p3.score) == (72.2, 0.0, 55.6)
    assert [a.customer_id for a in ranking.advocates] == ["cus_p1", "cus_p3", "cus_p2"]
    assert [a.rank for a in ranking.advocates] == [1, 2, 3]
    # the referral lifts p1 to the advocate rung of the ladder
    assert p1.ladder == "advocate"
    assert p1.name == "Person p1"


def test_clv_replaces_revenue_where_scored(shop: Warehouse) -> None:
    shop.append_rows(
        "customer_clv",
        [{"customer_id": "cus_p2", "model_id": "m1", "clv": 5000.0, "currency": "EUR"}],
    )
    ranking = rank_advocates(shop, SegmentOptions(as_of=AS_OF))
    by_id = {a.customer_id: a for a in ranking.advocates}
    assert (by_id["cus_p2"].value, by_id["cus_p2"].value_source) == (5000.0, "clv")
    assert by_id["cus_p3"].value_source == "revenue"
    # value percentiles now p1 0, p3 0.5, p2 1
    scores = (by_id["cus_p1"].score, by_id["cus_p2"].score, by_id["cus_p3"].score)
    assert scores == (55.6, 33.3, 38.9)
    assert [a.customer_id for a in ranking.advocates] == ["cus_p1", "cus_p3", "cus_p2"]


def test_equal_promoters_are_ranked_by_id(warehouse: Warehouse) -> None:
    ids = ("cus_b", "cus_a")
    warehouse.append_rows("customers", [{"customer_id": c, "language": "en"} for c in ids])
    warehouse.append_rows(
        "feedback",
        [{"feedback_id": f"f{c}", "customer_id": c, "ts": ts("2025-06-01"), "nps": 10}
         for c in ids],
    )  # fmt: skip
    tied = rank_advocates(warehouse, SegmentOptions(as_of=AS_OF))
    assert [(a.customer_id, a.score) for a in tied.advocates] == [("cus_a", 0.0), ("cus_b", 0.0)]


def test_limit_and_a_shorter_window(shop: Warehouse) -> None:
    assert [a.customer_id for a in rank_advocates(
        shop, SegmentOptions(as_of=AS_OF), limit=1).advocates] == ["cus_p1"]  # fmt: skip
    # over the last 60 days, p1's latest NPS (May) falls out; p2 and p3 answered in June
    recent = rank_advocates(shop, SegmentOptions(as_of=AS_OF, ladder_window_days=60))
    assert {a.customer_id for a in recent.advocates} == {"cus_p2", "cus_p3"}


def test_no_promoters_is_an_empty_ranking(warehouse: Warehouse) -> None:
    ranking = rank_advocates(warehouse, SegmentOptions(as_of=AS_OF))
    assert (ranking.promoters, ranking.advocates) == (0, [])
