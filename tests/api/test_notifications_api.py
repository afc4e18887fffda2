"""``GET /v1/notifications``: admins only; an agent's action through the API writes its
notification, and the log shows it with its tries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from act.case_data import DETRACTOR_RULE, add_company, add_feedback, write_rules
from cxloop.access.keys import add_key
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project, open_project_warehouse

CHANNELS = """\
channels:
  - id: assignments
    type: email
    to: [assignee]
    events: [assigned]
"""


@pytest.fixture
def served(tmp_path):  # type: ignore[no-untyped-def]
    directory = tmp_path / "acme"
    init_project(directory)
    (directory / "notifications.yaml").write_text(CHANNELS, encoding="utf-8")
    settings = Settings.load(project=directory, loop_interval_s=0, notify_interval_s=0)
    write_rules(directory, detractor=DETRACTOR_RULE)
    keys: dict[str, str] = {}
    with open_project_warehouse(settings) as wh:
        for role in Role:
            keys[role.value] = add_key(wh, "api", role=role)[1]
        add_company(wh)
        add_feedback(wh, "F1", "C1", datetime.now(UTC) - timedelta(hours=2), nps=3)
        run_loop(wh, load_rules(directory))
    with TestClient(create_app(settings)) as client:
        yield client, keys


def auth(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_only_admins_read_the_delivery_log(served) -> None:
    client, keys = served
    assert client.get("/v1/notifications").status_code == 401
    for role in ("viewer", "agent", "analyst"):
        assert client.get("/v1/notifications", headers=auth(keys, role)).status_code == 403
    empty = client.get("/v1/notifications", headers=auth(keys, "admin"))
    assert empty.status_code == 200 and empty.json() == {"items": [], "tries": []}


def test_an_assignment_through_the_api_is_notified_and_listed(served) -> None:
    client, keys = served
    [case] = client.get("/v1/cases", headers=auth(keys, "agent")).json()["items"]
    posted = client.post(
        f"/v1/cases/{case['case_id']}/events",
        json={"kind": "assigned", "assignee": "ann@acme.example"},
        headers=auth(keys, "agent"),
    )
    assert posted.status_code == 201, posted.text
    log = client.get("/v1/notifications", headers=auth(keys, "admin")).json()
    [item] = log["items"]
    assert (item["event_kind"], item["recipient"], item["status"]) == (
        "assigned", "ann@acme.example", "pending"
    )  # fmt: skip
    assert item["case_id"] == case["case_id"] and log["tries"] == []
    pending = client.get(
        "/v1/notifications", params={"status": "failed"}, headers=auth(keys, "admin")
    )
    assert pending.json()["items"] == []
    bad = client.get("/v1/notifications", params={"status": "lost"}, headers=auth(keys, "admin"))
    assert bad.status_code == 422 and "error" in bad.json()
