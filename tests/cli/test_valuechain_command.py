"""``cxloop valuechain fit`` and ``run``: the issue's JSON, tables, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from valuechain_models import MODEL_FILE, plspm_data
from valuechain_tables import seed_chain_company

runner = CliRunner()


def test_fit_json_matches_smartpls_and_has_the_issue_keys() -> None:
    data = plspm_data("mobi.csv")
    result = runner.invoke(app, ["valuechain", "fit", "--data", str(data), "--model",
                                 str(MODEL_FILE), "--scheme", "factorial", "--bootstrap", "30",
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {"paths", "r2", "total_effects", "gof", "weights"} <= set(doc)
    paths = {(p["from"], p["to"]): p for p in doc["paths"]}
    assert set(paths[("Image", "Expectation")]) == {"from", "to", "coef", "ci_low", "ci_high"}
    assert paths[("Image", "Expectation")]["coef"] == pytest.approx(0.50494314, abs=5e-4)
    assert paths[("Complaints", "Loyalty")]["coef"] == pytest.approx(0.07031057, abs=5e-4)
    low, high = (
        paths[("Quality", "Satisfaction")]["ci_low"],
        paths[("Quality", "Satisfaction")]["ci_high"],
    )
    assert low < 0.51297470 < high
    assert doc["r2"]["Satisfaction"] == pytest.approx(0.6807, abs=1e-3)
    totals = {(e["from"], e["to"]): e["coef"] for e in doc["total_effects"]}
    assert totals[("Image", "Loyalty")] == pytest.approx(0.399, abs=2e-3)
    assert doc["scheme"] == "factorial" and doc["bootstrap"] == 30 and 0 < doc["gof"] < 1


def test_fit_prints_tables() -> None:
    result = runner.invoke(app, ["valuechain", "fit", "--data", str(plspm_data("mobi.csv")),
                                 "--model", str(MODEL_FILE)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "path coefficients (path scheme, n=250)" in result.stdout and "GoF" in result.stdout


def test_fit_errors_are_one_line(tmp_path: Path) -> None:
    data = plspm_data("mobi.csv")
    bad = tmp_path / "model.yaml"
    bad.write_text(MODEL_FILE.read_text().replace("CUEX3]", "CUEX9]"))
    result = runner.invoke(app, ["valuechain", "fit", "--data", str(data), "--model", str(bad)])
    assert result.exit_code != 0
    assert "model.yaml:3: blocks.Expectation.2: column 'CUEX9' is not in the data" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(app, ["valuechain", "fit", "--data", str(data), "--model",
                                 str(MODEL_FILE), "--scheme", "mode"])  # fmt: skip
    assert result.exit_code != 0 and "--scheme 'mode'" in result.output
    result = runner.invoke(app, ["valuechain", "fit", "--data", str(tmp_path / "no.csv"),
                                 "--model", str(MODEL_FILE)])  # fmt: skip
    assert result.exit_code != 0 and "no.csv: file not found" in result.output


def test_run_on_the_warehouse(project: Settings) -> None:
    with open_project_warehouse(project) as wh:
        seed_chain_company(wh)
    result = runner.invoke(app, ["--project", str(project.project), "valuechain", "run",
                                 "--bootstrap", "50", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["unit"] == "team x quarter" and doc["teams"] == 6 and doc["cases"] == 48
    paths = {(p["from"], p["to"]): p for p in doc["fit"]["paths"]}
    assert paths[("Engagement", "Quality")]["ci_low"] > 0.3
    assert {o["outcome"] for o in doc["outcomes"]} == {"Satisfaction", "Loyalty", "Revenue"}
    table = runner.invoke(app, ["--project", str(project.project), "valuechain", "run",
                                "--bootstrap", "0"])  # fmt: skip
    assert table.exit_code == 0 and "what Engagement explains" in table.stdout


def test_run_on_an_empty_warehouse_says_why(project: Settings) -> None:
    result = runner.invoke(app, ["--project", str(project.project), "valuechain", "run"])
    assert result.exit_code != 0
    assert "team x quarter cells" in result.output and "the warehouse has 0" in result.output
