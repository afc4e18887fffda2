"""``/v1/cases``: agents and up read and act, viewers may not; filters and paging; transitions
checked (409); only admins see the original comment; every read and action audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from act.case_data import BILLING_RULE, DETRACTOR_RULE, add_company, add_feedback, write_rules
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project, open_project_warehouse


@pytest.fixture
def served(tmp_path):  # type: ignore[no-untyped-def]
    from cxloop.access.keys import add_key

    directory = tmp_path / "acme"
    init_project(directory)
    settings = Settings.load(project=directory, loop_interval_s=0)
    write_rules(directory, detractor=DETRACTOR_RULE, billing=BILLING_RULE)
    now = datetime.now(UTC)
    keys: dict[str, str] = {}
    with open_project_warehouse(settings) as wh:
        for role in Role:
            keys[role.value] = add_key(wh, "api", role=role)[1]
        add_company(wh)
        add_feedback(wh, "F1", "C1", now - timedelta(hours=2), nps=3, text="Rude <b>staff</b>")
        add_feedback(wh, "F2", "C2", now - timedelta(hours=1), nps=2, text="Charged twice",
                     themes=["billing"], sentiment="negative")  # fmt: skip
        wh.update("feedback_insights", "feedback_id", ["F2"], {"redacted_text": "Charged [x]"})
        run_loop(wh, load_rules(directory), now=now)
    with TestClient(create_app(settings)) as client:
        yield client, keys


def auth(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_viewers_may_not_read_cases_agents_may(served) -> None:
    client, keys = served
    assert client.get("/v1/cases").status_code == 401
    assert client.get("/v1/cases", headers=auth(keys, "viewer")).status_code == 403
    page = client.get("/v1/cases", headers=auth(keys, "agent")).json()
    assert page["total"] == 3 and page["counts"]["open"] == 3
    case_id = page["items"][0]["case_id"]
    post = client.post(f"/v1/cases/{case_id}/events", json={"kind": "acknowledged"},
                       headers=auth(keys, "viewer"))  # fmt: skip
    assert post.status_code == 403


def test_filters_and_paging(served) -> None:
    client, keys = served
    h = auth(keys, "agent")
    billing = client.get("/v1/cases", params={"team": "billing"}, headers=h).json()
    assert billing["total"] == 2 and {c["team_id"] for c in billing["items"]} == {"billing"}
    first = client.get("/v1/cases", params={"limit": 2}, headers=h).json()
    second = client.get("/v1/cases", params={"limit": 2, "offset": 2}, headers=h).json()
    ids = [c["case_id"] for c in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 3
    high = client.get("/v1/cases", params={"priority": "high", "status": "open"}, headers=h)
    assert high.json()["total"] == 2
    bad = client.get("/v1/cases", params={"status": "pending"}, headers=h)
    assert bad.status_code == 400 and "status: 'pending'" in bad.json()["error"]["message"]
    assert client.get("/v1/cases", params={"limit": 0}, headers=h).status_code == 422
    assert client.get("/v1/cases/case_nope", headers=h).status_code == 404


def test_the_workflow_over_http_with_a_409(served) -> None:
    client, keys = served
    h = auth(keys, "agent")
    [case] = client.get("/v1/cases", params={"customer_id": "C1"}, headers=h).json()["items"]
    url = f"/v1/cases/{case['case_id']}/events"
    for body in (
        {"kind": "assigned", "assignee": "ann@acme.example"},
        {"kind": "acknowledged"},
        {"kind": "customer_contacted", "note": "Called"},
        {"kind": "resolved", "resolution": "explained", "note": "Explained the policy"},
        {"kind": "closed"},
    ):
        done = client.post(url, json=body, headers=h)
        assert done.status_code == 201, done.text
    assert done.json()["status"] == "closed" and done.json()["followup"] is None
    refused = client.post(url, json={"kind": "resolved", "resolution": "fixed"}, headers=h)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["message"].startswith("a case that is closed cannot be resolved")
    assert error["details"]["status"] == "closed"
    missing = client.post(url.replace(case["case_id"], "case_nope"), json={"kind": "closed"},
                          headers=h)  # fmt: skip
    assert missing.status_code == 404
    no_code = client.post(url, json={"kind": "reopened"}, headers=h)
    assert no_code.status_code == 201
    no_code = client.post(url, json={"kind": "resolved"}, headers=h)
    assert no_code.status_code == 400 and "resolution" in no_code.json()["error"]["message"]
    unknown = client.post(url, json={"kind": "opened"}, headers=h)
    assert unknown.status_code == 422
    detail = client.get(f"/v1/cases/{case['case_id']}", headers=h).json()
    assert [e["kind"] for e in detail["events"]][-2:] == ["closed", "reopened"]
    assert {e["actor"] for e in detail["events"][1:]} == {detail["events"][1]["actor"]}
    assert detail["events"][1]["actor"].startswith("key:")


def test_only_admins_read_the_original_comment(served) -> None:
    client, keys = served
    h = auth(keys, "agent")
    wanted = {"customer_id": "C2", "team": "billing", "priority": "normal"}
    [case] = client.get("/v1/cases", params=wanted, headers=h).json()["items"]
    agent = client.get(f"/v1/cases/{case['case_id']}", headers=h).json()
    admin = client.get(f"/v1/cases/{case['case_id']}", headers=auth(keys, "admin")).json()
    assert agent["feedback_text"] == "Charged [x]" and admin["feedback_text"] == "Charged twice"
    assert agent["feedback_score"] == "NPS 2"


def test_reads_and_actions_are_audited(served, tmp_path) -> None:
    client, keys = served
    h = auth(keys, "analyst")
    case_id = client.get("/v1/cases", headers=h).json()["items"][0]["case_id"]
    client.get(f"/v1/cases/{case_id}", headers=h)
    client.post(f"/v1/cases/{case_id}/events", json={"kind": "commented", "note": "hi"},
                headers=h)  # fmt: skip
    wh = client.app.state.warehouse  # type: ignore[attr-defined]
    log = wh.to_pyarrow(wh.table("audit_log")).to_pylist()
    mine = [(r["action"], r["target_table"]) for r in log if r["target_table"] in
            ("cases", "case_events")]  # fmt: skip
    assert mine == [("read", "cases"), ("read", "cases"), ("change", "case_events")]


def test_reassign_over_http_unknown_team_is_a_400(served) -> None:
    client, keys = served
    h = auth(keys, "agent")
    [case] = client.get("/v1/cases", params={"customer_id": "C1"}, headers=h).json()["items"]
    url = f"/v1/cases/{case['case_id']}/events"
    unknown = client.post(url, json={"kind": "reassigned", "team": "nope", "note": "x"}, headers=h)
    assert unknown.status_code == 400
    assert unknown.json()["error"]["message"] == "team: no team 'nope' (teams: billing, web)"
    no_reason = client.post(url, json={"kind": "reassigned", "team": "billing"}, headers=h)
    assert no_reason.status_code == 400 and "note" in no_reason.json()["error"]["message"]
    body = {"kind": "reassigned", "team": "billing", "note": "Charged twice: billing"}
    done = client.post(url, json=body, headers=h)
    assert done.status_code == 201, done.text
    assert done.json()["team_id"] == "billing" and done.json()["event"]["team_id"] == "billing"
    again = client.post(url, json=body, headers=h)
    assert again.status_code == 409
    listed = client.get("/v1/cases", params={"team": "billing"}, headers=h).json()
    assert case["case_id"] in {c["case_id"] for c in listed["items"]}
    viewer = client.post(url, json=body, headers=auth(keys, "viewer"))
    assert viewer.status_code == 403
