"""The per-customer analysis table, worked out by hand on four customers."""

from __future__ import annotations

import math

import pytest

from cxloop.storage import Warehouse
from cxloop.understand.drivers.table import analysis_table, available_drivers, imputed
from driver_tables import seed_hand_company


@pytest.fixture
def hand(warehouse: Warehouse) -> Warehouse:
    seed_hand_company(warehouse)
    return warehouse


def rows(hand: Warehouse, outcome: str) -> dict[str, dict[str, float]]:
    drivers = available_drivers(hand)
    frame = analysis_table(hand, outcome, drivers).frame
    return {r.pop("customer_id"): r for r in frame.to_dict("records")}


def test_the_drivers_the_warehouse_can_give(hand: Warehouse) -> None:
    drivers = available_drivers(hand)
    assert list(drivers) == [
        "rating:brand.value",
        "theme:billing",
        "theme:delivery",
        "theme:price",
        "touchpoint:delivery",
        "touchpoint:store",
    ]  # fmt: skip  (the employee survey's rating is not a customer driver)
    assert drivers["rating:brand.value"].label == "Value for money"
    # f10 (no customer) still counts as a mention of billing for the theme's performance
    assert (drivers["theme:billing"].theme_mentions, drivers["theme:billing"].theme_negative) == (
        2, 2,
    )  # fmt: skip


def test_nps_per_customer_by_hand(hand: Warehouse) -> None:
    table = rows(hand, "nps")
    assert set(table) == {"a", "b", "d"}  # c gave no NPS; f10 has no customer
    a, b, d = table["a"], table["b"], table["d"]
    assert a["outcome"] == 8.0 and b["outcome"] == 3.0 and d["outcome"] == 10.0
    assert a["touchpoint:delivery"] == 3.0 and b["touchpoint:delivery"] == 5.0
    assert math.isnan(a["touchpoint:store"]) and b["touchpoint:store"] == 1.0
    assert (a["theme:billing"], a["theme:delivery"], a["theme:price"]) == (1.0, 1.0, 0.0)
    assert (b["theme:billing"], b["theme:price"]) == (0.0, 1.0)
    assert (d["theme:billing"], d["theme:price"]) == (0.0, 0.0)  # no feedback analysed: 0
    assert a["rating:brand.value"] == 4.0 and b["rating:brand.value"] == 2.0  # partial: never
    assert math.isnan(d["rating:brand.value"])


def test_churn_per_customer_by_hand(hand: Warehouse) -> None:
    table = rows(hand, "churn")
    # the latest order is d's (now); cut-off 180 days before it. c and d started after it.
    assert {k: v["outcome"] for k, v in table.items()} == {"a": 0.0, "b": 1.0}


def test_csat_outcome_and_mean_imputation(hand: Warehouse) -> None:
    drivers = available_drivers(hand)
    table = analysis_table(hand, "csat", drivers)
    assert dict(zip(table.frame["customer_id"], table.frame["outcome"], strict=True)) == {
        "a": 3.0, "b": 3.0, "c": 4.0,
    }  # fmt: skip
    filled = imputed(table.frame, ["touchpoint:delivery", "touchpoint:store"])
    assert filled[:, 0].tolist() == [3.0, 5.0, 4.0]  # c: the mean of a and b
    assert filled[:, 1].tolist() == [2.5, 1.0, 4.0]
