"""The loop: rules open cases routed to the right team, one open case per customer and topic,
reruns open nothing twice, breached SLAs escalate to the team lead, resolved cases close."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from act.case_data import (
    BILLING_RULE,
    DETRACTOR_RULE,
    NOW,
    add_company,
    add_feedback,
    hours_ago,
    write_rules,
)
from cxloop.act.case_actions import act_on_case
from cxloop.act.case_queries import CaseFilter, get_case, list_cases
from cxloop.act.loop import LoopOptions, run_loop
from cxloop.act.rules import LoadedRule, load_rules
from cxloop.storage import Warehouse


@pytest.fixture
def rules(tmp_path: Path) -> list[LoadedRule]:
    write_rules(tmp_path, detractor=DETRACTOR_RULE, billing=BILLING_RULE)
    return load_rules(tmp_path)


@pytest.fixture
def company(warehouse: Warehouse) -> Warehouse:
    add_company(warehouse)
    return warehouse


def test_a_detractor_opens_a_case_routed_to_the_touchpoints_team(company, rules) -> None:
    add_feedback(company, "F1", "C1", hours_ago(5), nps=3, touchpoint="web")
    add_feedback(company, "F2", "C2", hours_ago(4), nps=9, touchpoint="web")  # a promoter
    report = run_loop(company, rules, now=NOW)
    [case] = report.opened
    assert (case.customer_id, case.rule_id, case.team_id) == ("C1", "detractor", "web")
    assert case.priority == "high" and case.due_at == NOW + timedelta(hours=48)
    detail = get_case(company, case.case_id, now=NOW)
    assert detail.status == "open" and detail.title == "Follow up with a detractor"
    assert detail.feedback_score == "NPS 3"
    [opened] = detail.events
    assert (opened.kind, opened.actor, opened.ts) == ("opened", "system:loop", NOW)


def test_a_route_sends_billing_detractors_to_billing(company, rules) -> None:
    add_feedback(company, "F1", "C2", hours_ago(4), nps=2, text="charged twice",
                 themes=["billing"], sentiment="negative", touchpoint="web")  # fmt: skip
    report = run_loop(company, rules, now=NOW)
    teams = {(c.rule_id, c.topic, c.team_id) for c in report.opened}
    assert teams == {("detractor", "detractor", "billing"), ("billing_complaint", "billing",
                                                             "billing")}  # fmt: skip


def test_one_open_case_per_customer_and_topic_and_reruns_open_nothing(company, rules) -> None:
    add_feedback(company, "F1", "C1", hours_ago(9), nps=3)
    add_feedback(company, "F2", "C1", hours_ago(8), nps=1)  # same customer, same topic
    first = run_loop(company, rules, now=NOW)
    assert [c.feedback_id for c in first.opened] == ["F1"] and first.skipped_duplicates == 1
    again = run_loop(company, rules, now=NOW)
    assert again.opened == [] and len(list_cases(company, now=NOW).items) == 1
    # resolved: a rerun over the same, older feedback still opens nothing ...
    act_on_case(company, first.opened[0].case_id, "resolved", "user:a", resolution="fixed",
                now=NOW)  # fmt: skip
    assert run_loop(company, rules, now=NOW + timedelta(hours=1)).opened == []
    # ... but new feedback after the resolution does
    add_feedback(company, "F3", "C1", NOW + timedelta(hours=2), nps=0)
    later = run_loop(company, rules, now=NOW + timedelta(hours=3))
    assert [c.feedback_id for c in later.opened] == ["F3"]


def test_a_dry_run_writes_nothing(company, rules) -> None:
    add_feedback(company, "F1", "C1", hours_ago(5), nps=3)
    report = run_loop(company, rules, now=NOW, dry_run=True)
    assert len(report.opened) == 1 and report.dry_run
    assert company.counts()["cases"] == 0 and company.counts()["case_events"] == 0


def test_old_feedback_is_left_alone_unless_since_reaches_it(company, rules) -> None:
    add_feedback(company, "F1", "C1", NOW - timedelta(days=40), nps=3)
    assert run_loop(company, rules, now=NOW).opened == []  # older than 30 days
    since = NOW - timedelta(days=60)
    assert len(run_loop(company, rules, now=NOW, since=since).opened) == 1


def test_an_sla_breach_escalates_to_the_team_lead_once(company, rules) -> None:
    add_feedback(company, "F1", "C1", hours_ago(5), nps=3)  # web: lead Wendy
    [case] = run_loop(company, rules, now=NOW).opened
    assert run_loop(company, rules, now=NOW + timedelta(hours=47)).escalated == []
    late = NOW + timedelta(hours=49)
    report = run_loop(company, rules, now=late)
    assert report.escalated == [case.case_id]
    detail = get_case(company, case.case_id, now=late)
    assert detail.escalated and detail.overdue and detail.assignee == "wendy@acme.example"
    escalated = detail.events[-1]
    assert (escalated.kind, escalated.actor, escalated.status) == ("escalated", "system:loop",
                                                                   "open")  # fmt: skip
    assert "SLA breached" in (escalated.note or "")
    assert run_loop(company, rules, now=late + timedelta(hours=1)).escalated == []
    overdue = list_cases(company, CaseFilter(overdue=True), now=late)
    assert overdue.total == 1 and overdue.counts["overdue"] == 1


def test_a_resolved_case_closes_after_the_set_days(company, rules) -> None:
    add_feedback(company, "F1", "C1", hours_ago(5), nps=3)
    [case] = run_loop(company, rules, now=NOW).opened
    act_on_case(company, case.case_id, "resolved", "user:a", resolution="explained", now=NOW)
    options = LoopOptions(close_after_days=14)
    assert run_loop(company, rules, options=options, now=NOW + timedelta(days=13)).closed == []
    report = run_loop(company, rules, options=options, now=NOW + timedelta(days=15))
    assert report.closed == [case.case_id] and report.escalated == []
    assert get_case(company, case.case_id).status == "closed"


def test_only_the_given_feedback_is_read(company, rules) -> None:
    add_feedback(company, "F1", "C1", hours_ago(5), nps=3)
    add_feedback(company, "F2", "C2", hours_ago(5), nps=3)
    report = run_loop(company, rules, now=NOW, feedback_ids=["F2"])
    assert [c.customer_id for c in report.opened] == ["C2"] and report.feedback_considered == 1


def test_the_list_filters_sorts_and_counts(company, rules) -> None:
    add_feedback(company, "F1", "C1", hours_ago(5), nps=3)
    add_feedback(company, "F2", "C2", hours_ago(4), nps=2, themes=["billing"],
                 sentiment="negative")  # fmt: skip
    run_loop(company, rules, now=NOW)
    page = list_cases(company, now=NOW)
    assert page.total == 3 and page.counts["open"] == 3
    assert [c.priority for c in page.items] == ["high", "high", "normal"]
    billing = list_cases(company, CaseFilter(team="billing"), now=NOW)
    assert {c.team_id for c in billing.items} == {"billing"} and billing.total == 2
    act_on_case(company, page.items[0].case_id, "acknowledged", "user:a", now=NOW)
    active = list_cases(company, CaseFilter(status=("active",)), now=NOW)
    assert active.total == 3 and active.counts["acknowledged"] == 1
    acknowledged = list_cases(company, CaseFilter(status=("acknowledged",)), now=NOW)
    assert [c.case_id for c in acknowledged.items] == [page.items[0].case_id]
    assert acknowledged.counts["open"] == 2  # counts ignore the status filter
