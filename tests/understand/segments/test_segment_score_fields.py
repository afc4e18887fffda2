"""Segment rules on the stored scores: ``churn_risk`` (cxloop churn score), ``clv`` and
``probability_alive`` (cxloop clv score)."""

from __future__ import annotations

import pytest

from cxloop.storage import Warehouse
from cxloop.understand.segments import RuleError, check_rule
from cxloop.understand.segments.options import SegmentOptions
from segment_tables import AS_OF, add_shop
from understand.churn.churn_tables import add_churn_score


@pytest.fixture
def scored(warehouse: Warehouse) -> Warehouse:
    add_shop(warehouse)
    warehouse.append_rows(
        "customer_clv",
        [{"customer_id": c, "model_id": "clv_test", "clv": v, "probability_alive": p}
         for c, v, p in (("c1", 900.0, 0.95), ("c2", 650.0, 0.40), ("c4", 120.0, 0.70))],
    )  # fmt: skip
    add_churn_score(warehouse, "c2", 0.81, [])
    warehouse.append_rows("customer_churn", [
        {"customer_id": "c1", "model_id": "churn_test", "risk": 0.12},
        {"customer_id": "c4", "model_id": "churn_test", "risk": 0.66},
    ])  # fmt: skip
    return warehouse


def members(wh: Warehouse, rule: str) -> list[str]:
    expr = check_rule(rule).members(wh.table, SegmentOptions(AS_OF))
    return sorted(wh.to_pandas(expr)["customer_id"])


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("churn_risk >= 0.5 and clv >= 500", ["c2"]),
        ("churn_risk >= 0.5", ["c2", "c4"]),
        ("churn_risk < 0.5", ["c1"]),  # c3, c5, c6 were not scored: null matches nothing
        ("churn_risk is null", ["c3", "c5", "c6"]),
        ("clv >= 500 or probability_alive < 0.5", ["c1", "c2"]),
        ("churn_risk > 0.5 and nps <= 6", ["c2"]),
    ],
)
def test_score_fields(scored: Warehouse, rule: str, expected: list[str]) -> None:
    assert members(scored, rule) == expected


def test_score_fields_are_numbers(scored: Warehouse) -> None:
    with pytest.raises(RuleError):
        check_rule('churn_risk == "high"')
