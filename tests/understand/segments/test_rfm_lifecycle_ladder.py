"""RFM scores, lifecycle stages and ladder rungs on a small hand-computed shop."""

from __future__ import annotations

import pytest

from cxloop.storage import Warehouse
from cxloop.understand.segments import ladder_rungs, lifecycle_stages, rfm_scores
from cxloop.understand.segments.options import SegmentOptions
from cxloop.understand.segments.rfm import RFM_SEGMENTS, rfm_segment_name
from segment_tables import AS_OF, add_shop, ts


@pytest.fixture
def shop(warehouse: Warehouse) -> Warehouse:
    add_shop(warehouse)
    return warehouse


def _by_customer(wh: Warehouse, expr, column: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    frame = wh.to_pandas(expr)
    return dict(zip(frame["customer_id"], frame[column], strict=True))


def test_rfm_scores_by_hand(shop: Warehouse) -> None:
    # last orders, oldest first: c5, c2, c4, c3, c1 → R 1..5; orders: c3, c5 one (F 1),
    # c2, c4 two (rank 3 of 5, percent rank 0.5 → F 3), c1 four (F 5); spend 15 < 40 < 50 <
    # 110 < 500 → M 1..5 in the order c3, c5, c2, c4, c1
    scores = _by_customer(shop, rfm_scores(shop.table, AS_OF), "rfm_score")
    assert scores == {"c5": "112", "c2": "233", "c4": "334", "c3": "411", "c1": "555"}
    named = _by_customer(shop, rfm_scores(shop.table, AS_OF), "rfm")
    assert named == {
        "c5": "hibernating", "c2": "at_risk", "c4": "need_attention", "c3": "promising",
        "c1": "champions",
    }  # fmt: skip
    recency = _by_customer(shop, rfm_scores(shop.table, AS_OF), "recency_days")
    assert recency["c1"] == pytest.approx(6.0) and recency["c5"] == pytest.approx(300.0)


def test_every_rf_cell_has_exactly_one_named_segment() -> None:
    for r in range(1, 6):
        for f in range(1, 6):
            owners = [name for name, rs, fs in RFM_SEGMENTS if r in rs and f in fs]
            assert owners == [rfm_segment_name(r, f)]


def test_monetary_is_ranked_within_a_currency(shop: Warehouse) -> None:
    shop.append_rows(
        "orders",
        [{"order_id": "y1", "customer_id": "c6", "ts": ts("2025-06-01"), "amount": 9000.0,
          "currency": "CNY"}],
    )  # fmt: skip
    m = _by_customer(shop, rfm_scores(shop.table, AS_OF), "m_score")
    assert m["c6"] == 1  # the only CNY customer: 9000 yuan does not outrank 500 euros
    assert m["c1"] == 5


def test_lifecycle_stages_by_hand(shop: Warehouse) -> None:
    stages = _by_customer(shop, lifecycle_stages(shop.table, SegmentOptions(AS_OF)), "lifecycle")
    assert stages == {
        "c1": "active", "c2": "at_risk", "c3": "new", "c4": "reactivated", "c5": "lapsed",
    }  # fmt: skip


def test_lifecycle_windows_come_from_the_options(shop: Warehouse) -> None:
    wide = SegmentOptions(AS_OF, lifecycle_active_days=150, lifecycle_lapsed_days=600)
    stages = _by_customer(shop, lifecycle_stages(shop.table, wide), "lifecycle")
    # c2's last order (120 days) is now active; c4's gap (508 days) no longer a lapse
    assert stages["c2"] == "active" and stages["c4"] == "active" and stages["c5"] == "at_risk"


def test_ladder_rungs_by_hand(shop: Warehouse) -> None:
    rungs = _by_customer(shop, ladder_rungs(shop.table, SegmentOptions(AS_OF)), "ladder")
    # c1 promoter with 4 orders; c2 latest NPS 3; c3 CSAT 4, no NPS; c4 NPS 8, one order in
    # the window; c6 a referral; c5's NPS 0 comes after as_of and its referral is too old
    assert rungs == {
        "c1": "advocate", "c2": "detractor", "c3": "satisfied", "c4": "satisfied",
        "c6": "advocate",
    }  # fmt: skip


def test_repeat_orders_make_loyal_and_the_referral_names_are_options(shop: Warehouse) -> None:
    options = SegmentOptions(AS_OF, ladder_window_days=600, referral_events=("Page Viewed",))
    rungs = _by_customer(shop, ladder_rungs(shop.table, options), "ladder")
    assert rungs["c4"] == "loyal"  # both orders in a 600-day window; NPS 8 is no promoter
    assert rungs["c6"] == "satisfied"  # "Referral Sent" no longer counts
    assert rungs["c1"] == "advocate"
