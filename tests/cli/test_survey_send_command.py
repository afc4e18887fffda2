"""``cxloop survey send`` and ``cxloop survey funnel`` against a real SMTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from act.invitation_data import add_customers
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from smtp_server import PASSWORD, USER, smtp_server

runner = CliRunner()
SURVEY_YAML = """\
id: post-delivery
languages: [en, es]
title: {en: "How was your delivery?", es: "¿Qué tal su entrega?"}
questions:
  - id: csat
    type: csat
    text: {en: "How satisfied are you?", es: "¿Está satisfecho?"}
"""


@pytest.fixture
def shop(project: Settings) -> Settings:
    (project.project / "surveys" / "post-delivery.yaml").write_text(SURVEY_YAML, "utf-8")
    with open_project_warehouse(project) as wh:
        add_customers(wh, ("C1", "ann@example.com", "en", "Ann"),
                      ("C2", "bea@example.com", "es", "Bea"))  # fmt: skip
    (project.project / "ids.txt").write_text("C1\nC2\n", encoding="utf-8")
    return project


def _configure(project: Settings, port: int, **extra: str) -> None:
    lines = ['smtp_host = "127.0.0.1"', f"smtp_port = {port}", 'smtp_security = "none"',
             'mail_from = "Acme <cx@acme.example>"', 'public_base_url = "https://cx.acme.example"',
             *(f'{k} = "{v}"' for k, v in extra.items())]  # fmt: skip
    toml = project.project / "cxloop.toml"
    toml.write_text(toml.read_text("utf-8") + "\n" + "\n".join(lines) + "\n", "utf-8")


def invoke(project: Settings, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["--project", str(project.project), "survey", *args], env=env)


def test_send_then_funnel(shop: Settings) -> None:
    with smtp_server() as (inbox, port):
        _configure(shop, port)
        result = invoke(shop, "send", "post-delivery", "--customers",
                        str(shop.project / "ids.txt"), "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == {"sent": 2}
    assert sorted(m["Subject"] for m in inbox.messages) == [
        "How was your delivery?", "¿Qué tal su entrega?",
    ]  # fmt: skip
    funnel = invoke(shop, "funnel", "post-delivery", "--json")
    assert funnel.exit_code == 0, funnel.output
    assert json.loads(funnel.stdout) | {} == {
        "survey_id": "post-delivery", "sent": 2, "opened": 0, "started": 0, "responded": 0,
        "failed": 0, "throttled": 0, "no_consent": 0, "open_rate": 0.0, "response_rate": 0.0,
        "completion_rate": None,
    }  # fmt: skip
    table = invoke(shop, "funnel")
    assert table.exit_code == 0 and "post-delivery" in table.stdout and "sent" in table.stdout


def test_dry_run_needs_no_smtp_and_changes_nothing(shop: Settings) -> None:
    result = invoke(shop, "send", "post-delivery", "--customers", str(shop.project / "ids.txt"),
                    "--dry-run")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "would send" in result.stdout and "nothing was written" in result.stdout
    with open_project_warehouse(shop) as wh:
        assert wh.counts()["survey_invitations"] == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["send", "post-delivery"], 2, "exactly one of --segment, --customers or --after-event"),
        (["send", "post-delivery", "--segment", "a", "--after-event", "b"], 2, "exactly one"),
        (["send", "post-delivery", "--segment", "a", "--since", "2026-01-01"], 2,
         "--since goes with --after-event"),
        (["send", "post-delivery", "--after-event", "delivered", "--since", "yesterday"], 2,
         "--since 'yesterday' is not a date"),
        (["send", "nope", "--segment", "vip", "--dry-run"], 2, "survey 'nope': not in surveys"),
        (["send", "post-delivery", "--segment", "vip", "--dry-run"], 2,
         "--segment 'vip': no such segment"),
        (["send", "post-delivery", "--segment", "vip"], 1, "setting 'smtp_host' is not set"),
    ],
)  # fmt: skip
def test_mistakes_are_one_line(shop: Settings, args: list[str], code: int, message: str) -> None:
    result = invoke(shop, *args)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]


def test_a_bad_id_is_named_with_its_line(shop: Settings, tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("C1\nC9\n", encoding="utf-8")
    result = invoke(shop, "send", "post-delivery", "--customers", str(path), "--dry-run")
    assert result.exit_code == 1
    assert "ids.txt: unknown customer ids (line 2: 'C9')" in result.stderr


def test_an_smtp_outage_is_recorded_and_exits_non_zero_without_the_password(
    shop: Settings,
) -> None:
    with smtp_server(auth=True) as (inbox, port):
        _configure(shop, port, smtp_user=USER)
        env = {"CXLOOP_SMTP_PASSWORD": "not-" + PASSWORD}
        failed = invoke(shop, "send", "post-delivery", "--customers",
                        str(shop.project / "ids.txt"), env=env)  # fmt: skip
        assert failed.exit_code == 1, failed.output
        assert "refused the login of 'mailer'" in failed.output
        assert PASSWORD not in failed.output
        ok = invoke(shop, "send", "post-delivery", "--customers", str(shop.project / "ids.txt"),
                    env={"CXLOOP_SMTP_PASSWORD": PASSWORD})  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert len(inbox.messages) == 2
    funnel = json.loads(invoke(shop, "funnel", "--json").stdout)
    assert [(f["survey_id"], f["sent"], f["failed"]) for f in funnel] == [("post-delivery", 2, 0)]


PULSE_YAML = """\
id: team-pulse
audience: employees
title: {en: "Team pulse"}
questions:
  - id: enps
    type: enps
    text: {en: "Would you recommend us as a place to work?"}
"""


def test_an_employee_survey_goes_to_a_team(shop: Settings) -> None:
    (shop.project / "surveys" / "team-pulse.yaml").write_text(PULSE_YAML, "utf-8")
    with open_project_warehouse(shop) as wh:
        wh.append_rows("employees", [
            {"employee_id": "E1", "team_id": "billing", "name": "Ana", "email": "ana@acme.example"},
            {"employee_id": "E2", "team_id": "support", "name": "Bo", "email": "bo@acme.example"},
        ])  # fmt: skip
    refused = invoke(shop, "send", "team-pulse", "--segment", "vip", "--dry-run")
    assert refused.exit_code == 2 and "is for employees" in refused.stderr
    with smtp_server() as (inbox, port):
        _configure(shop, port)
        result = invoke(shop, "send", "team-pulse", "--team", "billing", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["counts"] == {"sent": 1} and doc["outcomes"][0]["employee_id"] == "E1"
    assert [m["To"] for m in inbox.messages] == ["ana@acme.example"]
    everyone = invoke(shop, "send", "team-pulse", "--all-employees", "--dry-run", "--json")
    # another trigger is another invitation: E1 was surveyed just now, so it is throttled
    assert json.loads(everyone.stdout)["counts"] == {"throttled": 1, "pending": 1}


def test_while_the_server_holds_the_warehouse_the_error_names_the_api_route(
    shop: Settings,
) -> None:
    import subprocess
    import sys

    from cxloop.storage.backends.duckdb import path_from_url

    path = path_from_url(shop.warehouse_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "
         "print('ok', flush=True); time.sleep(30)", path],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = invoke(shop, "send", "post-delivery", "--segment", "vip", "--dry-run")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "POST /v1/surveys/post-delivery/send" in lines[0]
