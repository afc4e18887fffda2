"""Rules compiled into Ibis give the customers a hand computation gives."""

from __future__ import annotations

import pytest

from cxloop.storage import Warehouse
from cxloop.understand.segments import RuleError, check_rule
from cxloop.understand.segments.options import SegmentOptions
from segment_tables import AS_OF, add_shop


@pytest.fixture
def shop(warehouse: Warehouse) -> Warehouse:
    add_shop(warehouse)
    return warehouse


def members(wh: Warehouse, rule: str) -> list[str]:
    expr = check_rule(rule).members(wh.table, SegmentOptions(AS_OF))
    return sorted(wh.to_pandas(expr)["customer_id"])


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ('language in ["es", "zh"]', ["c2", "c3", "c4", "c6"]),
        ('country not in ["CN"]', ["c1", "c2", "c4", "c5"]),
        ("nps <= 6 and orders_365d >= 2", ["c2"]),
        ("nps >= 9 or csat >= 4", ["c1", "c3"]),
        ("not nps <= 6", ["c1", "c3", "c4", "c5", "c6"]),  # no NPS: not a detractor
        ("nps is null", ["c3", "c5"]),
        ("nps_mean < 7 and feedback_count == 2", ["c2"]),
        ("orders_total == 0", ["c6"]),
        ("revenue_90d >= 300", ["c1"]),
        ("orders(365) >= 2", ["c1", "c2"]),
        ("days_since_last_order > 100", ["c2", "c5"]),
        ('first_seen < "2024-01-01"', ["c4"]),
        ('events("referral sent") >= 1', ["c5", "c6"]),
        ('events("Referral Sent", 365) >= 1', ["c6"]),
        ('theme("billing") >= 1', ["c2"]),  # not c3, whose theme is billing_x
        ("negative_share >= 0.5", ["c2", "c3"]),
        ('rfm in ["champions", "at_risk"]', ["c1", "c2"]),
        ('lifecycle == "reactivated"', ["c4"]),
        ('ladder == "advocate" and lifecycle == "active"', ["c1"]),
        ("r_score >= 4 and f_score == 1", ["c3"]),
        ('attribute("loyalty_tier") in ["gold", "silver"]', ["c1", "c2"]),
        ('attribute("visits") == "12"', ["c1"]),
        ('attribute("loyalty_tier") is null', ["c3", "c4", "c5", "c6"]),
    ],
)
def test_rule_matches_the_hand_computation(shop: Warehouse, rule: str, expected: list[str]) -> None:
    assert members(shop, rule) == expected


@pytest.mark.parametrize(
    "text",
    ["x'; DROP TABLE customers; --", "' OR '1'='1", 'es" or 1=1 --', "'; SELECT 1; --"],
)
def test_injection_attempts_stay_literals(shop: Warehouse, text: str) -> None:
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    assert members(shop, f"language == {quoted} or country in [{quoted}]") == []
    assert shop.counts()["customers"] == 6


@pytest.mark.parametrize(
    ("rule", "column", "reason"),
    [
        ("foo > 1", 1, "unknown field 'foo'; valid fields: customer_id, language"),
        ("nps <= 6 and events > 1", 14, "functions are called with parentheses"),
        ('nps == "high"', 8, "cannot compare a number with a string"),
        ("language == 3", 13, "cannot compare a string with a number"),
        ("bogus(3) > 1", 1, "unknown function 'bogus'; valid functions: events(name, [days])"),
        ("events() > 1", 1, "takes 1 to 2 argument(s), got 0"),
        ("events(3) > 1", 8, "argument 'name' of events() must be a string"),
        ('events("x", 0) > 1', 13, "'days' must be a whole number of days from 1 to 36500"),
        ('events("x", 1.5) > 1', 13, "'days' must be a whole number"),
        ("orders_0d > 1", 1, "unknown field 'orders_0d'"),
        ('first_seen < "yesterday"', 14, "'yesterday' is not a date (YYYY-MM-DD)"),
        ("3 == 3", 1, "compare a field with a value, not two values"),
        ("nps", 1, "a condition needs a comparison"),
        ('first_seen in ["2024-01-01"]', 1, "not 'in'"),
        ('attribute("a.b") == "x"', 11, "an attribute key has letters, digits and _ only"),
        ('attribute("tier") > 3', 21, "cannot compare a string with a number"),
    ],
)
def test_check_errors_point_at_the_mistake(rule: str, column: int, reason: str) -> None:
    with pytest.raises(RuleError) as caught:
        check_rule(rule)
    assert caught.value.column == column, caught.value.describe()
    assert reason in caught.value.reason


def test_only_the_sources_a_rule_needs_are_joined(shop: Warehouse) -> None:
    rule = check_rule('language == "es"')
    sql = str(shop.ibis.compile(rule.members(shop.table, SegmentOptions(AS_OF))))
    assert "orders" not in sql and "feedback" not in sql
