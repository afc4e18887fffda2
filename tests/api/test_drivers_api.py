"""``GET /v1/drivers``: viewer and up, both methods with intervals, errors as 4xx."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse
from driver_tables import seed_driver_company

Client = tuple[TestClient, dict[str, str]]


@pytest.fixture
def client(seeded_client: Callable[..., Client]) -> Client:
    """An app over a project holding the small driver company, and an API key per role."""
    return seeded_client(seed_driver_company)


def get(client: TestClient, key: str, **params: str):
    return client.get("/v1/drivers", params=params, headers={"Authorization": f"Bearer {key}"})


def test_every_role_reads_drivers_and_anonymous_does_not(client) -> None:
    app, keys = client
    for role in ("viewer", "agent", "analyst", "admin"):
        response = get(app, keys[role], bootstrap="0")
        assert response.status_code == 200, (role, response.text)
    assert app.get("/v1/drivers").status_code == 401
    assert get(app, keys["write"]).status_code == 401


def test_the_report(client) -> None:
    app, keys = client
    response = get(app, keys["viewer"], outcome="nps", bootstrap="30",
                   drivers="touchpoint:delivery,theme:billing")  # fmt: skip
    assert response.status_code == 200, response.text
    doc = response.json()
    assert {d["name"] for d in doc["drivers"]} == {"touchpoint:delivery", "theme:billing"}
    assert all(d["shapley_ci_low"] is not None for d in doc["drivers"])
    assert doc["mean_importance"] == pytest.approx(doc["r2"] / 2)


def test_mistakes_are_4xx_with_a_message(client) -> None:
    app, keys = client
    response = get(app, keys["viewer"], drivers="theme:nope")
    assert response.status_code == 400
    assert "unknown driver 'theme:nope'" in response.json()["error"]["message"]
    assert get(app, keys["viewer"], outcome="mood").status_code == 422
    assert get(app, keys["viewer"], bootstrap="5000").status_code == 422


def test_a_large_warehouse_warms_the_default_report(tmp_path: Path, monkeypatch) -> None:
    from cxloop.api.routes import drivers as drivers_route

    monkeypatch.setattr(drivers_route, "WARM_FROM_FEEDBACK", 100)
    monkeypatch.setattr(drivers_route, "DEFAULT_BOOTSTRAP", 20)
    init_project(tmp_path / "warm")
    settings = Settings.load(project=tmp_path / "warm")
    with open_project_warehouse(settings) as wh:
        seed_driver_company(wh)
    with TestClient(create_app(settings)) as test_client:
        url = test_client.app.state.warehouse.url  # type: ignore[attr-defined]
        for _ in range(600):
            if any(key[0] == url and key[1] == "nps" for key in drivers_route.DRIVER_CACHE):
                break
            time.sleep(0.1)
        warmed = [k for k in drivers_route.DRIVER_CACHE if k[0] == url]
        assert warmed and warmed[0][3] == 20  # the page's (and the API's) default report
