"""``cxloop resolve``, through its command function (the lead registers it in cli/main.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from typer.testing import CliRunner

from cxloop.cli.errors import report_errors
from cxloop.cli.resolve import resolve_command
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from unify.rows import record, write_rows

app = typer.Typer()


@app.callback()
def main(
    ctx: typer.Context,
    project: Annotated[Path | None, typer.Option("--project", "-p")] = None,
) -> None:
    ctx.obj = project


app.command("resolve")(report_errors(resolve_command))


def fill(settings: Settings) -> None:
    with open_project_warehouse(settings) as wh:
        write_rows(
            wh,
            "source_records",
            [
                record("crm", "1", first_name="Ana", last_name="Ruiz", email="ana@x.com"),
                record("web", "9", first_name="Ana", email="ANA@x.com"),
                record("web", "5", first_name="Luis", email="luis@x.com"),
            ],
        )


def test_resolve_prints_counts_as_json(project: Settings) -> None:
    fill(project)
    result = CliRunner().invoke(app, ["--project", str(project.project), "resolve", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["customers"] == 2
    assert report["links"] == {"deterministic:email": 1}
    assert report["mode"] == "incremental"
    again = CliRunner().invoke(
        app, ["--project", str(project.project), "resolve", "--full", "--json"]
    )
    assert json.loads(again.output)["mode"] == "full"


def test_resolve_prints_a_table(project: Settings) -> None:
    fill(project)
    result = CliRunner().invoke(app, ["--project", str(project.project), "resolve"])
    assert result.exit_code == 0, result.output
    assert "customers" in result.output
    assert "deterministic:email" in result.output


def test_a_busy_or_missing_warehouse_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "proj"
    bad.mkdir()
    (bad / "cxloop.toml").write_text(
        f'[cxloop]\nwarehouse = "duckdb:///{tmp_path}/missing/dir/x.duckdb"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["--project", str(bad), "resolve"])
    assert result.exit_code != 0
    assert "error:" in result.output
