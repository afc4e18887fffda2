"""``cxloop journeys``: JSON and tables, --top and --since, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from journey_tables import CUSTOMERS, seed_journey_shop

runner = CliRunner()


@pytest.fixture
def filled(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        seed_journey_shop(wh)
    return project


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "journeys", *args])


def test_json_report(filled: Settings) -> None:
    result = invoke(filled, "--json", "--top", "2")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["journeys"] == CUSTOMERS and doc["customers"] == CUSTOMERS
    assert [p["steps"] for p in doc["paths"]] == [
        ["web", "billing", "delivery"], ["web", "billing", "delivery", "call_centre"],
    ]  # fmt: skip
    assert doc["paths"][0]["journeys"] == 160 and doc["paths"][0]["share"] == pytest.approx(0.8)
    mot = doc["moments_of_truth"]
    delivery = mot["touchpoints"][0]
    assert delivery["touchpoint"] == "delivery" and delivery["rank"] == 1
    assert delivery["effect"] == pytest.approx(-4.0, abs=0.3) and delivery["exposed"] == 50
    assert mot["lookback_days"] == 30 and "Delivery Late" in mot["bad_events"]
    assert "customer_id" not in result.stdout and "C0001" not in result.stdout


def test_tables(filled: Settings) -> None:
    result = invoke(filled)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "web → billing → delivery" in out and "moments of truth" in out
    assert "time between steps" in out and "drop-off" in out


def test_since_after_the_data_gives_no_journeys(filled: Settings) -> None:
    result = invoke(filled, "--since", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert "no journeys yet" in result.stdout
    doc = json.loads(invoke(filled, "--since", "2027-01-01", "--json").stdout)
    assert doc["journeys"] == 0 and doc["moments_of_truth"]["touchpoints"] == []


def test_settings_change_the_window(filled: Settings, monkeypatch) -> None:
    monkeypatch.setenv("CXLOOP_JOURNEY_GAP_DAYS", "0.5")
    doc = json.loads(invoke(filled, "--json").stdout)
    assert doc["gap_days"] == 0.5 and doc["journeys"] > CUSTOMERS  # delivery starts a new one


def test_bad_options_are_one_line_errors(filled: Settings) -> None:
    result = invoke(filled, "--since", "2026-13-01")
    assert result.exit_code != 0 and "--since" in result.output
    result = invoke(filled, "--top", "0")
    assert result.exit_code != 0 and "--top" in result.output
