"""``cxloop churn fit|score`` on a small simulated shop: JSON, the profile's churn part, and
one-line errors that name the parameter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse
from understand.churn.churn_tables import add_churning_shop

runner = CliRunner()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("churn-cli") / "shop"
    init_project(directory)
    with open_project_warehouse(Settings.load(project=directory)) as wh:
        add_churning_shop(wh, customers=400)
    return directory


def cli(project: Path, *args: str):
    return runner.invoke(app, ["--project", str(project), *args])


@pytest.fixture(scope="module")
def fitted(shop: Path) -> dict:
    result = cli(shop, "churn", "fit", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_fit_reports_the_out_of_time_check_and_stores_the_model(shop: Path, fitted: dict) -> None:
    v = fitted["validation"]
    assert fitted["as_of"] == "2026-06-29" and fitted["horizon_days"] == 90
    assert v["validation_cutoff"] == "2026-03-31" and v["train_cutoff"] == "2025-12-31"
    assert v["model"]["auc"] > v["recency_baseline"]["auc"]  # NPS tells who is leaving
    assert [b["decile"] for b in v["reliability"]] == list(range(1, 11))
    assert max(fitted["train_cutoffs"]) == v["validation_cutoff"]
    assert (shop / fitted["model_file"]).is_file()
    with open_project_warehouse(Settings.load(project=shop)) as wh:
        models = wh.to_pandas(wh.table("churn_models"))
    assert models["model_id"].tolist() == [fitted["model_id"]]


def test_score_writes_risk_and_reasons_shown_on_the_profile(shop: Path, fitted: dict) -> None:
    result = cli(shop, "churn", "score", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["model_id"] == fitted["model_id"] and report["customers"] > 100
    with open_project_warehouse(Settings.load(project=shop)) as wh:
        scores = wh.to_pandas(wh.table("customer_churn"))
    assert len(scores) == report["customers"] and scores["risk"].between(0, 1).all()
    riskiest = scores.sort_values("risk").iloc[-1]
    profile = json.loads(cli(shop, "profile", riskiest["customer_id"], "--json").stdout)
    churn = profile["churn"]
    assert churn["risk"] == pytest.approx(riskiest["risk"]) and churn["horizon_days"] == 90
    assert churn["reasons"] and all(r["text"] and r["impact"] >= 0.01 for r in churn["reasons"])
    shown = cli(shop, "profile", riskiest["customer_id"])
    assert "churn risk, 90 days" in shown.stdout
    again = cli(shop, "churn", "score", "--json")  # replaces, never duplicates
    with open_project_warehouse(Settings.load(project=shop)) as wh:
        assert wh.counts()["customer_churn"] == json.loads(again.stdout)["customers"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--horizon-days", "3"), "--horizon-days 3: use 7 to 730 days"),
        (("--active-days", "5"), "--active-days 5: use 30 to 3,650 days"),
        (("--as-of", "2026-02-30"), "--as-of '2026-02-30' is not a date (YYYY-MM-DD)"),
        (("--as-of", "2025-03-01"), "churn fit needs purchases before 2024-09-02"),
    ],
)
def test_bad_fit_arguments_are_one_line_errors(shop: Path, args: tuple, message: str) -> None:
    result = cli(shop, "churn", "fit", *args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_score_without_a_model_or_with_a_changed_file(tmp_path: Path, shop: Path, fitted) -> None:
    empty = tmp_path / "empty"
    init_project(empty)
    result = cli(empty, "churn", "score")
    assert (
        result.exit_code == 1 and "no churn model fitted yet: run cxloop churn fit" in result.output
    )
    model_file = shop / fitted["model_file"]
    original = model_file.read_bytes()
    model_file.write_bytes(original + b"tampered")
    try:
        result = cli(shop, "churn", "score")
        assert result.exit_code == 1 and "has changed since it was fitted" in result.output
    finally:
        model_file.write_bytes(original)
