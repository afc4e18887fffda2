"""``GET /v1/feedback`` and ``GET /v1/feedback/{id}``: roles, the redaction rule, filters,
bad values naming their parameter, 404s, audit rows, the OpenAPI document."""

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
from feedback_data import FEEDBACK, build_feedback

ORIGINALS = {fid: text for fid, _lang, text, *_ in FEEDBACK}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict, Warehouse]]:
    directory: Path = tmp_path_factory.mktemp("feedback-api") / "acme"
    init_project(directory)
    settings = Settings.load(project=directory)
    warehouse = open_warehouse(settings.warehouse_url)
    build_feedback(warehouse)
    keys = {role.value: add_key(warehouse, "api", role=role)[1] for role in Role}
    with TestClient(create_app(settings, warehouse=warehouse)) as client:
        yield client, keys, warehouse
    warehouse.close()


def auth(keys: dict, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_anonymous_callers_are_refused(api) -> None:
    client, _, _ = api
    for path in ("/v1/feedback", "/v1/feedback/f1"):
        got = TestClient(client.app).get(path)
        assert got.status_code == 401 and got.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("role", ["viewer", "agent", "analyst"])
def test_only_admins_get_the_original_text(api, role: str) -> None:
    client, keys, _ = api
    got = client.get("/v1/feedback", params={"limit": 100}, headers=auth(keys, role))
    assert got.status_code == 200
    doc = got.json()
    assert doc["total"] == 9
    raw = got.text
    for fid in ("f1", "f2", "f8"):  # the texts redaction changed, or has not seen yet
        assert ORIGINALS[fid] not in raw
    for secret in ("ana@example.com", "+1 555 0100", "4111 1111 1111 1111"):
        assert secret not in raw
    for item in doc["items"]:
        assert item["text"] is None
    f2 = next(i for i in doc["items"] if i["feedback_id"] == "f2")
    assert f2["insight"]["redacted_text"] == "La entrega llegó tarde, escríbanme a [EMAIL]"
    f8 = next(i for i in doc["items"] if i["feedback_id"] == "f8")
    assert f8["insight"] is None  # not analysed: nothing to show but the scores
    one = client.get("/v1/feedback/f2", headers=auth(keys, role))
    assert one.status_code == 200 and one.json()["text"] is None
    assert "ana@example.com" not in one.text


def test_admins_get_the_original_and_the_redacted_text(api) -> None:
    client, keys, _ = api
    doc = client.get("/v1/feedback/f2", headers=auth(keys, "admin")).json()
    assert doc["text"] == ORIGINALS["f2"]
    assert doc["insight"]["redacted_text"].endswith("[EMAIL]")
    assert doc["insight"]["themes"] == ["delivery"] and doc["insight"]["intent"] == "issue"
    assert doc["team_name"] == "Delivery crew" and doc["customer_name"] == "Ana Ruiz"


def test_customer_names_are_for_agents_and_up(api) -> None:
    client, keys, _ = api
    assert (
        client.get("/v1/feedback/f2", headers=auth(keys, "viewer")).json()["customer_name"] is None
    )
    assert client.get("/v1/feedback/f2", headers=auth(keys, "agent")).json()["customer_name"] == (
        "Ana Ruiz"
    )


def test_non_admins_cannot_find_what_redaction_hid(api) -> None:
    client, keys, _ = api
    params = {"q": "ana@example.com"}
    assert (
        client.get("/v1/feedback", params=params, headers=auth(keys, "admin")).json()["total"] == 1
    )
    assert (
        client.get("/v1/feedback", params=params, headers=auth(keys, "analyst")).json()["total"]
        == 0
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "delivery"}, ["f3", "f2", "f1"]),
        ({"sentiment": "positive", "language": "zh"}, ["f6"]),
        ({"nps_band": "promoter"}, ["f6", "f5", "f4"]),
        ({"csat_band": "neutral"}, ["f9"]),
        ({"ces_band": "easy"}, ["f7"]),
        ({"intent": "question"}, ["f9"]),
        ({"touchpoint": "app"}, ["f8", "f7"]),
        ({"team": "team_store", "q": "precio"}, ["f5"]),
        ({"q": "送货"}, ["f3"]),
        ({"q": "LLEGO tarde"}, ["f2"]),
        ({"date_from": "2026-03-05", "date_to": "2026-03-08"}, ["f3", "f2"]),
    ],
)
def test_filters(api, params: dict, expected: list[str]) -> None:
    client, keys, _ = api
    doc = client.get("/v1/feedback", params=params, headers=auth(keys, "viewer")).json()
    assert [item["feedback_id"] for item in doc["items"]] == expected
    assert doc["total"] == len(expected)


def test_paging(api) -> None:
    client, keys, _ = api
    first = client.get("/v1/feedback", params={"limit": 4}, headers=auth(keys, "viewer")).json()
    rest = client.get(
        "/v1/feedback", params={"limit": 4, "offset": 4}, headers=auth(keys, "viewer")
    ).json()
    assert first["total"] == rest["total"] == 9
    ids = [i["feedback_id"] for i in first["items"] + rest["items"]]
    assert ids == ["f9", "f8", "f7", "f6", "f5", "f4", "f3", "f2"]
    past = client.get("/v1/feedback", params={"offset": 50}, headers=auth(keys, "viewer")).json()
    assert past["items"] == [] and past["total"] == 9


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"sentiment": "angry"}, "sentiment"),
        ({"intent": "rant"}, "intent"),
        ({"nps_band": "fan"}, "nps_band"),
        ({"csat_band": "happy"}, "csat_band"),
        ({"ces_band": "hard"}, "ces_band"),
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"language": "english!"}, "language"),
        ({"limit": "0"}, "limit"),
        ({"theme": "x" * 101}, "theme"),
    ],
)
def test_bad_filter_values_name_the_parameter(api, params: dict, name: str) -> None:
    client, keys, _ = api
    got = client.get("/v1/feedback", params=params, headers=auth(keys, "viewer"))
    assert got.status_code == 422
    error = got.json()["error"]
    assert error["code"] == "invalid_request"
    assert f"query parameter {name}:" in error["message"]
    assert error["details"][0]["loc"] == ["query", name]


def test_dates_out_of_order_are_a_400_naming_them(api) -> None:
    client, keys, _ = api
    got = client.get(
        "/v1/feedback",
        params={"date_from": "2026-03-09", "date_to": "2026-03-01"},
        headers=auth(keys, "viewer"),
    )
    assert got.status_code == 400
    assert "date_from" in got.json()["error"]["message"]


def test_unknown_feedback_is_a_404(api) -> None:
    client, keys, _ = api
    for missing in ("nope", "f1%00"):
        got = client.get(f"/v1/feedback/{missing}", headers=auth(keys, "viewer"))
        assert got.status_code == 404 and got.json()["error"]["code"] == "not_found"


def test_reads_are_audited(api) -> None:
    client, keys, warehouse = api
    client.get("/v1/feedback", params={"theme": "price"}, headers=auth(keys, "analyst"))
    client.get("/v1/feedback/f4", headers=auth(keys, "admin"))
    log = warehouse.table("audit_log")
    rows = warehouse.to_pyarrow(
        log.filter(log.target_table == "feedback").order_by("ts")
    ).to_pylist()
    listing = next(r for r in rows if json.loads(r["details"]).get("filters") == {"theme": "price"})
    assert listing["action"] == "read" and listing["actor"].startswith("key:")
    assert json.loads(listing["details"])["feedback_ids"] == ["f5", "f4"]
    single = [r for r in rows if r["target_id"] == "f4"]
    assert single and json.loads(single[-1]["details"])["original_text"] is True


def test_the_routes_are_documented(api) -> None:
    client, _, _ = api
    schema = client.get("/openapi.json").json()
    listing = schema["paths"]["/v1/feedback"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    expected = "q language sentiment theme intent touchpoint team nps_band csat_band ces_band"
    assert {*expected.split(), "date_from", "date_to", "limit", "offset"} <= names
    assert {"200", "401", "403", "422"} <= set(listing["responses"])
    assert "/v1/feedback/{feedback_id}" in schema["paths"]
    assert "FeedbackEntry" in schema["components"]["schemas"]
