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


def run_cxloop(settings: Settings, *args: str):
    from cxloop.cli.main import app as cxloop

    return CliRunner().invoke(cxloop, ["--project", str(settings.project), *args])


def test_plain_resolve_still_works_under_the_real_command_group(project: Settings) -> None:
    fill(project)
    result = run_cxloop(project, "resolve", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["customers"] == 2
    result = run_cxloop(project, "resolve", "--full")
    assert result.exit_code == 0 and "customers" in result.output


def test_explain_prints_the_waterfall(project: Settings) -> None:
    fill(project)
    run_cxloop(project, "resolve")
    result = run_cxloop(project, "resolve", "explain", "crm:1", "web:9", "--json")
    assert result.exit_code == 0, result.output
    why = json.loads(result.output)
    assert why["decision"] == "linked" and why["direct_link"] == "deterministic:email"
    assert {c["name"] for c in why["comparisons"]} >= {"name", "email"}
    table = run_cxloop(project, "resolve", "explain", "crm:1", "web:5")
    assert table.exit_code == 0, table.output
    for text in ("waterfall", "prior", "total", "threshold", "not_linked"):
        assert text in table.output
    missing = run_cxloop(project, "resolve", "explain", "crm:1", "nope:1")
    assert missing.exit_code != 0
    assert missing.output.strip().startswith("error: no source record 'nope:1'")


def test_merge_split_list_and_remove_overrides(project: Settings) -> None:
    fill(project)
    run_cxloop(project, "resolve")
    merged = run_cxloop(project, "resolve", "merge", "crm:1", "web:5", "--reason", "same", "--json")
    assert merged.exit_code == 0, merged.output
    body = json.loads(merged.output)
    assert len(set(body["customers"].values())) == 1
    assert body["override"]["created_by"].startswith("cli:")
    split = run_cxloop(project, "resolve", "split", "web:9", "--json")
    assert split.exit_code == 0, split.output
    split_id = json.loads(split.output)["override"]["override_id"]
    listed = json.loads(run_cxloop(project, "resolve", "overrides", "--json").output)
    assert [o["kind"] for o in listed] == ["merge", "split"]
    table = run_cxloop(project, "resolve", "overrides")
    assert split_id in table.output
    removed = run_cxloop(project, "resolve", "unoverride", split_id)
    assert removed.exit_code == 0 and split_id in removed.output
    assert len(json.loads(run_cxloop(project, "resolve", "overrides", "--json").output)) == 1
    everything = json.loads(run_cxloop(project, "resolve", "overrides", "--all", "--json").output)
    assert everything[1]["removed_at"] is not None
    again = run_cxloop(project, "resolve", "unoverride", split_id)
    assert again.exit_code != 0 and "already removed" in again.output
    bad = run_cxloop(project, "resolve", "merge", "crm:1")
    assert bad.exit_code != 0 and "error: name at least two" in bad.output
