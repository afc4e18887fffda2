"""``GET /v1/customers`` and ``GET /v1/customers/{reference}``: roles, 404s, audit rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from customer_data import ANA_EMAIL, build_company
from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict, dict]]:
    """A running app over the tiny company; API keys per role; customer ids."""
    directory: Path = tmp_path_factory.mktemp("customers-api") / "acme"
    init_project(directory)
    settings = Settings.load(project=directory)
    warehouse = open_warehouse(settings.warehouse_url)
    ids = build_company(warehouse)
    keys = {role.value: add_key(warehouse, "api", role=role)[1] for role in Role}
    with TestClient(create_app(settings, warehouse=warehouse)) as client:
        client.app.state.test_warehouse = warehouse
        yield client, keys, ids
    warehouse.close()


def auth(keys: dict, role: str = "agent") -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def audit_rows(warehouse: Warehouse) -> list[dict]:
    table = warehouse.table("audit_log")
    return warehouse.to_pyarrow(table.order_by("ts")).to_pylist()


def test_profile_by_id_and_by_email(api) -> None:
    client, keys, ids = api
    got = client.get(f"/v1/customers/{ids['ana']}", headers=auth(keys))
    assert got.status_code == 200
    doc = got.json()
    assert doc["customer_id"] == ids["ana"] and doc["golden_record"]["name"] == "Ana Ruiz"
    assert len(doc["timeline"]["items"]) == 50 and doc["timeline"]["total"] == 67
    by_email = client.get(f"/v1/customers/{ANA_EMAIL}?timeline_limit=3", headers=auth(keys))
    assert by_email.status_code == 200 and by_email.json()["customer_id"] == ids["ana"]
    assert len(by_email.json()["timeline"]["items"]) == 3
    by_record = client.get("/v1/customers/crm:C2", headers=auth(keys, "admin"))
    assert by_record.json()["customer_id"] == ids["jose"]


def test_unknown_customers_are_404_in_the_error_shape(api) -> None:
    client, keys, _ = api
    for reference in ("cus_0000000000000000", "nobody@example.com", "crm:nope", "Ana"):
        got = client.get(f"/v1/customers/{reference}", headers=auth(keys))
        assert got.status_code == 404, reference
        error = got.json()["error"]
        assert error["code"] == "not_found" and error["message"].startswith("no customer")


def test_bad_parameters_are_4xx(api) -> None:
    client, keys, ids = api
    assert client.get("/v1/customers?limit=0", headers=auth(keys)).status_code == 422
    assert client.get("/v1/customers?limit=500", headers=auth(keys)).status_code == 422
    got = client.get(f"/v1/customers/{ids['ana']}?timeline_limit=5000", headers=auth(keys))
    assert got.status_code == 422 and got.json()["error"]["code"] == "invalid_request"


def test_search(api) -> None:
    client, keys, ids = api
    got = client.get("/v1/customers", params={"q": "秀英"}, headers=auth(keys))
    assert got.status_code == 200
    doc = got.json()
    assert doc["total"] == 1 and doc["customers"][0]["customer_id"] == ids["xiuying"]
    assert doc["customers"][0]["sources"] == ["app", "crm"]
    everyone = client.get("/v1/customers?limit=2&offset=0", headers=auth(keys)).json()
    assert everyone["total"] == 3 and len(everyone["customers"]) == 2
    hostile = client.get("/v1/customers", params={"q": "' OR 1=1 --"}, headers=auth(keys))
    assert hostile.status_code == 200 and hostile.json()["total"] == 0


@pytest.mark.parametrize("role", ["viewer"])
def test_viewers_may_not_read_customers(api, role: str) -> None:
    client, keys, ids = api
    assert client.get("/v1/customers", headers=auth(keys, role)).status_code == 403
    got = client.get(f"/v1/customers/{ids['ana']}", headers=auth(keys, role))
    assert got.status_code == 403 and got.json()["error"]["code"] == "forbidden"
    anonymous = TestClient(client.app)
    assert anonymous.get(f"/v1/customers/{ids['ana']}").status_code == 401


def test_reads_are_audited(api) -> None:
    client, keys, ids = api
    warehouse = client.app.state.test_warehouse
    before = len(audit_rows(warehouse))
    client.get(f"/v1/customers/{ANA_EMAIL}", headers=auth(keys, "analyst"))
    client.get("/v1/customers", params={"q": "garcía"}, headers=auth(keys))
    rows = audit_rows(warehouse)[before:]
    assert [(r["action"], r["target_table"]) for r in rows] == [("read", "customers")] * 2
    profile_read, search_read = rows
    assert profile_read["target_id"] == ids["ana"]
    assert profile_read["actor"].startswith("key:")
    assert json.loads(profile_read["details"])["reference"] == ANA_EMAIL
    details = json.loads(search_read["details"])
    assert details["query"] == "garcía" and details["customer_ids"] == [ids["jose"]]
    client.get("/v1/customers/cus_0000000000000000", headers=auth(keys))
    assert len(audit_rows(warehouse)) == before + 2, "nothing shown, nothing audited"


def test_the_openapi_document_describes_the_routes(api) -> None:
    client, _, _ = api
    schema = client.get("/openapi.json").json()
    assert "/v1/customers" in schema["paths"] and "/v1/customers/{reference}" in schema["paths"]
    responses = schema["paths"]["/v1/customers/{reference}"]["get"]["responses"]
    assert {"200", "404"} <= set(responses)
    assert "CustomerProfile" in schema["components"]["schemas"]


def test_profile_carries_churn_risk_and_reasons(api) -> None:
    from understand.churn.churn_tables import add_churn_score

    client, keys, ids = api
    assert client.get(f"/v1/customers/{ids['jose']}", headers=auth(keys)).json()["churn"] is None
    reasons = [{"feature": "nps", "text": "last NPS 3", "impact": 0.12, "numbers": {"last": 3.0}}]
    add_churn_score(client.app.state.test_warehouse, ids["jose"], 0.61, reasons)
    churn = client.get(f"/v1/customers/{ids['jose']}", headers=auth(keys)).json()["churn"]
    assert churn["risk"] == 0.61 and churn["horizon_days"] == 90 and churn["reasons"] == reasons
    assert churn["model_id"] == "churn_test" and churn["cutoff"] == "2026-06-30"
