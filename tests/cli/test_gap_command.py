"""``cxloop gap``: JSON and table, withheld groups never printed, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from gap_tables import seed_gap_company

runner = CliRunner()


@pytest.fixture
def filled(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        seed_gap_company(wh)
    return project


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "gap", *args])


def test_json_by_team(filled: Settings) -> None:
    result = invoke(filled, "--by", "team", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["by"] == "team" and doc["min_group_n"] == 5
    cells = {(r["team_id"], r["statement_id"]): r for r in doc["rows"]}
    withheld = cells[("T-A", "listen")]["managers"]
    assert withheld["suppressed"] == "min_group_n"
    assert all(withheld[k] is None for k in ("share", "agree", "mean", "share_ci_low"))
    assert cells[("T-B", "listen")]["managers"]["share"] == pytest.approx(0.6)
    assert cells[(None, "listen")]["p_value"] is not None


def test_table_says_hidden_and_shows_the_gap(filled: Settings) -> None:
    result = invoke(filled, "--by", "team")
    assert result.exit_code == 0, result.output
    assert "hidden" in result.stdout and "Team A" in result.stdout
    assert "83%" in result.stdout and "20%" in result.stdout  # company: 10 of 12 vs 6 of 30


def test_a_stricter_setting_from_the_environment(filled: Settings, monkeypatch) -> None:
    monkeypatch.setenv("CXLOOP_SURVEY_MIN_GROUP_N", "13")
    doc = json.loads(invoke(filled, "--json").stdout)
    assert all(r["managers"]["share"] is None for r in doc["rows"])


def test_bad_options_are_one_line_errors(filled: Settings) -> None:
    result = invoke(filled, "--by", "segment")
    assert result.exit_code != 0 and "unknown --by 'segment'" in result.output
    result = invoke(filled, "--since", "2026-13-01")
    assert result.exit_code != 0 and "--since" in result.output
