"""``GET /v1/loop/metrics``: roles (viewer, as the Scorecard), values, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from closed_loop_tables import add_case, add_feedback_rows, at
from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project
from cxloop.storage import open_warehouse


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    directory: Path = tmp_path_factory.mktemp("loop-api") / "acme"
    init_project(directory)
    settings = Settings.load(project=directory)
    warehouse = open_warehouse(settings.warehouse_url)
    add_feedback_rows(warehouse, [{"feedback_id": "f1", "customer_id": "c1", "ts": at(0),
                                   "team_id": "web", "touchpoint": "web", "nps": 1}])  # fmt: skip
    add_case(warehouse, "K1", feedback_id="f1", customer_id="c1", team="web", opened=at(0),
             contacted=at(1), resolved=at(4))  # fmt: skip
    keys = {role.value: add_key(warehouse, "api", role=role)[1] for role in Role}
    with TestClient(create_app(settings, warehouse=warehouse)) as client:
        yield client, keys
    warehouse.close()


def _auth(keys: dict, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_anonymous_callers_are_refused(api) -> None:
    client, _ = api
    assert TestClient(client.app).get("/v1/loop/metrics").status_code == 401


def test_viewers_read_the_metrics(api) -> None:
    client, keys = api
    got = client.get("/v1/loop/metrics", params={"team": "web"}, headers=_auth(keys, "viewer"))
    assert got.status_code == 200
    body = got.json()
    assert body["team"] == "web" and body["contact_within_sla"]["value"] == 1.0
    assert body["time_to_close"]["value"] == pytest.approx(4.0)
    assert body["curve"][0] == {"hours": 0.0, "still_open": 1.0, "ci_low": 1.0, "ci_high": 1.0,
                                "at_risk": 1}  # fmt: skip
    assert body["small_n_threshold"] == 30


def test_until_before_since_is_the_callers_mistake(api) -> None:
    client, keys = api
    got = client.get("/v1/loop/metrics", params={"since": "2026-03-02", "until": "2026-03-01"},
                     headers=_auth(keys, "analyst"))  # fmt: skip
    assert got.status_code == 400 and "until" in got.json()["error"]["message"]
    bad = client.get("/v1/loop/metrics", params={"since": "nope"}, headers=_auth(keys, "viewer"))
    assert bad.status_code == 422
