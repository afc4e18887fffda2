"""The case workflow: transitions checked against the state its events add up to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from act.case_data import DETRACTOR_RULE, NOW, add_company, add_feedback, hours_ago, write_rules
from cxloop.act.case_actions import act_on_case
from cxloop.act.case_queries import get_case
from cxloop.act.case_workflow import next_status
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.errors import ConflictError, NotFoundError, UsageError


@pytest.fixture
def case_id(warehouse, tmp_path) -> str:
    add_company(warehouse)
    add_feedback(warehouse, "F1", "C1", hours_ago(5), nps=3)
    write_rules(tmp_path, detractor=DETRACTOR_RULE)
    [case] = run_loop(warehouse, load_rules(tmp_path), now=NOW).opened
    return case.case_id


@pytest.mark.parametrize(
    ("kind", "before", "after"),
    [
        ("assigned", "open", "assigned"), ("assigned", "acknowledged", "acknowledged"),
        ("acknowledged", "assigned", "acknowledged"), ("commented", "resolved", "resolved"),
        ("customer_contacted", "acknowledged", "acknowledged"), ("resolved", "open", "resolved"),
        ("reopened", "closed", "open"), ("closed", "resolved", "closed"),
        ("escalated", "assigned", "assigned"),
    ],
)  # fmt: skip
def test_allowed_transitions(kind: str, before: str, after: str) -> None:
    assert next_status(kind, before) == after


@pytest.mark.parametrize(
    ("kind", "before"),
    [("resolved", "closed"), ("resolved", "resolved"), ("closed", "open"),
     ("acknowledged", "acknowledged"), ("reopened", "open"), ("commented", "closed"),
     ("customer_contacted", "resolved"), ("escalated", "resolved")],
)  # fmt: skip
def test_refused_transitions(kind: str, before: str) -> None:
    with pytest.raises(ConflictError, match=f"a case that is {before} cannot be"):
        next_status(kind, before)


def test_a_case_lives_through_its_events(warehouse, case_id: str) -> None:
    t = NOW + timedelta(minutes=1)
    act_on_case(warehouse, case_id, "assigned", "user:lead@x", assignee="ann@x", now=t)
    act_on_case(warehouse, case_id, "acknowledged", "user:ann@x", now=t)  # same instant
    act_on_case(warehouse, case_id, "customer_contacted", "user:ann@x", note="Called, refund",
                now=t)  # fmt: skip
    act_on_case(warehouse, case_id, "commented", "user:ann@x", note="<b>refund</b> sent", now=t)
    result = act_on_case(warehouse, case_id, "resolved", "user:ann@x", resolution="compensated",
                         now=t)  # fmt: skip
    assert (result.status, result.assignee) == ("resolved", "ann@x")
    with pytest.raises(ConflictError, match="a case that is resolved cannot be acknowledged"):
        act_on_case(warehouse, case_id, "acknowledged", "user:ann@x")
    act_on_case(warehouse, case_id, "closed", "user:ann@x")
    with pytest.raises(ConflictError, match="a case that is closed cannot be resolved"):
        act_on_case(warehouse, case_id, "resolved", "user:ann@x", resolution="fixed")
    detail = get_case(warehouse, case_id)
    kinds = [e.kind for e in detail.events]
    assert kinds == ["opened", "assigned", "acknowledged", "customer_contacted", "commented",
                     "resolved", "closed"]  # fmt: skip
    stamps = [e.ts for e in detail.events]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)  # a strict order
    assert detail.status == "closed" and detail.resolution == "compensated"
    assert [e.actor for e in detail.events][1:3] == ["user:lead@x", "user:ann@x"]
    reopened = act_on_case(warehouse, case_id, "reopened", "user:lead@x", note="customer wrote")
    assert reopened.status == "open"
    assert get_case(warehouse, case_id).resolution is None


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("resolved", {}, "resolution: None is not a resolution code; use one of fixed"),
        ("resolved", {"resolution": "magic"}, "resolution: 'magic' is not a resolution code"),
        ("assigned", {}, "assignee: say whom"),
        ("commented", {"note": "  "}, "note: a comment needs text"),
        ("acknowledged", {"resolution": "fixed"}, "only a resolved event carries"),
        ("opened", {}, "kind: 'opened'; use one of"),
    ],
)
def test_an_incomplete_action_is_refused(warehouse, case_id, kind, fields, message) -> None:
    with pytest.raises(UsageError, match=message):
        act_on_case(warehouse, case_id, kind, "user:a", **fields)


def test_an_unknown_case_is_not_found(warehouse, case_id: str) -> None:
    with pytest.raises(NotFoundError, match="no case 'nope'"):
        act_on_case(warehouse, "nope", "acknowledged", "user:a")
    with pytest.raises(NotFoundError):
        get_case(warehouse, "nope")
