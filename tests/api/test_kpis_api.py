"""``GET /v1/kpis`` and ``GET /v1/kpis/{name}``: roles, values, error shape, OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project
from cxloop.storage import open_warehouse
from kpi_tables import add_feedback

ROWS = [
    ("2026-01-05", "a", "billing", 10, 5, 2),
    ("2026-01-06", "a", "billing", 9, 4, 3),
    ("2026-02-20", "b", "delivery", 3, 2, 6),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    directory: Path = tmp_path_factory.mktemp("kpi-api") / "acme"
    init_project(directory)
    settings = Settings.load(project=directory)
    warehouse = open_warehouse(settings.warehouse_url)
    add_feedback(warehouse, ROWS)
    keys = {role.value: add_key(warehouse, "api", role=role)[1] for role in Role}
    with TestClient(create_app(settings, warehouse=warehouse)) as client:
        yield client, keys
    warehouse.close()


def auth(keys: dict, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_anonymous_callers_are_refused(api) -> None:
    client, _ = api
    for path in ("/v1/kpis", "/v1/kpis/nps"):
        assert TestClient(client.app).get(path).status_code == 401


def test_viewers_read_the_list_with_definitions(api) -> None:
    client, keys = api
    got = client.get("/v1/kpis", headers=auth(keys, "viewer"))
    assert got.status_code == 200
    nps = next(k for k in got.json() if k["name"] == "nps")
    assert "promoters" in nps["formula"] and "team" in nps["dimensions"]


def test_a_kpi_by_team(api) -> None:
    client, keys = api
    got = client.get("/v1/kpis/nps", params={"by": "team"}, headers=auth(keys, "viewer"))
    assert got.status_code == 200, got.text
    doc = got.json()
    assert doc["dimension"] == "team" and doc["small_n_threshold"] == 30
    assert [(r["group"], r["n"], r["value"]) for r in doc["results"]] == [
        ("a", 2, 100.0),
        ("b", 1, -100.0),
    ]


@pytest.mark.parametrize(
    ("path", "params", "status", "text"),
    [
        ("/v1/kpis/happiness", {}, 404, "valid KPIs: nps"),
        ("/v1/kpis/enps", {"by": "touchpoint"}, 400, "valid dimensions: team"),
        ("/v1/kpis/nps", {"period": "year"}, 422, "period"),
        ("/v1/kpis/nps", {"since": "2026-02-01", "until": "2026-01-01"}, 400, "until"),
    ],
)
def test_errors_have_the_error_shape(api, path, params, status, text) -> None:
    client, keys = api
    got = client.get(path, params=params, headers=auth(keys, "viewer"))
    assert got.status_code == status
    error = got.json()["error"]
    assert set(error) >= {"code", "message"} and text in str(error)


def test_openapi_documents_the_routes(api) -> None:
    client, _ = api
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/kpis" in paths and "/v1/kpis/{name}" in paths
    assert "404" in paths["/v1/kpis/{name}"]["get"]["responses"]


def test_a_kpi_by_segment_carries_the_note(api) -> None:
    client, keys = api
    got = client.get("/v1/kpis/nps", params={"by": "segment"}, headers=auth(keys, "viewer"))
    assert got.status_code == 200, got.text
    doc = got.json()
    # the module's warehouse has no segment members: no cells, but the caveat is stated
    assert doc["dimension"] == "segment" and doc["results"] == []
    assert "several segments" in doc["note"]
    listed = client.get("/v1/kpis", headers=auth(keys, "viewer")).json()
    assert "segment" in next(k for k in listed if k["name"] == "nps")["dimensions"]
    assert "segment" not in next(k for k in listed if k["name"] == "enps")["dimensions"]
