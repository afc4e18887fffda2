"""The tracking plan: loading with clear errors, and checks of track calls against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.collect.tracking_plan import UNKNOWN_EVENT, TrackingPlan, load_tracking_plan
from cxloop.errors import ConfigError
from cxloop.project import starter_files

PLAN = """\
strict: true
events:
  Order Placed:
    description: Checkout completed.
    properties:
      type: object
      required: [order_id, amount]
      additionalProperties: false
      properties:
        order_id: {type: string}
        amount: {type: number, minimum: 0}
        currency: {enum: [EUR, USD, CNY]}
  App Opened: {}
"""


def write_plan(tmp_path: Path, text: str) -> Path:
    (tmp_path / "tracking_plan.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_no_file_means_no_plan(tmp_path: Path) -> None:
    assert load_tracking_plan(tmp_path) is None


def test_the_starter_plan_is_all_comments_and_checks_nothing(tmp_path: Path) -> None:
    plan = load_tracking_plan(write_plan(tmp_path, starter_files()["tracking_plan.yaml"]))
    assert plan is not None and not plan.active and not plan.strict
    assert plan.check("Anything", {"x": 1}) == []


def test_a_plan_checks_names_and_properties(tmp_path: Path) -> None:
    plan = load_tracking_plan(write_plan(tmp_path, PLAN))
    assert plan is not None and plan.strict and plan.active
    assert plan.check("Order Placed", {"order_id": "o1", "amount": 9.5}) == []
    assert plan.check("App Opened", {"anything": True}) == []
    assert plan.check("Order Cancelled", {}) == [("event", UNKNOWN_EVENT)]
    assert plan.check("Order Placed", {"amount": -1, "currency": "GBP", "coupon": "X"}) == [
        ("properties", "missing required property 'order_id'"),
        ("properties", "Additional properties are not allowed ('coupon' was unexpected)"),
        ("properties.amount", "must satisfy minimum 0"),
        ("properties.currency", 'expected one of ["EUR", "USD", "CNY"]'),
    ]
    assert plan.check("Order Placed", {"order_id": 7, "amount": "9"}) == [
        ("properties.amount", "expected type number"),
        ("properties.order_id", "expected type string"),
    ]


def test_problems_do_not_quote_the_values_sent() -> None:
    plan = TrackingPlan.model_validate(
        {"events": {"Rated": {"properties": {"properties": {"score": {"maximum": 10}}}}}}
    )
    assert plan.check("Rated", {"score": 11}) == plan.check("Rated", {"score": 99})


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("strict: maybe\n", ":1: strict:"),
        ("events:\n  X:\n    properties: {type: objekt}\n", ":3: events.X.properties:"),
        ("events:\n  X:\n    propertys: {}\n", ":3: events.X.propertys:"),
        ("stric: true\n", ":1: stric:"),
        ("events: [a, b]\n", ":1: events:"),
    ],
)
def test_mistakes_name_the_file_line_and_field(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_tracking_plan(write_plan(tmp_path, text))
    assert "tracking_plan.yaml" in info.value.message and where in info.value.message
