"""Reassigning a case to another team: the new team owns it and its SLA (its lead gets the
escalation), the case waits unassigned in the new team's inbox, and bad teams are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from act.case_data import DETRACTOR_RULE, NOW, add_company, add_feedback, hours_ago, write_rules
from cxloop.act.case_actions import act_on_case
from cxloop.act.case_queries import CaseFilter, get_case, list_cases
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.errors import ConflictError, UsageError


@pytest.fixture
def case_id(warehouse, tmp_path) -> str:
    add_company(warehouse)
    add_feedback(warehouse, "F1", "C1", hours_ago(5), nps=3)
    write_rules(tmp_path, detractor=DETRACTOR_RULE)
    [case] = run_loop(warehouse, load_rules(tmp_path), now=NOW).opened
    assert case.team_id == "web"
    return case.case_id


def test_reassignment_hands_the_case_and_its_sla_to_the_new_team(warehouse, case_id) -> None:
    t = NOW + timedelta(minutes=1)
    act_on_case(warehouse, case_id, "assigned", "user:wendy@x", assignee="ann@x", now=t)
    result = act_on_case(warehouse, case_id, "reassigned", "user:wendy@x", team="billing",
                         note="A double charge: billing's to fix", now=t)  # fmt: skip
    assert result.status == "open" and result.assignee is None and result.team_id == "billing"
    assert result.event.team_id == "billing"
    case = get_case(warehouse, case_id, now=t)
    assert case.team_id == "billing" and case.assignee is None and case.status == "open"
    assert case.events[-1].kind == "reassigned" and case.events[-1].note.startswith("A double")
    assert list_cases(warehouse, CaseFilter(team="web"), now=t).total == 0
    assert [c.case_id for c in list_cases(warehouse, CaseFilter(team="billing"), now=t).items] == [
        case_id
    ]
    # the SLA (48 h) passes: billing's lead gets the escalation, not web's
    late = NOW + timedelta(hours=50)
    report = run_loop(warehouse, [], now=late)
    assert report.escalated == [case_id]
    escalation = get_case(warehouse, case_id, now=late).events[-1]
    assert escalation.kind == "escalated" and escalation.assignee == "bill@acme.example"


def test_an_escalated_case_escalates_again_to_its_new_team(warehouse, case_id) -> None:
    late = NOW + timedelta(hours=50)
    assert run_loop(warehouse, [], now=late).escalated == [case_id]
    act_on_case(warehouse, case_id, "reassigned", "user:wendy@x", team="billing",
                note="Billing's problem", assignee="bill@acme.example", now=late)  # fmt: skip
    case = get_case(warehouse, case_id, now=late)
    assert not case.escalated and case.assignee == "bill@acme.example" and case.overdue
    assert run_loop(warehouse, [], now=late + timedelta(minutes=1)).escalated == [case_id]


@pytest.mark.parametrize(
    ("team", "note", "message"),
    [
        ("nope", "why", "team: no team 'nope' (teams: billing, web)"),
        (None, "why", "team: say which team"),
        ("billing", None, "note: say why the case is reassigned"),
    ],
)
def test_bad_reassignments_are_refused(warehouse, case_id, team, note, message) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        act_on_case(warehouse, case_id, "reassigned", "user:x", team=team, note=note)
    assert get_case(warehouse, case_id).team_id == "web"


def test_the_same_team_or_a_resolved_case_is_a_conflict(warehouse, case_id) -> None:
    with pytest.raises(ConflictError, match="already belongs to 'web'"):
        act_on_case(warehouse, case_id, "reassigned", "user:x", team="web", note="why")
    act_on_case(warehouse, case_id, "resolved", "user:x", resolution="fixed")
    with pytest.raises(ConflictError, match="a case that is resolved cannot be reassigned"):
        act_on_case(warehouse, case_id, "reassigned", "user:x", team="billing", note="why")
    with pytest.raises(UsageError, match="only a reassigned event names a team"):
        act_on_case(warehouse, case_id, "commented", "user:x", team="billing", note="why")
