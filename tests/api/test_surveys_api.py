from __future__ import annotations

from fastapi.testclient import TestClient

from cxloop.collect.surveys import load_surveys
from cxloop.config import Settings
from survey_data import invitation_events, respond

STARTERS = {
    "post-delivery", "support-csat", "billing-ces", "customer-centricity",
    "employee-customer-centricity", "employee-engagement", "employee-enps", "employee-wellbeing",
    "ambassador-programme",
}  # fmt: skip


def test_list_and_detail(served: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = served
    settings: Settings = client.app.state.settings
    warehouse = client.app.state.warehouse
    survey = load_surveys(settings.project)["support-csat"]
    invitation_events(warehouse, "support-csat", {"sent": 4, "responded": 2})
    respond(warehouse, survey, [{"csat": 5, "resolved": "yes"}, {"csat": 2, "missing": "a call"}])
    auth = {"Authorization": f"Bearer {keys['analyst']}"}
    listed = client.get("/v1/surveys", headers=auth)
    assert listed.status_code == 200
    by_id = {s["id"]: s for s in listed.json()}
    assert set(by_id) == STARTERS
    funnel = by_id["support-csat"]["funnel"]
    assert (funnel["invitations"], funnel["responses"], funnel["response_rate"]) == (4, 2, 0.5)
    detail = client.get("/v1/surveys/support-csat?language=es", headers=auth).json()
    assert detail["definition"]["questions"][0]["id"] == "csat"
    [csat] = detail["results"]["scores"]
    assert (csat["kpi"], csat["n"], csat["value"]) == ("csat", 2, 0.5)
    resolved = detail["results"]["distributions"][1]
    assert resolved["answers"][0]["label"] == "Sí"
    assert all(c["text"] is None for c in detail["results"]["comments"])  # analyst: redacted
    admin = client.get("/v1/surveys/support-csat", headers={
        "Authorization": f"Bearer {keys['admin']}"}).json()  # fmt: skip
    assert [c["text"] for c in admin["results"]["comments"]] == ["a call"]
    missing = client.get("/v1/surveys/nope", headers=auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/v1/surveys", headers={
        "Authorization": f"Bearer {keys['viewer']}"}).status_code == 403  # fmt: skip


def test_the_server_writes_the_project_definitions_into_the_warehouse(served) -> None:
    client, _ = served
    assert set(client.app.state.surveys) == STARTERS
    warehouse = client.app.state.warehouse
    stored = warehouse.to_pandas(warehouse.table("surveys").select("survey_id", "version"))
    assert sorted(stored["survey_id"]) == sorted(STARTERS)
