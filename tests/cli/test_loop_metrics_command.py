"""``cxloop loop metrics``: JSON contract, the people's view, ``kpi`` for the loop's KPIs, and
one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from closed_loop_tables import add_case, add_feedback_rows, at
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse

runner = CliRunner()


@pytest.fixture
def looped(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        add_feedback_rows(wh, [
            {"feedback_id": "f1", "customer_id": "c1", "ts": at(0), "team_id": "web",
             "touchpoint": "web", "nps": 2},
            {"feedback_id": "f2", "customer_id": "c2", "ts": at(1), "team_id": "web",
             "touchpoint": "web", "nps": 5},
        ])  # fmt: skip
        add_case(wh, "K1", feedback_id="f1", customer_id="c1", team="web", opened=at(0),
                 contacted=at(3), resolved=at(6))  # fmt: skip
    return project


def invoke(project: Settings, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--project", str(project.project), *args])


def test_loop_metrics_json(looped: Settings) -> None:
    result = invoke(looped, "loop", "metrics", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["contact_within_sla"]["value"] == pytest.approx(0.5)
    assert data["time_to_close"]["value"] == pytest.approx(6.0)
    assert [e["outcome"] for e in data["effects"]] == ["retention_90d", "later_nps"]
    assert data["matched_on"] == ["score_band", "touchpoint", "team", "value_band", "month"]


def test_loop_metrics_for_people(looped: Settings) -> None:
    result = invoke(looped, "loop", "metrics", "--team", "web")
    assert result.exit_code == 0, result.output
    assert "contacted within SLA: 50.0%" in result.stdout
    assert "time to close (median): 6.0 h" in result.stdout
    assert "not an experiment" in result.stdout


def test_kpi_command_reads_the_loop_kpis(looped: Settings) -> None:
    rate = json.loads(invoke(looped, "kpi", "closed_loop_rate", "--json").stdout)
    assert (rate["kpi"], rate["n"], rate["value"]) == ("closed_loop_rate", 2, 0.5)
    ttc = json.loads(invoke(looped, "kpi", "time_to_close", "--by", "team", "--json").stdout)
    assert ttc == [pytest.approx(ttc[0])] and ttc[0]["team"] == "web"
    assert (ttc[0]["value"], ttc[0]["events"]) == (6.0, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-02-30"], "--since '2026-02-30' is not a date"),
        (["--since", "2026-03-02", "--until", "2026-03-01"], "must be after --since"),
    ],
)
def test_loop_metrics_errors_are_one_line(looped: Settings, args: list[str], message: str) -> None:
    result = invoke(looped, "loop", "metrics", *args)
    assert result.exit_code != 0
    assert message in result.output and len(result.output.strip().splitlines()) == 1
