"""``GET /v1/journeys``: viewer and up, aggregates without customer ids, 422 on bad input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project, open_project_warehouse
from journey_tables import CUSTOMERS, seed_journey_shop


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """An app over a project holding the small journey shop, and an API key per role."""
    init_project(tmp_path / "acme")
    settings = Settings.load(project=tmp_path / "acme")
    keys: dict[str, str] = {}
    with open_project_warehouse(settings) as wh:
        seed_journey_shop(wh)
        for role in Role:
            keys[role.value] = add_key(wh, "api", role=role)[1]
        keys["write"] = add_key(wh, "write", source="web")[1]
    with TestClient(create_app(settings)) as test_client:
        yield test_client, keys


def get(client: TestClient, key: str, **params: str):
    return client.get("/v1/journeys", params=params, headers={"Authorization": f"Bearer {key}"})


def test_every_role_reads_journeys_and_anonymous_does_not(client) -> None:
    app, keys = client
    for role in ("viewer", "agent", "analyst", "admin"):
        assert get(app, keys[role]).status_code == 200, role
    assert app.get("/v1/journeys").status_code == 401
    assert get(app, keys["write"]).status_code == 401


def test_the_report_holds_aggregates_only(client) -> None:
    app, keys = client
    response = get(app, keys["viewer"], top="1")
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["journeys"] == CUSTOMERS and len(doc["paths"]) == 1
    assert {(n["step"], n["touchpoint"]) for n in doc["nodes"]} >= {(1, "web"), (3, "delivery")}
    assert {"step": 1, "source": "web", "target": "billing", "journeys": CUSTOMERS} in doc["links"]
    assert doc["moments_of_truth"]["touchpoints"][0]["touchpoint"] == "delivery"
    assert "C0001" not in response.text and "customer_id" not in response.text
    # the same request again is served from the cache, identically
    assert get(app, keys["viewer"], top="1").json() == doc


def test_bad_parameters_are_422_with_the_parameter_named(client) -> None:
    app, keys = client
    for params, name in (({"top": "0"}, "top"), ({"since": "2026-13-01"}, "since")):
        response = get(app, keys["viewer"], **params)
        assert response.status_code == 422
        assert name in response.text
