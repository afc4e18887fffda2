"""``/v1/identities/explain``, ``/v1/customers/merge``, ``/v1/customers/{id}/split`` and the
overrides routes: roles, bodies, errors, audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from cxloop.unify import resolve
from unify.rows import identities, record, write_rows

T = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def people(served) -> tuple[TestClient, dict[str, str]]:
    client, keys = served
    wh = client.app.state.warehouse
    write_rows(
        wh,
        "source_records",
        [
            record("crm", "1", first_name="Ana", last_name="Ruiz", email="ana@x.com", created_at=T),
            record("web", "9", first_name="Ana", email="ANA@x.com", created_at=T),
            record("web", "5", first_name="Luis", last_name="Paz", email="luis@x.com"),
        ],
    )
    resolve(wh)
    return client, keys


def auth(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def audit_rows(client: TestClient) -> list[dict]:
    wh = client.app.state.warehouse
    return wh.to_pyarrow(wh.table("audit_log")).to_pylist()


def test_an_analyst_gets_an_explanation_and_the_read_is_audited(people) -> None:
    client, keys = people
    got = client.get(
        "/v1/identities/explain", params={"a": "crm:1", "b": "web:9"}, headers=auth(keys, "analyst")
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["decision"] == "linked" and body["same_customer"]
    assert body["comparisons"][0]["name"] == "name"
    assert {"m_probability", "u_probability", "match_weight", "values_a", "label"} <= set(
        body["comparisons"][0]
    )
    assert body["threshold"] == 0.9 and "reason" in body
    reads = [r for r in audit_rows(client) if r["action"] == "read"]
    assert reads and reads[0]["target_id"] == "crm:1|web:9"
    assert reads[0]["actor"].startswith("key:")


def test_agents_and_viewers_may_not_explain_or_correct(people) -> None:
    client, keys = people
    for role in ("agent", "viewer"):
        headers = auth(keys, role)
        explain = client.get("/v1/identities/explain?a=crm:1&b=web:9", headers=headers)
        merge = client.post(
            "/v1/customers/merge", json={"customers": ["crm:1", "web:5"]}, headers=headers
        )
        assert explain.status_code == merge.status_code == 403
        assert merge.json()["error"]["code"] == "forbidden"


def test_mistakes_are_4xx_in_the_one_error_shape(people) -> None:
    client, keys = people
    headers = auth(keys, "analyst")
    cases = [
        client.get("/v1/identities/explain?a=crm:1&b=nope:1", headers=headers),
        client.get("/v1/identities/explain?a=crm:1", headers=headers),
        client.post("/v1/customers/merge", json={"customers": ["crm:1"]}, headers=headers),
        client.post(
            "/v1/customers/merge", json={"customers": ["crm:1", "x"], "y": 1}, headers=headers
        ),
        client.post("/v1/customers/merge", json={"customers": ["crm:1", "web:9"]}, headers=headers),
        client.post("/v1/customers/cus_nobody/split", json={"records": ["crm:1"]}, headers=headers),
        client.post("/v1/identities/overrides/ovr_nope/remove", json={}, headers=headers),
    ]
    assert [r.status_code for r in cases] == [404, 422, 422, 422, 400, 404, 404]
    for response in cases:
        assert set(response.json()["error"]) == {"code", "message", "details"}
    assert "already one customer" in cases[4].json()["error"]["message"]


def test_merge_split_and_remove_through_the_api(people) -> None:
    client, keys = people
    headers = auth(keys, "analyst")
    wh = client.app.state.warehouse
    ana = identities(wh)["crm:1"]
    merged = client.post(
        "/v1/customers/merge",
        json={"customers": [ana, "web:5"], "reason": "one person, two e-mails"},
        headers=headers,
    )
    assert merged.status_code == 200, merged.text
    assert set(merged.json()["customers"].values()) == {ana}
    assert identities(wh)["web:5"] == ana
    wrong = client.post(f"/v1/customers/{ana}/split", json={"records": ["x:1"]}, headers=headers)
    assert wrong.status_code == 404
    split = client.post(f"/v1/customers/{ana}/split", json={"records": ["web:5"]}, headers=headers)
    assert split.status_code == 200, split.text
    assert split.json()["superseded"] == [merged.json()["override"]["override_id"]]
    assert identities(wh)["web:5"] != ana
    listed = client.get("/v1/identities/overrides", headers=headers).json()
    assert [o["kind"] for o in listed] == ["split"]
    everything = client.get("/v1/identities/overrides?include_removed=true", headers=headers)
    assert len(everything.json()) == 2
    split_id = split.json()["override"]["override_id"]
    removed = client.post(
        f"/v1/identities/overrides/{split_id}/remove", json={"reason": "wrong"}, headers=headers
    )
    assert removed.status_code == 200, removed.text
    again = client.post(f"/v1/identities/overrides/{split_id}/remove", json={}, headers=headers)
    assert again.status_code == 400
    actions = [r["action"] for r in audit_rows(client) if r["target_table"] == "identity_overrides"]
    assert sorted(actions) == [
        "identity_merge", "identity_override_removed", "identity_override_removed",
        "identity_split",
    ]  # fmt: skip
