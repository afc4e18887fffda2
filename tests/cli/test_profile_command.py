"""``cxloop profile``: Rich output, ``--json`` (the profile model) and one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from customer_data import ANA_EMAIL, build_company
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from cxloop.unify.profile import CustomerProfile

runner = CliRunner()


@pytest.fixture
def ids(project: Settings) -> dict[str, str]:
    with open_project_warehouse(project) as wh:
        return build_company(wh)


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "profile", *args])


def test_json_is_the_profile_model(project: Settings, ids: dict[str, str]) -> None:
    result = invoke(project, ANA_EMAIL, "--json", "--events", "5")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    profile = CustomerProfile.model_validate(doc)
    assert profile.customer_id == ids["ana"]
    assert set(doc) >= {"golden_record", "source_records", "identities", "summary", "timeline"}
    assert len(doc["timeline"]["items"]) == 5 and doc["timeline"]["total"] == 67
    assert doc["summary"]["orders"] == 3
    assert doc["identities"][0]["method"] == "deterministic:email"


def test_tables_for_people(project: Settings, ids: dict[str, str]) -> None:
    result = invoke(project, ids["ana"], "-n", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("Ana Ruiz", ids["ana"], "summary", "source records", "identities", "timeline"):
        assert text in out
    assert "3 of 67" in out and "150.50 EUR" in out and "postcode ≠" in out
    assert "crm:C1" in out and "webshop:W7" in out


def test_a_chinese_name_and_markup_in_data_print_as_they_are(
    project: Settings, ids: dict[str, str]
) -> None:
    result = invoke(project, "crm:C3", "--events", "0")
    assert result.exit_code == 0, result.output
    assert "秀英" in result.stdout and "timeline (0 of 0" in result.stdout


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("nobody@example.com", "no customer with e-mail"),
        ("cus_0000000000000000", "no customer with id"),
        ("[bold]x", "no customer"),
    ],
    ids=["email", "id", "markup"],
)
def test_unknown_customers_are_one_line_errors(
    project: Settings, ids: dict[str, str], reference: str, message: str
) -> None:
    result = invoke(project, reference)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_events_out_of_range(project: Settings, ids: dict[str, str]) -> None:
    assert invoke(project, ids["ana"], "--events", "-1").exit_code == 2
