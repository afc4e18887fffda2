"""``POST /v1/surveys/{id}/send``: analysts send through the server (which holds the DuckDB
file), over a real SMTP server on loopback; dry runs; every call audited; errors as 4xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from act.invitation_data import add_customers
from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project, open_project_warehouse
from smtp_server import Inbox, smtp_server


@pytest.fixture
def sending(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Inbox]]:
    directory = tmp_path / "acme"
    init_project(directory)
    with smtp_server() as (inbox, port):
        toml = directory / "cxloop.toml"
        toml.write_text(toml.read_text("utf-8") + "\n" + "\n".join([
            'smtp_host = "127.0.0.1"', f"smtp_port = {port}", 'smtp_security = "none"',
            'mail_from = "Acme <cx@acme.example>"', 'public_base_url = "https://cx.acme.example"',
        ]) + "\n", "utf-8")  # fmt: skip
        settings = Settings.load(project=directory)
        with open_project_warehouse(settings) as wh:
            keys = {role.value: add_key(wh, "api", role=role)[1] for role in Role}
            add_customers(wh, ("C1", "ann@example.com", "en", "Ann"),
                          ("C2", "bea@example.com", "es", "Bea"))  # fmt: skip
            wh.append_rows("employees", [{"employee_id": "E1", "team_id": "billing",
                                          "name": "Eve", "email": "eve@acme.example"}])  # fmt: skip
        with TestClient(create_app(settings)) as client:
            yield client, keys, inbox


def _auth(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def _audit(client: TestClient) -> list[dict]:
    wh = client.app.state.warehouse
    log = wh.to_pandas(wh.table("audit_log"))
    return log[log["action"] == "send"].to_dict("records")


def test_an_analyst_sends_while_the_server_holds_the_warehouse(sending) -> None:
    client, keys, inbox = sending
    body = {"customer_ids": ["C1", "C2"], "dry_run": True}
    dry = client.post("/v1/surveys/post-delivery/send", json=body, headers=_auth(keys, "analyst"))
    assert dry.status_code == 200, dry.text
    assert dry.json()["counts"] == {"pending": 2} and inbox.messages == []
    sent = client.post("/v1/surveys/post-delivery/send", json={"customer_ids": ["C1", "C2"]},
                       headers=_auth(keys, "analyst"))  # fmt: skip
    assert sent.status_code == 200, sent.text
    assert sent.json()["counts"] == {"sent": 2}
    assert sorted(m["To"] for m in inbox.messages) == ["ann@example.com", "bea@example.com"]
    records = _audit(client)
    assert [json.loads(r["details"])["dry_run"] for r in records] == [True, False]
    assert all(r["target_id"] == "post-delivery" and r["actor"].startswith("key:")
               for r in records)  # fmt: skip
    assert json.loads(records[1]["details"])["counts"] == {"sent": 2}


def test_an_employee_survey_goes_to_a_team(sending) -> None:
    client, keys, inbox = sending
    got = client.post("/v1/surveys/employee-enps/send", json={"team": "billing"},
                      headers=_auth(keys, "admin"))  # fmt: skip
    assert got.status_code == 200, got.text
    assert [(o["employee_id"], o["status"]) for o in got.json()["outcomes"]] == [("E1", "sent")]
    assert [m["To"] for m in inbox.messages] == ["eve@acme.example"]


@pytest.mark.parametrize(
    ("path", "body", "role", "status", "text"),
    [
        ("post-delivery", {"segment": "vip"}, "agent", 403, "analyst"),
        ("post-delivery", {"segment": "vip"}, "viewer", 403, "analyst"),
        ("post-delivery", {"segment": "vip", "team": "a"}, "analyst", 422, "exactly one of"),
        ("post-delivery", {}, "analyst", 422, "exactly one of"),
        ("post-delivery", {"segment": "vip", "since": "2026-01-01T00:00:00"}, "analyst", 422,
         "since goes with after_event"),
        ("nope", {"segment": "vip"}, "analyst", 404, "no survey 'nope'"),
        ("post-delivery", {"segment": "vip", "dry_run": True}, "analyst", 404,
         "no such segment"),
        ("post-delivery", {"customer_ids": ["C1", "X9"]}, "analyst", 400,
         "customer_ids: unknown customer ids"),
        ("post-delivery", {"team": "billing"}, "analyst", 400, "invite employees"),
        ("employee-enps", {"customer_ids": ["C1"]}, "analyst", 400, "is for employees"),
    ],
)  # fmt: skip
def test_mistakes_are_4xx_with_a_reason(
    sending, path: str, body: dict, role: str, status: int, text: str
) -> None:
    client, keys, inbox = sending
    got = client.post(f"/v1/surveys/{path}/send", json=body, headers=_auth(keys, role))
    assert got.status_code == status, got.text
    assert text in json.dumps(got.json()["error"]), got.text
    assert inbox.messages == []
