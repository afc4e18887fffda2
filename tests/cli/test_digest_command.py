"""``cxloop digest send``: the dry run's files and JSON, a real send once, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from share.digest_data import build_company
from smtp_server import smtp_server

runner = CliRunner()


@pytest.fixture
def company(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        build_company(wh)
    return project


def invoke(project: Settings, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--project", str(project.project), *args], env=env)


def test_dry_run_writes_previews_and_sends_nothing(company: Settings, tmp_path: Path) -> None:
    out = tmp_path / "previews"
    result = invoke(
        company, "digest", "send", "--kind", "team", "--team", "billing",
        "--period-end", "2026-12-06", "--dry-run", "--out", str(out), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["week"] == "week:2026-12-06" and report["counts"] == {"pending": 1}
    assert sorted(p.name for p in out.iterdir()) == [
        "team-billing-E2-week-2026-12-06.eml", "team-billing-E2-week-2026-12-06.html",
    ]  # fmt: skip
    with open_project_warehouse(company) as wh:
        assert wh.to_pyarrow(wh.table("digests")).num_rows == 0


def test_send_then_send_again(company: Settings) -> None:
    with smtp_server() as (inbox, port):
        env = {"CXLOOP_SMTP_HOST": "127.0.0.1", "CXLOOP_SMTP_PORT": str(port),
               "CXLOOP_SMTP_SECURITY": "none", "CXLOOP_MAIL_FROM": "cx@acme.example",
               "CXLOOP_PUBLIC_BASE_URL": "https://cx.acme.example"}  # fmt: skip
        args = ("digest", "send", "--kind", "team", "--period-end", "2026-12-06")
        first = invoke(company, *args, env=env)
        assert first.exit_code == 0, first.output
        assert "sent 3" in first.stdout
        second = invoke(company, *args, env=env)
        assert "already_sent 3" in second.stdout
    assert len(inbox.messages) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--out", "x"), "--out writes the messages of a --dry-run"),
        (("--kind", "everyone"), "--kind 'everyone'"),
        (("--period-end", "last monday"), "--period-end 'last monday'"),
        (("--team", "nope", "--dry-run"), "no team with id 'nope'"),
        ((), "setting 'smtp_host' is not set"),
    ],
)
def test_mistakes_exit_non_zero_with_one_line(company: Settings, args, message) -> None:
    result = invoke(company, "digest", "send", *args)
    assert result.exit_code != 0
    assert message in result.output and len(result.output.strip().splitlines()) == 1
