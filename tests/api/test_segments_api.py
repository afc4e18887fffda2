"""``/v1/segments``: counts for viewers, members for agents (audited), errors as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.act.segment_refresh import refresh_segments
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project
from cxloop.storage import open_warehouse
from segment_tables import add_shop


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict, object]]:
    directory: Path = tmp_path_factory.mktemp("segment-api") / "acme"
    init_project(directory)
    (directory / "segments" / "es.yaml").write_text(
        'id: es\nname: Spanish\nrule: language == "es"\n', encoding="utf-8"
    )
    settings = Settings.load(project=directory)
    warehouse = open_warehouse(settings.warehouse_url)
    add_shop(warehouse)
    refresh_segments(warehouse, settings)
    keys = {role.value: add_key(warehouse, "api", role=role)[1] for role in Role}
    with TestClient(create_app(settings, warehouse=warehouse)) as client:
        yield client, keys, warehouse
    warehouse.close()


def auth(keys: dict, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}"}


def test_viewers_read_counts_and_history(api) -> None:  # type: ignore[no-untyped-def]
    client, keys, _ = api
    listed = client.get("/v1/segments", headers=auth(keys, "viewer"))
    assert listed.status_code == 200
    assert [(s["id"], s["members"]) for s in listed.json()] == [("es", 2)]
    one = client.get("/v1/segments/es", headers=auth(keys, "viewer")).json()
    assert one["rule"] == 'language == "es"' and one["history"][0]["entered"] == 2


def test_members_need_an_agent_and_are_audited(api) -> None:  # type: ignore[no-untyped-def]
    client, keys, warehouse = api
    refused = client.get("/v1/segments/es/members", headers=auth(keys, "viewer"))
    assert refused.status_code == 403
    page = client.get("/v1/segments/es/members?limit=1", headers=auth(keys, "agent")).json()
    assert page["total"] == 2 and [m["customer_id"] for m in page["members"]] == ["c2"]
    rest = client.get("/v1/segments/es/members?offset=1", headers=auth(keys, "agent")).json()
    assert [m["customer_id"] for m in rest["members"]] == ["c4"]
    log = warehouse.to_pandas(warehouse.table("audit_log"))
    reads = log[log.target_table == "segment_members"]
    assert len(reads) == 2 and '"c2"' in reads["details"].iloc[0]


def test_unknown_and_malformed_ids(api) -> None:  # type: ignore[no-untyped-def]
    client, keys, _ = api
    missing = client.get("/v1/segments/nope", headers=auth(keys, "viewer"))
    assert missing.status_code == 404
    assert missing.json()["error"]["message"].startswith("no segment 'nope'")
    bad = client.get("/v1/segments/Not%20An%20Id", headers=auth(keys, "viewer"))
    assert bad.status_code == 422
    too_many = client.get("/v1/segments/es/members?limit=5000", headers=auth(keys, "agent"))
    assert too_many.status_code == 422
