"""``cxloop kpi``: the JSON contract, the Rich table with small-n marked, one-line errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from cxloop.understand.kpi.rollup import rollup_is_fresh, rollup_state
from filetools import write_csv
from kpi_tables import add_feedback

runner = CliRunner()
ROWS = [
    ("2026-01-05", "a", "billing", 10, 5, 2),
    ("2026-01-06", "a", "billing", 9, 4, 3),
    ("2026-02-20", "b", "delivery", 3, 2, 6),
]


@pytest.fixture
def filled(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        add_feedback(wh, ROWS)
    return project


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "kpi", *args])


def test_single_value_json(filled: Settings) -> None:
    result = invoke(filled, "nps", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kpi"] == "nps" and doc["n"] == 3
    assert doc["value"] == pytest.approx(100 / 3)
    assert doc["ci_low"] < doc["value"] < doc["ci_high"] and doc["small_n"] is True


def test_by_gives_a_list_with_the_dimension(filled: Settings) -> None:
    result = invoke(filled, "csat", "--by", "team", "--since", "2026-01-01", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [row["team"] for row in doc] == ["a", "b"]
    assert doc[0]["value"] == 1.0 and doc[1]["value"] == 0.0


def test_period_trend_json(filled: Settings) -> None:
    doc = json.loads(invoke(filled, "nps", "--period", "month", "--json").stdout)
    assert [row["period_start"] for row in doc] == ["2026-01-01", "2026-02-01"]
    assert doc[1]["change"] == pytest.approx(-200.0) and doc[1]["test"]


def test_table_marks_small_n(filled: Settings) -> None:
    result = invoke(filled, "nps", "--by", "touchpoint")
    assert result.exit_code == 0, result.output
    assert "billing" in result.stdout and "2 ⚠" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["happiness"], "valid KPIs: nps, csat"),
        (["nps", "--by", "planet"], "valid dimensions: touchpoint, channel, team"),
        (["nps", "--period", "year"], "valid periods: day, week, month, quarter"),
        (["nps", "--since", "yesterday"], "--since 'yesterday' is not a date"),
    ],
)
def test_errors_are_one_line(filled: Settings, args: list[str], message: str) -> None:
    result = invoke(filled, *args)
    assert result.exit_code != 0
    assert message in result.output and result.output.strip().count("\n") == 0


def test_rebuild_rollup_then_answers_from_it(filled: Settings) -> None:
    before = json.loads(invoke(filled, "nps", "--by", "team", "--json").stdout)
    result = invoke(filled, "rebuild-rollup", "--json")
    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert done["mode"] == "full" and done["feedback_rows"] == 3 and done["cells_written"] > 0
    with open_project_warehouse(filled) as wh:
        assert rollup_is_fresh(wh)
    assert json.loads(invoke(filled, "nps", "--by", "team", "--json").stdout) == before
    assert "daily rollup rebuilt: 3 feedback rows" in invoke(filled, "rebuild-rollup").stdout


def test_rebuild_rollup_takes_no_query_options(filled: Settings) -> None:
    result = invoke(filled, "rebuild-rollup", "--by", "team")
    assert result.exit_code != 0 and "kpi rebuild-rollup takes no --by" in result.output


def test_importing_feedback_refreshes_the_rollup(project: Settings, tmp_path: Path) -> None:
    rows = [{"feedback_id": str(i), "ts": f"2026-01-0{i}", "nps": str(i)} for i in range(1, 4)]
    for name, part in (("a.csv", rows[:2]), ("b.csv", rows[2:])):
        path = write_csv(tmp_path / name, part)
        imported = runner.invoke(
            app, ["--project", str(project.project), "import", "feedback", str(path)]
        )
        assert imported.exit_code == 0, imported.output
        with open_project_warehouse(project) as wh:
            state = rollup_state(wh)
            assert rollup_is_fresh(wh) and state is not None
            assert state.mode == ("full" if name == "a.csv" else "incremental")
    assert json.loads(invoke(project, "nps", "--json").stdout)["n"] == 3


def test_by_segment_counts_members_and_says_totals_differ(filled: Settings) -> None:
    with open_project_warehouse(filled) as wh:
        wh.append_rows("segment_members", [
            {"member_id": f"m{i}", "segment_id": "vip", "customer_id": f"c{i}",
             "computed_at": datetime(2026, 3, 1, tzinfo=UTC), "change": "entered"}
            for i in (0, 1)
        ])  # fmt: skip
    result = invoke(filled, "nps", "--by", "segment", "--json")
    assert result.exit_code == 0, result.output
    assert [(row["segment"], row["n"], row["value"]) for row in json.loads(result.stdout)] == [
        ("vip", 2, 100.0)
    ]
    assert "do not add up to the company figure" in result.stderr
    table = invoke(filled, "nps", "--by", "segment")
    assert "vip" in table.output and "several segments" in table.output
