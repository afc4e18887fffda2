"""``cxloop export identities|customers``: formats, files, standard output, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from customer_data import RECORDS, build_company
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse

runner = CliRunner()


@pytest.fixture
def ids(project: Settings) -> dict[str, str]:
    with open_project_warehouse(project) as wh:
        return build_company(wh)


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "export", *args])


def test_identities_csv_to_stdout(project: Settings, ids: dict[str, str]) -> None:
    result = invoke(project, "identities")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(RECORDS)
    assert {"source", "source_id", "customer_id", "match_probability"} <= set(rows[0])


def test_customers_json_lines_to_stdout(project: Settings, ids: dict[str, str]) -> None:
    result = invoke(project, "customers", "--format", "json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(line["customer_id"] for line in lines) == sorted(ids.values())


def test_parquet_to_a_file_with_a_json_report(
    project: Settings, ids: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "customers.parquet"
    result = invoke(project, "customers", "-f", "parquet", "--out", str(target), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report == {**report, "table": "customers", "format": "parquet", "rows": 3}
    assert pq.read_table(target).num_rows == 3


def test_a_file_export_says_what_it_wrote(
    project: Settings, ids: dict[str, str], tmp_path: Path
) -> None:
    result = invoke(project, "identities", "-o", str(tmp_path / "ids.csv"))
    assert result.exit_code == 0, result.output
    assert f"wrote {len(RECORDS)} identities" in result.stdout
    assert (tmp_path / "ids.csv").read_text(encoding="utf-8").startswith('"source"')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["identities", "-f", "parquet"], "give --out FILE"),
        (["identities", "-f", "xml"], "unknown format"),
        (["customers", "--json"], "give --out FILE"),
    ],
    ids=["parquet-stdout", "xml", "json-report-stdout"],
)
def test_usage_errors(project: Settings, args: list[str], message: str) -> None:
    result = invoke(project, *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_the_group_lists_its_exports(project: Settings) -> None:
    result = invoke(project, "--help")
    assert result.exit_code == 0
    assert "identities" in result.output and "customers" in result.output
