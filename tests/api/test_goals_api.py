"""``GET /v1/goals`` and ``GET /v1/goals/{goal_id}``: roles, status, trend points, errors."""

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

GOALS = """\
goals:
  - id: team-a-csat
    kpi: csat
    scope: {team: a}
    target: 0.5
    deadline: 2026-03-31
    owner: Team A lead
  - id: company-nps
    kpi: nps
    target: 95
    deadline: 2026-02-28
    owner: CCO
"""
# team a: every answer top-2-box in January and February; team b: none
ROWS = [(f"2026-0{m}-{d:02d}", "a", "billing", 9, 5, 2) for m in (1, 2) for d in range(1, 21)]
ROWS += [(f"2026-0{m}-{d:02d}", "b", "delivery", 3, 2, 6) for m in (1, 2) for d in range(1, 6)]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    directory: Path = tmp_path_factory.mktemp("goals-api") / "acme"
    init_project(directory)
    (directory / "goals.yaml").write_text(GOALS, encoding="utf-8")
    settings = Settings.load(project=directory, kpi_small_n=10)
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
    for path in ("/v1/goals", "/v1/goals/company-nps"):
        got = TestClient(client.app).get(path)
        assert got.status_code == 401 and got.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_from_viewer_up_reads_goals(api, role: str) -> None:
    client, keys = api
    assert client.get("/v1/goals", headers=auth(keys, role)).status_code == 200


def test_the_server_stores_goals_yaml_and_judges_each_goal(api) -> None:
    client, keys = api
    got = client.get("/v1/goals", params={"as_of": "2026-03-15"}, headers=auth(keys, "viewer"))
    assert got.status_code == 200, got.text
    by_id = {g["goal"]["id"]: g for g in got.json()}
    assert set(by_id) == {"team-a-csat", "company-nps"}
    team = by_id["team-a-csat"]
    assert team["status"] == "hit" and team["sentence"].startswith("Hit:")
    assert team["goal"]["scope"] == {"dimension": "team", "value": "a"}
    assert team["latest"]["n"] == 20 and team["latest"]["ci_low"] >= 0.5
    nps = by_id["company-nps"]  # 20 promoters and 5 detractors a month: NPS 60, deadline gone
    assert nps["status"] == "miss" and nps["reason"] == "missed"
    assert nps["latest"]["value"] == pytest.approx(60.0)


def test_one_goal_with_its_trend_points(api) -> None:
    client, keys = api
    got = client.get("/v1/goals/team-a-csat", params={"as_of": "2026-03-15"},
                     headers=auth(keys, "viewer"))  # fmt: skip
    assert got.status_code == 200, got.text
    doc = got.json()
    assert [p["period_start"] for p in doc["trend"]] == ["2026-01-01", "2026-02-01"]
    assert all(p["value"] == 1.0 and p["n"] == 20 for p in doc["trend"])
    assert doc["small_n_threshold"] == 10 and doc["as_of"] == "2026-03-15"


def test_team_filter(api) -> None:
    client, keys = api
    got = client.get("/v1/goals", params={"team": "a"}, headers=auth(keys, "viewer"))
    assert [g["goal"]["id"] for g in got.json()] == ["team-a-csat"]
    none = client.get("/v1/goals", params={"team": "zzz"}, headers=auth(keys, "viewer"))
    assert none.json() == []


def test_unknown_goal_and_bad_date(api) -> None:
    client, keys = api
    missing = client.get("/v1/goals/nope", headers=auth(keys, "viewer"))
    assert missing.status_code == 404 and "nope" in missing.json()["error"]["message"]
    bad = client.get("/v1/goals", params={"as_of": "soon"}, headers=auth(keys, "viewer"))
    assert bad.status_code == 422


def test_a_goals_file_with_a_mistake_keeps_the_server_up(tmp_path: Path) -> None:
    directory = tmp_path / "acme"
    init_project(directory)
    (directory / "goals.yaml").write_text(GOALS.replace("kpi: nps", "kpi: joy"), encoding="utf-8")
    settings = Settings.load(project=directory)
    with TestClient(create_app(settings)) as client:
        assert "goals.yaml:9: goals.1.kpi: " in client.app.state.goals_error
        key = add_key(client.app.state.warehouse, "api", role=Role.VIEWER)[1]
        got = client.get("/v1/goals", headers={"Authorization": f"Bearer {key}"})
        assert got.status_code == 200  # the starter's goals, stored when the project was made
