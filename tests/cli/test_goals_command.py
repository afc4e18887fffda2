"""``cxloop goals``: JSON, the team filter, the table, and one-line errors for a bad file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from kpi_tables import add_feedback

runner = CliRunner()
GOALS = """\
goals:
  - id: team-a-csat
    kpi: csat
    scope: {team: a}
    target: 0.5
    deadline: 2026-03-31
    owner: Team A lead
  - id: team-b-ces
    kpi: ces
    scope: {team: b}
    target: 3
    deadline: 2026-02-28
    owner: Team B lead
"""
ROWS = [(f"2026-0{m}-{d:02d}", "a", "billing", 9, 5, 2) for m in (1, 2) for d in range(1, 28)]
ROWS += [(f"2026-0{m}-{d:02d}", "b", "delivery", 3, 2, 6) for m in (1, 2) for d in range(1, 6)]


@pytest.fixture
def filled(project: Settings) -> Settings:
    (project.project / "goals.yaml").write_text(GOALS, encoding="utf-8")
    toml = project.project / "cxloop.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "kpi_small_n = 20\n", encoding="utf-8")
    with open_project_warehouse(project) as wh:
        add_feedback(wh, ROWS)
    return project


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "goals", *args])


def test_json_has_each_goal_with_status_sentence_and_trend(filled: Settings) -> None:
    result = invoke(filled, "--json", "--as-of", "2026-03-10")
    assert result.exit_code == 0, result.output
    doc = {g["goal"]["id"]: g for g in json.loads(result.stdout)}
    assert set(doc) == {"team-a-csat", "team-b-ces"}
    a, b = doc["team-a-csat"], doc["team-b-ces"]
    assert a["status"] == "hit" and a["latest"]["n"] == 27 and len(a["trend"]) == 2
    assert a["goal"]["direction"] == "higher" and b["goal"]["direction"] == "lower"
    assert b["status"] == "not_enough_data" and "n = 5" in b["sentence"]
    assert a["as_of"] == "2026-03-10" and a["small_n_threshold"] == 20


def test_the_goals_are_stored_in_kpi_goals(filled: Settings) -> None:
    assert invoke(filled, "--json").exit_code == 0
    with open_project_warehouse(filled) as wh:
        frame = wh.to_pandas(wh.table("kpi_goals").order_by("goal_id"))
    assert frame["goal_id"].tolist() == ["team-a-csat", "team-b-ces"]
    assert frame["owner"].tolist() == ["Team A lead", "Team B lead"]
    assert json.loads(frame["scope"][0]) == {"team": "a"}
    assert str(frame["valid_to"][1])[:10] == "2026-02-28"
    (filled.project / "goals.yaml").write_text(GOALS.split("  - id: team-b-ces")[0], "utf-8")
    assert invoke(filled, "--json").exit_code == 0
    with open_project_warehouse(filled) as wh:
        assert wh.counts()["kpi_goals"] == 1


def test_team_filter_and_table(filled: Settings) -> None:
    result = invoke(filled, "--team", "b", "--as-of", "2026-03-10")
    assert result.exit_code == 0, result.output
    assert "team-b-ces" in result.stdout and "team-a-csat" not in result.stdout
    assert "Not enough data:" in result.stdout and "at least 20" in result.stdout
    assert "5 ⚠" in result.stdout
    empty = invoke(filled, "--team", "nobody")
    assert empty.exit_code == 0 and "no goals for team nobody" in empty.stdout


def test_a_bad_goals_file_is_one_line_naming_file_line_and_field(filled: Settings) -> None:
    (filled.project / "goals.yaml").write_text(GOALS.replace("target: 3", "target: 9"), "utf-8")
    result = invoke(filled, "--json")
    assert result.exit_code != 0
    line = result.output.strip()
    assert "\n" not in line and "goals.yaml:11: goals.1.target:" in line
    assert "outside what ces can be" in line


def test_a_bad_date_is_one_line(filled: Settings) -> None:
    result = invoke(filled, "--as-of", "tomorrow")
    assert result.exit_code == 2 and "--as-of 'tomorrow' is not a date" in result.output
