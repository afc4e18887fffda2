"""The Segment-compatible collector over HTTP: auth, validation, limits, storage, the plan."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key, revoke_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.errors import WarehouseError
from cxloop.project import init_project, open_project_warehouse

PLAN = """\
strict: {strict}
events:
  Order Placed:
    properties:
      type: object
      required: [order_id]
      properties:
        amount: {{type: number, minimum: 0}}
"""


class Served:
    def __init__(self, client: TestClient, key: str) -> None:
        self.client, self.key = client, key
        self.auth = {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}

    def post(self, path: str, body: object, **headers: str):
        return self.client.post(path, json=body, headers={**self.auth, **headers})

    def rows(self, table: str) -> list[dict]:
        wh = self.client.app.state.warehouse
        return wh.to_pyarrow(wh.table(table)).to_pylist()

    def count(self, table: str) -> int:
        return self.client.app.state.warehouse.counts()[table]


@contextmanager
def serve(tmp_path: Path, plan: str | None = None, **settings: object) -> Iterator[Served]:
    directory = tmp_path / "acme"
    init_project(directory)
    if plan is not None:
        (directory / "tracking_plan.yaml").write_text(plan, encoding="utf-8")
    config = Settings.load(project=directory, **settings)
    with open_project_warehouse(config) as wh:
        _, key = add_key(wh, "write", source="web")
        _, analyst = add_key(wh, "api", role="analyst")
        _, viewer = add_key(wh, "api", role="viewer")
    with TestClient(create_app(config)) as client:
        served = Served(client, key)
        served.analyst, served.viewer = analyst, viewer  # type: ignore[attr-defined]
        yield served


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serve(tmp_path) as s:
        yield s


def track(i: int = 1, **extra: object) -> dict:
    return {"userId": f"u{i}", "event": "Order Placed", "messageId": f"m{i}", **extra}


@pytest.mark.parametrize(
    ("path", "body", "name"),
    [
        ("/v1/track", track(), "Order Placed"),
        ("/v1/identify", {"userId": "u1", "traits": {"email": "a@b.c"}}, "Identified"),
        ("/v1/page", {"anonymousId": "a1", "name": "Home"}, "Home"),
        ("/v1/screen", {"anonymousId": "a1"}, "Screen Viewed"),
        ("/v1/group", {"userId": "u1", "groupId": "g1"}, "Group"),
        ("/v1/alias", {"previousId": "a1", "userId": "u1"}, "Alias"),
    ],
)
def test_each_call_is_stored_and_acknowledged(served: Served, path, body, name) -> None:
    response = served.post(path, body)
    assert response.status_code == 200 and response.json() == {"success": True}
    [event] = served.rows("events")
    assert event["name"] == name and event["source"] == "web"
    assert event["type"] == path.rsplit("/", 1)[1]


def test_a_batch_is_stored_once_however_often_it_is_sent(served: Served) -> None:
    body = {
        "batch": [
            {
                "type": "identify",
                "userId": "u1",
                "anonymousId": "a1",
                "messageId": "i1",
                "traits": {"email": "ana@example.es"},
            },
            {"type": "track", **track(1)},
            {"type": "track", **track(2)},
        ],
        "sentAt": "2025-01-01T00:00:00Z",
    }
    for _ in range(3):
        assert served.post("/v1/batch", body).status_code == 200
    assert served.count("events") == 3
    assert served.count("source_records") == served.count("identity_links") == 1
    assert {e["event_id"] for e in served.rows("events")} == {"web:i1", "web:m1", "web:m2"}


def test_an_invalid_message_refuses_the_whole_request(served: Served) -> None:
    body = {
        "batch": [
            {"type": "track", **track(1)},
            {"type": "track", "userId": "u"},
            {"type": "group", "userId": "u"},
        ]
    }
    response = served.post("/v1/batch", body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_messages"
    assert [(d["index"], d["field"]) for d in error["details"]] == [(1, "event"), (2, "groupId")]
    assert served.count("events") == 0


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"{not json", "invalid_json"), (b"[1, 2]", "invalid_messages"), (b"", "invalid_json")],
)
def test_a_body_that_is_not_a_json_object_is_refused(served: Served, content, code) -> None:
    response = served.client.post("/v1/track", content=content, headers=served.auth)
    assert response.status_code == 400 and response.json()["error"]["code"] == code


def test_the_write_key_may_come_in_the_body(served: Served) -> None:
    response = served.client.post("/v1/track", json={**track(), "writeKey": served.key})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(b"cxw_000000000000_" + b"a" * 32).decode()},
        {"Authorization": "Basic !!!not base64"},
    ],
)
def test_a_missing_or_unknown_write_key_is_refused(served: Served, headers) -> None:
    response = served.client.post("/v1/track", json=track(), headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert served.count("events") == 0


def test_an_api_key_is_not_a_write_key(served: Served) -> None:
    response = served.client.post("/v1/track", json={**track(), "writeKey": served.analyst})
    assert response.status_code == 401


def test_gzip_bodies_are_accepted(served: Served) -> None:
    body = gzip.compress(json.dumps({"batch": [{"type": "track", **track(1)}]}).encode())
    response = served.client.post(
        "/v1/batch", content=body, headers={**served.auth, "Content-Encoding": "gzip"}
    )
    assert response.status_code == 200 and served.count("events") == 1


def test_size_limits(tmp_path: Path) -> None:
    with serve(tmp_path, collector_max_body_bytes=2_000) as served:
        big = {"batch": [{"type": "track", **track(i)} for i in range(100)]}
        response = served.post("/v1/batch", big)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"
        bomb = gzip.compress(json.dumps(big).encode())
        assert len(bomb) < 2_000
        response = served.client.post(
            "/v1/batch", content=bomb, headers={**served.auth, "Content-Encoding": "gzip"}
        )
        assert response.status_code == 413

        def chunks():  # no Content-Length: counted while reading
            yield b'{"batch": ['
            for i in range(100):
                yield json.dumps({"type": "track", **track(i)}).encode() + b","
            yield b"{}]}"

        response = served.client.post("/v1/batch", content=chunks(), headers=served.auth)
        assert response.status_code == 413
        response = served.client.post(
            "/v1/track", content=b"{}", headers={**served.auth, "Content-Encoding": "br"}
        )
        assert response.status_code == 415
        assert served.count("events") == 0


def test_rate_limit_per_write_key(tmp_path: Path) -> None:
    with serve(tmp_path, collector_rate_limit=0.5) as served:
        assert served.post("/v1/track", track(1)).status_code == 200
        response = served.post("/v1/track", track(2))
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "too_many_requests"
        assert int(response.headers["Retry-After"]) >= 1
        body_key = served.client.post("/v1/track", json={**track(3), "writeKey": served.key})
        assert body_key.status_code == 429
        assert served.count("events") == 1


def test_a_failed_commit_answers_503_and_stores_nothing(served: Served, monkeypatch) -> None:
    warehouse = served.client.app.state.warehouse
    real_append = warehouse.append

    def failing(table, data):
        if table == "identity_links":
            raise WarehouseError("disk full")
        return real_append(table, data)

    monkeypatch.setattr(warehouse, "append", failing)
    body = {
        "batch": [
            {"type": "track", **track(1)},
            {"type": "alias", "previousId": "a", "userId": "u1", "messageId": "x"},
        ]
    }
    response = served.post("/v1/batch", body)
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert served.count("events") == 0
    monkeypatch.setattr(warehouse, "append", real_append)
    assert served.post("/v1/batch", body).status_code == 200
    assert served.count("events") == 2


def test_browser_style_calls(served: Served) -> None:
    preflight = served.client.options("/v1/t")
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    # analytics.js posts text/plain (no preflight) to /v1/t with the write key in the body
    response = served.client.post(
        "/v1/t",
        content=json.dumps(
            {**track(), "writeKey": served.key, "context": {"library": {"name": "analytics.js"}}}
        ),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert served.rows("events")[0]["channel"] == "web"


def test_the_openapi_document_describes_the_collector(served: Served) -> None:
    paths = served.client.get("/openapi.json").json()["paths"]
    for kind in ("identify", "track", "page", "screen", "group", "alias", "batch"):
        operation = paths[f"/v1/{kind}"]["post"]
        assert "requestBody" in operation and "429" in operation["responses"]
    assert "/v1/t" not in paths
    assert "/v1/tracking-plan/violations" in paths


def test_plan_violations_are_counted_and_reported(tmp_path: Path) -> None:
    with serve(tmp_path, plan=PLAN.format(strict="false")) as served:
        body = {
            "batch": [
                {"type": "track", **track(1, properties={"order_id": "o1", "amount": -5})},
                {"type": "track", **track(2, event="Order Cancled")},
                {"type": "track", **track(3, properties={"order_id": "o3"})},
                {"type": "identify", "userId": "u1", "messageId": "i1"},
            ]
        }
        assert served.post("/v1/batch", body).status_code == 200
        assert served.post("/v1/batch", body).status_code == 200  # a retry counts nothing
        assert served.count("events") == 4
        bearer = {"Authorization": f"Bearer {served.analyst}"}
        report = served.client.get("/v1/tracking-plan/violations", headers=bearer).json()
        assert report["plan"] == {"loaded": True, "strict": False, "events": ["Order Placed"]}
        assert report["total"] == 2
        counts = {(c["event_name"], c["problem"]): c["count"] for c in report["counts"]}
        assert counts == {
            ("Order Placed", "properties.amount: must satisfy minimum 0"): 1,
            ("Order Cancled", "unknown event"): 1,
        }
        assert {r["event_id"] for r in report["recent"]} == {"web:m1", "web:m2"}
        assert not any(r["rejected"] for r in report["recent"])
        viewer = {"Authorization": f"Bearer {served.viewer}"}
        assert served.client.get("/v1/tracking-plan/violations", headers=viewer).status_code == 403


def test_a_strict_plan_refuses_what_breaks_it(tmp_path: Path) -> None:
    with serve(tmp_path, plan=PLAN.format(strict="true")) as served:
        body = {
            "batch": [
                {"type": "track", **track(1, properties={"order_id": "o1"})},
                {"type": "track", **track(2, properties={"amount": 3})},
            ]
        }
        response = served.post("/v1/batch", body)
        assert response.status_code == 400
        assert response.json()["error"]["details"] == [
            {"index": 1, "field": "properties", "message": "missing required property 'order_id'"}
        ]
        assert served.count("events") == 0
        [violation] = served.rows("tracking_violations")
        assert violation["rejected"] and violation["event_id"] == "web:m2"
        assert served.post("/v1/track", track(1, properties={"order_id": "o1"})).status_code == 200


def test_a_revoked_write_key_stops_working(served: Served) -> None:
    assert served.post("/v1/track", track(1)).status_code == 200
    revoke_key(served.client.app.state.warehouse, served.key.split("_")[1])
    served.client.app.state.collector.forget_keys()
    assert served.post("/v1/track", track(2)).status_code == 401


@pytest.mark.parametrize(
    "content",
    [
        b'{"userId": "\\ud800", "event": "X"}',
        b'{"userId": "u", "event": "X", "properties": {"\\udfff": 1}}',
        b'{"userId": "u", "event": "X", "properties": {"a": NaN}}',
        b'{"userId": "u", "event": "X", "properties": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
)
def test_text_that_cannot_be_stored_is_refused_not_a_crash(served: Served, content) -> None:
    response = served.client.post("/v1/track", content=content, headers=served.auth)
    assert response.status_code in (400, 413)
    assert served.count("events") == 0
