"""``cxloop demo`` end to end, at a small size."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from cxloop.access.users import authenticate
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.demo.loading import ensure_demo_admin
from cxloop.project import open_project_warehouse

runner = CliRunner()


def test_demo_builds_and_loads_the_company_and_reruns_add_nothing(tmp_path: Path) -> None:
    project = tmp_path / "demo"
    result = runner.invoke(
        app, ["--project", str(project), "demo", "--customers", "300", "--no-serve", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    tables = doc["tables"]
    for table in (
        "source_records",
        "events",
        "orders",
        "feedback",
        "teams",
        "employees",
        "employee_pulses",
    ):
        assert tables[table] > 0, table
    assert all(r["rows_rejected"] == 0 for r in doc["imports"])
    assert {r["source"] for r in doc["imports"] if r["kind"] == "customers"} == {
        "crm",
        "webshop",
        "support",
        "app",
    }
    assert (Path(doc["ground_truth"]) / "duplicate_clusters.csv").is_file()
    assert doc["goals"] == tables["kpi_goals"] == 6  # the demo's goals.yaml, stored
    assert doc["end"] == date.today().isoformat() and doc["actions"] == 5

    # another day: the re-run keeps the first run's window, so it adds nothing
    again = runner.invoke(
        app,
        ["--project", str(project), "demo", "--customers", "300", "--no-serve", "--json",
         "--as-of", "2027-03-01"],
    )  # fmt: skip
    doc2 = json.loads(again.stdout)
    assert sum(r["rows_inserted"] for r in doc2["imports"]) == 0
    assert doc2["tables"] == tables
    assert (doc2["start"], doc2["end"], doc2["actions"]) == (doc["start"], doc["end"], 0)


def test_a_bad_as_of_date_is_one_line_naming_the_option(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--project", str(tmp_path), "demo", "--as-of", "7/12/2026"])
    assert result.exit_code == 2 and "--as-of" in result.output


def test_demo_admin_is_created_once_and_can_sign_in(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    settings = Settings.load(project=tmp_path)
    first = ensure_demo_admin(settings)
    second = ensure_demo_admin(settings)
    assert first == second
    assert (tmp_path / "demo_login.txt").stat().st_mode & 0o077 == 0
    with open_project_warehouse(settings) as wh:
        user = authenticate(wh, first.email, first.password)
    assert user is not None and user.role.value == "admin"
