"""``GET /v1/journeys``: viewer and up, aggregates without customer ids, 422 on bad input."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from journey_tables import CUSTOMERS, seed_journey_shop

Client = tuple[TestClient, dict[str, str]]


@pytest.fixture
def client(seeded_client: Callable[..., Client]) -> Client:
    """An app over a project holding the small journey shop, and an API key per role."""
    return seeded_client(seed_journey_shop)


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
