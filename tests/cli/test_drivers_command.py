"""``cxloop drivers``: JSON with both methods and intervals, a table, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from driver_tables import seed_driver_company

runner = CliRunner()


@pytest.fixture
def filled(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        seed_driver_company(wh)
    return project


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "drivers", *args])


def test_json_has_both_methods_with_intervals(filled: Settings) -> None:
    result = invoke(filled, "--outcome", "nps", "--bootstrap", "40", "--json",
                    "--drivers", "touchpoint:delivery,theme:billing,touchpoint:store")  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["outcome"] == "nps" and doc["bootstrap"] == 40 and doc["n"] == 120
    assert [d["name"] for d in doc["drivers"]][2] == "touchpoint:store"
    for driver in doc["drivers"]:
        for key in ("relative_weight", "shapley", "performance", "n"):
            assert driver[key] is not None
        assert driver["shapley_ci_low"] <= driver["shapley"] <= driver["shapley_ci_high"]
        assert driver["relative_weight_ci_low"] <= driver["relative_weight_ci_high"]
    assert sum(d["shapley"] for d in doc["drivers"]) == pytest.approx(doc["r2"])


def test_the_table(filled: Settings) -> None:
    result = invoke(filled, "--outcome", "churn", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    assert "key drivers of churn (linear probability" in result.stdout
    assert "touchpoint:delivery" in result.stdout and "Shapley" in result.stdout


def test_errors_are_one_line(filled: Settings) -> None:
    result = invoke(filled, "--drivers", "theme:billing,touchpoint:moon")
    assert result.exit_code != 0
    assert "unknown driver 'touchpoint:moon'; valid: rating:brand.value" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = invoke(filled, "--outcome", "happiness")
    assert result.exit_code != 0 and "unknown outcome 'happiness'" in result.output
    result = invoke(filled, "--bootstrap", "-1")
    assert result.exit_code != 0 and "bootstrap must be 0 or more" in result.output
    result = invoke(filled, "--drivers", " , ")
    assert result.exit_code != 0 and "--drivers names no driver" in result.output
