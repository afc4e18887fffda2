"""``DELETE /v1/customers/{id}`` and ``GET /v1/customers/{id}/export``: admin only, audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse
from privacy_data import add_two_customers


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Warehouse]]:
    directory = tmp_path / "acme"
    init_project(directory)
    settings = Settings.load(project=directory)
    warehouse = open_warehouse(settings.warehouse_url)
    add_two_customers(warehouse)
    keys = {role.value: add_key(warehouse, "api", role=role)[1] for role in Role}
    with TestClient(create_app(settings, warehouse=warehouse)) as client:
        yield client, keys, warehouse
    warehouse.close()


def auth(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_only_admins_may_erase_or_export(api) -> None:
    client, keys, warehouse = api
    for role in ("viewer", "agent", "analyst"):
        for method, path in (
            ("DELETE", "/v1/customers/cus_ana"),
            ("GET", "/v1/customers/cus_ana/export"),
        ):
            response = client.request(method, path, headers=auth(keys, role))
            assert response.status_code == 403, (role, method, response.text)
    assert client.delete("/v1/customers/cus_ana").status_code == 401
    assert warehouse.counts()["customers"] == 2


def test_admin_erases_and_the_profile_is_gone(api) -> None:
    client, keys, warehouse = api
    response = client.delete("/v1/customers/ana@example.com", headers=auth(keys, "admin"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["customer_id"] == "cus_ana" and body["rows"]["events"] == 1
    assert client.get("/v1/customers/cus_ana", headers=auth(keys, "admin")).status_code == 404
    again = client.delete("/v1/customers/cus_ana", headers=auth(keys, "admin"))
    assert again.status_code == 404 and again.json()["error"]["code"]
    log = warehouse.to_pandas(warehouse.table("audit_log"))
    erased = log[log.action == "erase"]
    assert len(erased) == 1 and erased.iloc[0].actor.startswith("key:")
    assert erased.iloc[0].target_id == body["erased_as"]
    assert "ana" not in erased.iloc[0].details.lower()


def test_admin_exports_and_it_is_audited(api) -> None:
    client, keys, warehouse = api
    response = client.get("/v1/customers/cus_bo/export", headers=auth(keys, "admin"))
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["format"] == "cxloop-customer-export" and doc["version"] == 1
    assert doc["tables"]["customers"][0]["email"] == "bo@example.com"
    assert "cus_ana" not in json.dumps(doc)
    missing = client.get("/v1/customers/nobody@example.com/export", headers=auth(keys, "admin"))
    assert missing.status_code == 404
    log = warehouse.to_pandas(warehouse.table("audit_log"))
    exported = log[(log.action == "read") & (log.target_id == "cus_bo")]
    assert len(exported) == 1 and json.loads(exported.iloc[0].details)["export"] is True
