"""``cxloop erase``, ``cxloop export customer``, ``cxloop consent show`` and ``cxloop retention
apply`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from privacy_data import add_two_customers

runner = CliRunner()


@pytest.fixture
def people(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        add_two_customers(wh)
    return project


def invoke(project: Settings, *args: str, input: str | None = None):
    return runner.invoke(app, ["--project", str(project.project), *args], input=input)


def customers(project: Settings) -> set[str]:
    with open_project_warehouse(project) as wh:
        return set(wh.to_pandas(wh.table("customers"))["customer_id"])


def test_erase_without_yes_and_without_an_answer_asks_for_yes(people: Settings) -> None:
    result = invoke(people, "erase", "cus_ana")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert "cus_ana" in customers(people)


def test_erase_asks_and_a_no_keeps_them(people: Settings) -> None:
    result = invoke(people, "erase", "ana@example.com", input="no\n")
    assert result.exit_code == 2 and "not erased" in result.stderr
    assert "orders 1" in result.stderr  # the question lists what would go
    assert "cus_ana" in customers(people)


def test_erase_after_yes_on_the_terminal(people: Settings) -> None:
    result = invoke(people, "erase", "ana@example.com", input="yes\n")
    assert result.exit_code == 0, result.output
    assert "erased cus_ana" in result.stdout
    assert customers(people) == {"cus_bo"}


def test_erase_yes_json(people: Settings) -> None:
    result = invoke(people, "erase", "cus_ana", "--yes", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["customer_id"] == "cus_ana" and doc["erased_as"].startswith("erased:")
    assert doc["rows"]["consents"] == 3 and doc["rows"]["orders"] == 1
    assert doc["suppressed"] == 2  # the e-mail and the phone
    again = invoke(people, "erase", "cus_ana", "--yes")
    assert again.exit_code == 2 and "nothing in the warehouse" in again.stderr


def test_erase_unknown_email_is_one_line(people: Settings) -> None:
    result = invoke(people, "erase", "nobody@example.com", "--yes")
    assert result.exit_code != 0
    assert (
        result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1
    )


def test_export_customer_to_a_file_and_stdout(people: Settings, tmp_path: Path) -> None:
    out = tmp_path / "ana.json"
    result = invoke(people, "export", "customer", "ana@example.com", "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "cxloop-customer-export" and doc["customer_id"] == "cus_ana"
    assert doc["tables"]["events"][0]["properties"] == {"page": "/"}
    assert doc["tables"]["source_records"][0]["source_id"] == "A1"
    assert {r["customer_id"] for t in ("orders", "feedback") for r in doc["tables"][t]} == {
        "cus_ana"
    }
    shown = invoke(people, "export", "customer", "cus_bo")
    assert json.loads(shown.stdout)["tables"]["customers"][0]["email"] == "bo@example.com"
    with open_project_warehouse(people) as wh:
        log = wh.to_pandas(wh.table("audit_log"))
    assert set(log.target_id) == {"cus_ana", "cus_bo"} and set(log.action) == {"read"}


def test_consent_show(people: Settings) -> None:
    result = invoke(people, "consent", "show", "cus_ana", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [e["consent_event_id"] for e in doc["events"]] == ["c1", "c3", "c2"]
    current = {(s["channel"], s["purpose"]): s["granted"] for s in doc["current"]}
    assert current == {("email", "surveys"): False, ("sms", "all"): True}
    table = invoke(people, "consent", "show", "ana@example.com")
    assert "current state" in table.stdout and "email-link" in table.stdout
    none = invoke(people, "consent", "show", "cus_bo")
    assert "no consent recorded" in none.stdout


def test_retention_needs_policies_and_applies_them(people: Settings) -> None:
    result = invoke(people, "retention", "apply")
    assert result.exit_code == 2 and "retention" in result.stderr
    toml = people.project / "cxloop.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\nretention = {events = "1 day", orders = "100 years"}\n',
        encoding="utf-8",
    )
    dry = invoke(people, "retention", "apply", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    rows = {t["table"]: t["rows"] for t in json.loads(dry.stdout)["tables"]}
    assert rows == {"events": 2, "orders": 0}
    done = invoke(people, "retention", "apply")
    assert done.exit_code == 0, done.output and "events" in done.stdout
    with open_project_warehouse(people) as wh:
        assert wh.counts()["events"] == 0 and wh.counts()["orders"] == 2


def test_a_bad_retention_setting_names_it(people: Settings) -> None:
    toml = people.project / "cxloop.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '\nretention = {customers = "1 day"}\n', encoding="utf-8"
    )
    result = invoke(people, "retention", "apply")
    assert result.exit_code != 0
    assert "retention" in result.stderr and "customers" in result.stderr
