"""``cxloop loop run|rules`` and ``cxloop cases list|show|assign|…``: JSON contracts, the
workflow from the command line, and one-line errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from act.case_data import BILLING_RULE, DETRACTOR_RULE, add_company, add_feedback, write_rules
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse

runner = CliRunner()


@pytest.fixture
def company(project: Settings) -> Settings:
    now = datetime.now(UTC)
    with open_project_warehouse(project) as wh:
        add_company(wh)
        add_feedback(wh, "F1", "C1", now - timedelta(hours=2), nps=3)
        add_feedback(wh, "F2", "C2", now - timedelta(hours=1), nps=2, themes=["billing"],
                     sentiment="negative")  # fmt: skip
        add_feedback(wh, "F0", "C2", now - timedelta(days=90), nps=0)  # old
    write_rules(project.project, detractor=DETRACTOR_RULE, billing=BILLING_RULE)
    return project


def invoke(project: Settings, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--project", str(project.project), *args])


def test_loop_run_then_the_case_workflow(company: Settings) -> None:
    dry = invoke(company, "loop", "run", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert len(json.loads(dry.stdout)["opened"]) == 3
    run = invoke(company, "loop", "run", "--json")
    report = json.loads(run.stdout)
    assert sorted((c["rule_id"], c["team_id"]) for c in report["opened"]) == [
        ("billing_complaint", "billing"), ("detractor", "billing"), ("detractor", "web"),
    ]  # fmt: skip
    assert json.loads(invoke(company, "loop", "run", "--json").stdout)["opened"] == []
    people = invoke(company, "loop", "run")
    assert "opened 0 case(s)" in people.stdout and people.exit_code == 0

    listed = json.loads(invoke(company, "cases", "list", "--team", "web", "--json").stdout)
    [case] = listed["items"]
    assert listed["total"] == 1 and case["status"] == "open"
    case_id = case["case_id"]
    steps = [
        ("assign", case_id, "--to", "ann@acme.example"),
        ("acknowledge", case_id),
        ("contact", case_id, "--note", "Called back"),
        ("comment", case_id, "Refund on its way"),
        ("resolve", case_id, "--code", "compensated", "--note", "Refunded"),
    ]
    for step in steps:
        done = invoke(company, "cases", *step, "--actor", "cli:ann", "--json")
        assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["status"] == "resolved"
    shown = json.loads(invoke(company, "cases", "show", case_id, "--json").stdout)
    assert [e["kind"] for e in shown["events"]] == [
        "opened", "assigned", "acknowledged", "customer_contacted", "commented", "resolved",
    ]  # fmt: skip
    assert shown["assignee"] == "ann@acme.example" and shown["resolution"] == "compensated"
    assert {e["actor"] for e in shown["events"][1:]} == {"cli:ann"}
    assert invoke(company, "cases", "close", case_id).exit_code == 0
    text = invoke(company, "cases", "show", case_id)
    assert "closed" in text.stdout and "compensated" in text.stdout
    refused = invoke(company, "cases", "resolve", case_id, "--code", "fixed")
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [
        "error: a case that is closed cannot be resolved (only a case that is open or "
        "assigned or acknowledged)"
    ]
    closed = json.loads(invoke(company, "cases", "list", "--status", "closed", "--json").stdout)
    assert [c["case_id"] for c in closed["items"]] == [case_id]


def test_since_reaches_old_feedback(company: Settings) -> None:
    since = (datetime.now(UTC) - timedelta(days=120)).date().isoformat()
    report = json.loads(invoke(company, "loop", "run", "--since", since, "--json").stdout)
    assert {c["feedback_id"] for c in report["opened"]} == {"F0", "F1", "F2"}
    bad = invoke(company, "loop", "run", "--since", "last week")
    assert bad.exit_code == 2 and "--since 'last week': expected a date" in bad.output


def test_errors_are_one_line(company: Settings) -> None:
    (company.project / "rules" / "bad.yaml").write_text("id: bad\nwhen: nsp < 3\nthen: {}\n")
    broken = invoke(company, "loop", "rules")
    assert broken.exit_code == 1 and "bad.yaml:3: then" in broken.output
    (company.project / "rules" / "bad.yaml").unlink()
    listed = invoke(company, "loop", "rules")
    assert listed.exit_code == 0 and "detractor" in listed.stdout
    missing = invoke(company, "cases", "show", "case_nope")
    assert missing.exit_code == 2 and "no case 'case_nope'" in missing.output
    wrong = invoke(company, "cases", "list", "--status", "pending")
    assert wrong.exit_code == 2 and "status: 'pending'; use one of active" in wrong.output


def test_reassign_from_the_command_line(company: Settings) -> None:
    assert invoke(company, "loop", "run").exit_code == 0
    listed = json.loads(invoke(company, "cases", "list", "--team", "web", "--json").stdout)
    case_id = listed["items"][0]["case_id"]
    unknown = invoke(company, "cases", "reassign", case_id, "--team", "nope", "--reason", "x")
    assert unknown.exit_code == 2
    assert unknown.output.strip().splitlines() == [
        "error: team: no team 'nope' (teams: billing, web)"
    ]
    done = invoke(company, "cases", "reassign", case_id, "--team", "billing",
                  "--reason", "A billing matter")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"case {case_id}: reassigned; now open, team billing" in done.stdout
    shown = json.loads(invoke(company, "cases", "show", case_id, "--json").stdout)
    assert shown["team_id"] == "billing" and shown["events"][-1]["note"] == "A billing matter"
    assert "→ team billing" in invoke(company, "cases", "show", case_id).stdout
    after = json.loads(invoke(company, "cases", "list", "--team", "web", "--json").stdout)
    assert after["total"] == 0
