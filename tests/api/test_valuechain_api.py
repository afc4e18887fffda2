"""``GET /v1/valuechain``: viewer and up, the issue's JSON, cached until the data change."""

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
from valuechain_tables import seed_chain_company


def _app(tmp_path: Path, seed: bool) -> tuple[Settings, dict[str, str]]:
    init_project(tmp_path / "acme")
    settings = Settings.load(project=tmp_path / "acme")
    chain = Path(settings.project) / "valuechain.yaml"
    chain.write_text(chain.read_text().replace("bootstrap: 500", "bootstrap: 60"))
    keys: dict[str, str] = {}
    with open_project_warehouse(settings) as wh:
        if seed:
            seed_chain_company(wh)
        for role in Role:
            keys[role.value] = add_key(wh, "api", role=role)[1]
    return settings, keys


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Settings]]:
    settings, keys = _app(tmp_path, seed=True)
    with TestClient(create_app(settings)) as test_client:
        yield test_client, keys, settings


def get(client: TestClient, key: str | None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get("/v1/valuechain", headers=headers)


def test_every_role_reads_it_and_anonymous_does_not(client) -> None:
    app, keys, _ = client
    first = get(app, keys["viewer"])
    assert first.status_code == 200, first.text
    doc = first.json()
    fit = doc["fit"]
    assert {"paths", "r2", "total_effects", "gof"} <= set(fit)
    assert set(fit["paths"][0]) == {"from", "to", "coef", "ci_low", "ci_high"}
    assert fit["bootstrap"] == 60 and doc["cases"] == 48
    for role in ("agent", "analyst", "admin"):
        assert get(app, keys[role]).json() == doc  # the same cached fit
    assert get(app, None).status_code == 401


def test_the_cache_refits_when_the_model_changes(client) -> None:
    app, keys, settings = client
    before = get(app, keys["viewer"]).json()
    chain = Path(settings.project) / "valuechain.yaml"
    chain.write_text(chain.read_text().replace("scheme: path", "scheme: centroid"))
    after = get(app, keys["viewer"]).json()
    assert before["fit"]["scheme"] == "path" and after["fit"]["scheme"] == "centroid"


def test_too_little_data_is_a_400_with_the_reason(tmp_path: Path) -> None:
    settings, keys = _app(tmp_path, seed=False)
    with TestClient(create_app(settings)) as app:
        response = get(app, keys["viewer"])
    assert response.status_code == 400
    assert "team x quarter cells" in response.json()["error"]["message"]
