"""``/v1/advocates``: the ranking for agents (audited), the invite for analysts (audited; a
dry run changes nothing), and the segments part of ``/v1/customers/{id}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advocate_tables import add_promoters
from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse
from smtp_server import Inbox, smtp_server

API = tuple[TestClient, dict[str, str], Warehouse, Inbox, Settings]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[API]:
    directory = tmp_path / "acme"
    init_project(directory)
    with smtp_server() as (inbox, port):
        settings = Settings.load(
            project=directory, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
            mail_from="Acme <cx@acme.example>", public_base_url="https://cx.acme.example",
        )  # fmt: skip
        warehouse = open_warehouse(settings.warehouse_url)
        add_promoters(warehouse)
        keys = {role.value: add_key(warehouse, "api", role=role)[1] for role in Role}
        with TestClient(create_app(settings, warehouse=warehouse)) as client:
            yield client, keys, warehouse, inbox, settings
        warehouse.close()


def auth(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def _audit(warehouse: Warehouse) -> list[dict[str, object]]:
    return warehouse.to_pandas(warehouse.table("audit_log")).to_dict("records")  # type: ignore[no-any-return]


def test_the_ranking_needs_an_agent_and_is_audited(api: API) -> None:
    client, keys, warehouse, _, _ = api
    assert client.get("/v1/advocates").status_code == 401
    assert client.get("/v1/advocates", headers=auth(keys, "viewer")).status_code == 403
    ranking = client.get("/v1/advocates?limit=2", headers=auth(keys, "agent"))
    assert ranking.status_code == 200
    body = ranking.json()
    assert body["promoters"] == 3
    assert [a["customer_id"] for a in body["advocates"]] == ["cus_p1", "cus_p3"]
    parts = {"score", "orders", "feedback", "events", "referrals", "value", "value_source",
             "engagement_percentile", "referral_percentile", "value_percentile"}  # fmt: skip
    assert set(body["advocates"][0]) >= parts
    [read] = [r for r in _audit(warehouse) if r["target_table"] == "customers"]
    assert json.loads(str(read["details"]))["advocates"] == ["cus_p1", "cus_p3"]
    bad = client.get("/v1/advocates?limit=0", headers=auth(keys, "agent"))
    assert bad.status_code == 422 and "limit" in json.dumps(bad.json())


def test_the_invite_needs_an_analyst_and_a_dry_run_changes_nothing(api: API) -> None:
    client, keys, warehouse, inbox, settings = api
    body = {"top": 2, "dry_run": True}
    assert client.post("/v1/advocates/invite", json=body,
                       headers=auth(keys, "agent")).status_code == 403  # fmt: skip
    preview = client.post("/v1/advocates/invite", json=body, headers=auth(keys, "analyst"))
    assert preview.status_code == 200, preview.text
    assert preview.json()["invitations"] == {"pending": 2}
    assert not (settings.project / "segments" / "ambassadors.yaml").exists()
    assert inbox.messages == []
    done = client.post("/v1/advocates/invite", json={"top": 2}, headers=auth(keys, "analyst"))
    assert done.status_code == 200, done.text
    assert done.json()["invitations"] == {"sent": 2} and done.json()["segment_members"] == 2
    assert len(inbox.messages) == 2
    changes = [r for r in _audit(warehouse) if r["action"] == "change"]
    assert [(r["target_table"], r["target_id"]) for r in changes] == [
        ("segment_members", "ambassadors")
    ]
    assert json.loads(str(changes[0]["details"]))["added"] == ["cus_p1", "cus_p3"]
    listed = client.get("/v1/segments", headers=auth(keys, "viewer")).json()
    assert [(s["id"], s["rule"], s["listed"], s["members"]) for s in listed] == [
        ("ambassadors", None, 2, 2)
    ]


def test_invite_errors_are_json(api: API) -> None:
    client, keys, _, _, _ = api
    unknown = client.post("/v1/advocates/invite", json={"survey": "nope"},
                          headers=auth(keys, "analyst"))  # fmt: skip
    assert unknown.status_code == 404 and "nope" in unknown.json()["error"]["message"]
    bad = client.post("/v1/advocates/invite", json={"top": 0}, headers=auth(keys, "analyst"))
    assert bad.status_code == 422
    odd = client.post("/v1/advocates/invite", json={"segment": "Bad Id"},
                      headers=auth(keys, "analyst"))  # fmt: skip
    assert odd.status_code == 422


def test_the_customer_profile_has_its_segments(api: API) -> None:
    client, keys, _, _, _ = api
    client.post("/v1/advocates/invite", json={"top": 2}, headers=auth(keys, "analyst"))
    profile = client.get("/v1/customers/p1@example.com", headers=auth(keys, "agent")).json()
    standing = profile["segments"]
    assert [s["segment_id"] for s in standing["segments"]] == ["ambassadors"]
    assert standing["segments"][0]["name"] == "Ambassador programme"
    assert standing["segments"][0]["since"]
    assert standing["ladder"] == "advocate" and standing["referrals"] == 1
    assert standing["lifecycle"] in {"active", "at_risk"} and standing["rfm"]
    assert profile["clv"] is None
