"""``GET /v1/gap``: viewer and up, withheld groups carry no figures."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from gap_tables import seed_gap_company

Client = tuple[TestClient, dict[str, str]]


@pytest.fixture
def client(seeded_client: Callable[..., Client]) -> Client:
    """An app over a project holding the small gap company, and an API key per role."""
    return seeded_client(seed_gap_company)


def get(client: TestClient, key: str, **params: str):
    return client.get("/v1/gap", params=params, headers={"Authorization": f"Bearer {key}"})


def test_every_role_reads_the_gap_and_anonymous_does_not(client) -> None:
    app, keys = client
    for role in ("viewer", "agent", "analyst", "admin"):
        assert get(app, keys[role]).status_code == 200, role
    assert app.get("/v1/gap").status_code == 401
    assert get(app, keys["write"]).status_code == 401


def test_withheld_groups_carry_no_figures(client) -> None:
    app, keys = client
    response = get(app, keys["viewer"], by="team", language="es")
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["language"] == "es"
    rows = {(r["team_id"], r["statement_id"]): r for r in doc["rows"]}
    for team in ("T-A", "T-D"):
        cell = rows[(team, "listen")]["managers"]
        assert cell["suppressed"] == "min_group_n"
        assert {k for k, v in cell.items() if v is not None} == {"group", "n", "suppressed"}
    assert rows[("T-B", "listen")]["managers"]["share"] == pytest.approx(0.6)
    assert rows[(None, "listen")]["statement"] == "Me escuchan."


def test_bad_parameters_are_422(client) -> None:
    app, keys = client
    response = get(app, keys["viewer"], by="segment")
    assert response.status_code == 422 and "by" in response.text
