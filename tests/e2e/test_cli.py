"""The ``cxloop`` command as a user runs it: Typer's runner and real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from filetools import write_csv

runner = CliRunner()
CUSTOMERS = [
    {"customer_id": "1", "first_name": "Ana", "email": "ana@example.es", "loyalty": "gold"},
    {"customer_id": "2", "first_name": "李", "email": "li@qq.com", "loyalty": ""},
]


def cx(project: Path, *args: str):
    return runner.invoke(app, ["--project", str(project), *args])


def status(project: Path) -> dict:
    result = cx(project, "status", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_init_then_status(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    result = runner.invoke(app, ["init", str(project)])
    assert result.exit_code == 0, result.output
    for rel in (
        "cxloop.toml",
        "mappings/example_customers.yaml",
        "goals.yaml",
        "tracking_plan.yaml",
    ):
        assert (project / rel).is_file()
    ignored = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    for generated in ("cxloop.duckdb", ".cxloop_secret", "models/", "demo_data/"):
        assert generated in ignored
    doc = status(project)
    assert doc["warehouse"] == f"duckdb://{(project / 'cxloop.duckdb').resolve()}"
    assert doc["schema_version"] >= 1
    assert doc["tables"]["customers"] == 0 and "audit_log" in doc["tables"]
    again = runner.invoke(app, ["init", str(project), "--json"])
    assert json.loads(again.stdout)["created"] == []


def test_import_good_then_bad_then_again(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    runner.invoke(app, ["init", str(project)])
    good = write_csv(tmp_path / "crm.csv", CUSTOMERS)
    result = cx(project, "import", "customers", str(good), "--source", "crm", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows_inserted"] == 2 and report["kept_as_attributes"] == ["loyalty"]
    before = status(project)

    bad = write_csv(tmp_path / "bad.csv", [dict(CUSTOMERS[0], customer_id="9", email="nope")])
    result = cx(project, "import", "customers", str(bad), "--source", "crm")
    assert result.exit_code == 1
    assert "bad.csv:2:email: expected an e-mail address, got 'nope'" in result.output
    assert "Traceback" not in result.output
    assert status(project) == before

    result = cx(project, "import", "customers", str(good), "--source", "crm", "--json")
    assert json.loads(result.stdout)["rows_inserted"] == 0
    assert status(project) == before


def test_skip_bad_rows_from_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    runner.invoke(app, ["init", str(project)])
    path = write_csv(
        tmp_path / "fb.csv",
        [
            {"feedback_id": "1", "ts": "2025-01-01", "nps": "10"},
            {"feedback_id": "2", "ts": "2025-01-01", "nps": "99"},
        ],
    )
    result = cx(project, "import", "feedback", str(path), "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert "rejected" in result.output
    assert (tmp_path / "fb.rejects.csv").is_file()
    assert status(project)["tables"]["feedback"] == 1


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["import", "clients", "x.csv"], "unknown import kind 'clients'", 2),
        (["import", "customers", "missing.csv"], "missing.csv", 1),
    ],
)
def test_user_mistakes_get_one_line(
    tmp_path: Path, args: list[str], message: str, code: int
) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    result = cx(tmp_path, *args)
    assert result.exit_code == code
    assert message in result.output
    assert result.output.strip().startswith("error:")
    assert "Traceback" not in result.output


def _env(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXLOOP_")}
    env["CXLOOP_PROJECT"] = str(project)
    return env


def test_real_subprocesses(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    exe = Path(sys.executable).with_name("cxloop")
    done = subprocess.run(
        [str(exe), "init", str(project)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    good = write_csv(tmp_path / "crm.csv", CUSTOMERS)
    done = subprocess.run(
        [sys.executable, "-m", "cxloop", "import", "customers", str(good), "--source", "crm"],
        capture_output=True,
        text=True,
        env=_env(project),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [str(exe), "status", "--json"],
        capture_output=True,
        text=True,
        env=_env(project),
        check=False,
    )
    assert json.loads(done.stdout)["tables"]["source_records"] == 2
    done = subprocess.run(
        [str(exe), "import", "customers", str(tmp_path / "nope.csv")],
        capture_output=True,
        text=True,
        env=_env(project),
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error:")
