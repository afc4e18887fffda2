"""Churn features and labels on the segment tests' six hand-made customers (see
tests/segment_tables.py for what each one did)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cxloop.storage import Warehouse
from cxloop.understand.churn.features import WAREHOUSE_FEATURES, churn_features, churn_labels
from cxloop.understand.churn.snapshots import feature_snapshot, labelled_snapshot
from segment_tables import add_shop

CUTOFF = date(2025, 6, 30)  # features read everything before 2025-07-01 (segment_tables.AS_OF)


@pytest.fixture
def shop(warehouse: Warehouse) -> Warehouse:
    add_shop(warehouse)
    return warehouse


def features(wh: Warehouse, cutoff: date = CUTOFF, **kw: int) -> pd.DataFrame:
    return wh.to_pandas(churn_features(wh.table, cutoff, **kw)).set_index("customer_id")


def test_population_is_who_bought_in_the_active_window(shop: Warehouse) -> None:
    frame = features(shop)
    assert list(frame.columns) == list(WAREHOUSE_FEATURES)
    assert list(frame.index) == ["c1", "c2", "c3", "c4", "c5"]  # c6 never ordered
    assert list(features(shop, active_days=120).index) == ["c1", "c2", "c3", "c4"]  # c5: 300 days


def test_behaviour_windows_recency_and_tenure(shop: Warehouse) -> None:
    c1 = features(shop).loc["c1"]
    assert c1["days_since_last_order"] == pytest.approx(6.0)  # 2025-06-25 → 2025-07-01
    assert (c1["orders_30d"], c1["orders_90d"], c1["orders_365d"]) == (1, 3, 4)
    assert (c1["revenue_30d"], c1["revenue_90d"], c1["revenue_365d"]) == (200.0, 400.0, 500.0)
    assert c1["tenure_days"] == pytest.approx(122.0)  # first order 2025-03-01
    assert (c1["events_30d"], c1["events_365d"]) == (1, 1)
    assert features(shop).loc["c2", "days_since_last_order"] == pytest.approx(120.0)


def test_feedback_and_text_features(shop: Warehouse) -> None:
    frame = features(shop)
    c2 = frame.loc["c2"]  # NPS 9 then 3; one positive comment on delivery, one negative on billing
    assert (c2["nps_last"], c2["nps_mean"], c2["detractor"], c2["responses"]) == (3, 6, 1, 2)
    assert c2["negative_share"] == 0.5
    assert (c2["theme_delivery"], c2["theme_billing"]) == (1, 1)
    c3 = frame.loc["c3"]  # CSAT 4 only, its comment tagged "billing_x" (not billing)
    assert c3["csat_last"] == 4 and pd.isna(c3["nps_last"]) and pd.isna(c3["detractor"])
    assert c3["theme_billing"] == 0 and c3["negative_share"] == 1.0
    c5 = frame.loc["c5"]  # its only answer comes after the cutoff
    assert c5["responses"] == 0 and pd.isna(c5["nps_last"]) and pd.isna(c5["negative_share"])
    assert frame.loc["c1", "detractor"] == 0


def test_label_is_no_purchase_within_the_horizon(shop: Warehouse) -> None:
    labels = shop.to_pandas(churn_labels(shop.table, date(2025, 3, 31), 30))
    churned = labels.set_index("customer_id")["churned"].to_dict()
    # c1 buys on 2025-04-15; c2, c4, c5 not before May; c3 had not bought yet
    assert churned == {"c1": 0, "c2": 1, "c4": 1, "c5": 1}
    longer = shop.to_pandas(churn_labels(shop.table, date(2025, 3, 31), 70))
    assert longer.set_index("customer_id")["churned"]["c4"] == 0  # 2025-06-01 is day 62


def test_returned_orders_are_not_purchases(shop: Warehouse) -> None:
    shop.append_rows("orders", [{"order_id": "r1", "customer_id": "c2", "currency": "EUR",
                                 "ts": pd.Timestamp("2025-04-02", tz="UTC"), "amount": 5.0,
                                 "status": "returned"}])  # fmt: skip
    labels = shop.to_pandas(churn_labels(shop.table, date(2025, 3, 31), 30))
    assert labels.set_index("customer_id")["churned"]["c2"] == 1
    assert features(shop, date(2025, 4, 30)).loc["c2", "orders_30d"] == 0


def test_snapshots_add_probability_alive_and_the_label(shop: Warehouse) -> None:
    frame = feature_snapshot(shop, CUTOFF)
    assert frame["probability_alive"].between(0, 1).all()
    assert frame.loc["c3", "probability_alive"] == 1.0  # no repeat purchase yet
    labelled = labelled_snapshot(shop, date(2025, 3, 31), 30)
    # c4's only earlier order (2024-01-10) lies outside the 365 active days: not at risk
    assert labelled["churned"].to_dict() == {"c1": 0, "c2": 1, "c5": 1}
