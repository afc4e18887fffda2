"""``cxloop notify channels|test|deliveries|retry`` and the dispatch at the end of ``cxloop
loop run``: JSON contracts, one-line errors naming the file and line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from act.case_data import DETRACTOR_RULE, add_company, add_feedback, write_rules
from cxloop.act.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from webhook_receiver import webhook_receiver

runner = CliRunner()
SECRET = "cli-secret-value"


def invoke(project: Settings, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["--project", str(project.project), *args], env={"OPS_SECRET": SECRET}
    )


def channels(project: Settings, url: str) -> None:
    (project.project / "notifications.yaml").write_text(
        f"backoff_seconds: 0.01\nmax_attempts: 2\nchannels:\n  - id: ops\n    type: webhook\n"
        f"    url: {url}\n    secret_env: OPS_SECRET\n  - id: people\n    type: email\n"
        f"    to: [lead]\n",
        encoding="utf-8",
    )


def test_channels_lists_and_a_mistake_names_the_line(project: Settings) -> None:
    channels(project, "https://hooks.example/x")
    listed = json.loads(invoke(project, "notify", "channels", "--json").stdout)
    assert [(c["id"], c["type"], c["ready"]) for c in listed] == [
        ("ops", "webhook", True), ("people", "email", True)
    ]  # fmt: skip
    path = project.project / "notifications.yaml"
    path.write_text("channels:\n  - id: ops\n    type: webhook\n    url: nope\n    secret_env: S\n")
    bad = invoke(project, "notify", "channels")
    assert bad.exit_code != 0
    assert f"{path}:4: channels.0.url" in bad.output and len(bad.output.strip().splitlines()) == 1


def test_test_message_loop_run_deliveries_and_retry(project: Settings) -> None:
    with open_project_warehouse(project) as wh:
        add_company(wh)
        add_feedback(wh, "F1", "C1", datetime.now(UTC) - timedelta(hours=1), nps=1)
    write_rules(project.project, detractor=DETRACTOR_RULE)
    with webhook_receiver(answers=[200, 500, 500, 200]) as receiver:
        channels(project, receiver.url)
        tested = invoke(project, "notify", "test", "ops")
        assert tested.exit_code == 0 and "ops" in tested.stdout and "sent" in tested.stdout
        (headers, body) = receiver.received[0]
        assert verify_signature(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        assert json.loads(body)["type"] == "case.test"
        mail = invoke(project, "notify", "test", "people")
        assert mail.exit_code != 0 and "--to" in mail.output

        run = json.loads(invoke(project, "loop", "run", "--json").stdout)
        assert len(run["opened"]) == 1
        # the webhook's first try fails; the lead's e-mail fails: no SMTP server is set
        assert run["notifications"]["failed_tries"] == 2
        import time

        time.sleep(0.05)
        invoke(project, "loop", "run")  # second tries: the webhook fails again
        failed = json.loads(
            invoke(project, "notify", "deliveries", "--status", "failed", "--json").stdout
        )
        assert {(f["channel_id"], f["attempts"]) for f in failed} == {("ops", 2), ("people", 2)}
        assert any("smtp_host" in (f["last_error"] or "") for f in failed)
        retried = json.loads(invoke(project, "notify", "retry", "--json").stdout)
        assert retried == {"sent": 1, "failed_tries": 1, "waiting": 0}
    assert len(receiver.received) == 4
    table = invoke(project, "notify", "deliveries")
    assert table.exit_code == 0 and "sent" in table.stdout
    bad = invoke(project, "notify", "deliveries", "--status", "lost")
    assert bad.exit_code != 0 and "--status" in bad.output
