"""The Scorecard, the teams index and a team page: landing, goals, escaping, languages,
small-n marks and the eNPS confidentiality rule."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.storage import Warehouse
from web.conftest import PASSWORD, sign_in

GOALS = """\
goals:
  - id: a-csat
    kpi: csat
    scope: {team: a}
    target: 0.5
    deadline: 2030-12-31
    owner: "<b>Ann</b> & co"
  - id: company-nps
    kpi: nps
    target: 95
    deadline: 2026-02-28
    owner: CCO
"""


def fill(wh: Warehouse) -> None:
    rows = []
    for month in (1, 2, 3):
        for i in range(40):
            rows.append({
                "feedback_id": f"a{month}-{i}", "customer_id": f"c{i}", "team_id": "a",
                "ts": datetime(2026, month, 1 + i % 27, tzinfo=UTC), "touchpoint": "store",
                "channel": "web", "language": "en", "source": "survey",
                "nps": 10 if i % 4 else 2, "csat": 5 if i % 4 else 1,
            })  # fmt: skip
        for i in range(5):
            rows.append({
                "feedback_id": f"b{month}-{i}", "customer_id": f"d{i}", "team_id": "b",
                "ts": datetime(2026, month, 2 + i, tzinfo=UTC), "touchpoint": "<i>web</i>",
                "channel": "app", "language": "es", "source": "survey", "nps": 3, "csat": 2,
            })  # fmt: skip
    wh.append_rows("feedback", rows)
    wh.append_rows("teams", [
        {"team_id": "a", "name": "Stores A", "touchpoint": "store"},
        {"team_id": "b", "name": "<script>B</script>", "touchpoint": "<i>web</i>"},
    ])  # fmt: skip
    pulses = [
        {"pulse_id": f"{t}{e}", "employee_id": f"{t}{e}", "team_id": t, "enps": 9,
         "ts": datetime(2026, 2, 1, tzinfo=UTC)}
        for t, staff in (("a", 6), ("b", 2)) for e in range(staff)
    ]  # fmt: skip
    wh.append_rows("employee_pulses", pulses)


@pytest.fixture
def scorecard_app(web_settings: Settings, web_warehouse: Warehouse) -> FastAPI:
    (web_settings.project / "goals.yaml").write_text(GOALS, encoding="utf-8")
    fill(web_warehouse)
    return create_app(web_settings, warehouse=web_warehouse)


@pytest.fixture
def as_role(
    scorecard_app: FastAPI, web_warehouse: Warehouse
) -> Iterator[Callable[..., TestClient]]:
    with TestClient(scorecard_app) as client:
        count = 0

        def sign_in_as(role: str = "viewer", language: str | None = None) -> TestClient:
            nonlocal count
            count += 1
            email = f"{role}{count}@example.com"
            add_user(web_warehouse, email, PASSWORD, role, language=language)
            client.cookies.clear()
            sign_in(client, email)
            return client

        yield sign_in_as


def test_a_viewer_lands_on_the_scorecard_and_an_admin_on_the_overview(
    scorecard_app: FastAPI, web_warehouse: Warehouse
) -> None:
    with TestClient(scorecard_app) as client:
        for role, landing in (("viewer", "/scorecard"), ("admin", "/")):
            add_user(web_warehouse, f"{role}@example.com", PASSWORD, role)
            client.cookies.clear()
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
            response = client.post(
                "/login",
                data={"email": f"{role}@example.com", "password": PASSWORD,
                      "csrf_token": token.group(1), "next": "/"},
                follow_redirects=False,
            )  # fmt: skip
            assert response.headers["location"] == landing


def test_the_scorecard_shows_each_goal_with_its_status_and_rule(as_role) -> None:
    html = as_role("viewer").get("/scorecard").text
    assert (
        '<span class="goal-status is-hit"><span class="goal-symbol" aria-hidden="true">✔</span> '
        "Hit</span>" in html
    )
    assert "is-miss" in html and "✘</span> Miss" in html
    assert "Hit: the latest period (from Mar 1, 2026) is 75%" in html
    assert "&lt;b&gt;Ann&lt;/b&gt; &amp; co" in html and "<b>Ann</b>" not in html
    assert 'href="/teams/a"' in html
    counts = re.findall(r'is-(\w+)"><span class="goal-symbol"[^<]*</span> [^<]*</span> '
                        r'<span class="status-count">(\d+)', html)  # fmt: skip
    assert dict(counts) == {"hit": "1", "on_track": "0", "at_risk": "0", "miss": "1",
                            "not_enough_data": "0"}  # fmt: skip


def test_the_trend_chart_has_a_band_a_target_and_a_table(as_role) -> None:
    html = as_role("viewer").get("/scorecard?kpi=nps").text
    spec = json.loads(re.search(r'id="trend-chart-spec">(.*?)</script>', html, re.S).group(1))
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "line", "rule"]
    assert spec["layer"][2]["data"]["values"][0]["target"] == 95
    data = spec.get("data") or spec["layer"][0]["data"]
    assert [row["n"] for row in data["values"]] == [45, 45, 45]
    assert "Line chart of Net Promoter Score per month" in html
    assert html.count('<th scope="row">') >= 3


def test_the_drill_down_marks_small_n_and_names_the_window(as_role) -> None:
    html = as_role("viewer").get("/scorecard?kpi=csat&by=team").text
    table = html[html.index('class="data-table numbers drill-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', table, re.S)
    assert [name for name, _ in rows] == ["a", "b"]  # the best first
    assert "small n" in rows[1][1] and "small n" not in rows[0][1]
    assert "From Mar 1, 2026 to before Apr 1, 2026" in html
    by_touchpoint = as_role("viewer").get("/scorecard?kpi=csat&by=touchpoint").text
    assert "&lt;i&gt;web&lt;/i&gt;" in by_touchpoint and "<i>web</i>" not in by_touchpoint


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", ["Cuadro de mando", "Logrado", "No logrado", "Objetivo"]),
     ("zh", ["计分卡", "已达成", "未达成", "目标"])],
)  # fmt: skip
def test_the_scorecard_in_other_languages(as_role, language: str, words: list[str]) -> None:
    html = as_role("viewer", language=language).get("/scorecard").text
    for word in words:
        assert word in html, word
    assert "Hit:" not in html


def test_the_teams_index_and_a_team_page(as_role) -> None:
    client = as_role("viewer")
    index = client.get("/teams").text
    assert 'href="/teams/a"' in index and "&lt;script&gt;B&lt;/script&gt;" in index
    page = client.get("/teams/a").text
    assert "<h1>Stores A</h1>" in page and 'id="goal-a-csat"' in page
    assert "Touchpoint store" in page and "Feedback the team owns" in page
    assert 'id="team-chart-spec"' in page
    assert "Not shown: too few respondents" not in page  # 6 answered: at least 5
    small = client.get("/teams/b").text
    assert "Not shown: too few respondents" in small and "fewer than 5" in small
    assert client.get("/teams/nobody").status_code == 404


def test_a_goals_file_with_a_mistake_is_shown_on_the_scorecard(
    web_settings: Settings, web_warehouse: Warehouse
) -> None:
    (web_settings.project / "goals.yaml").write_text("goals:\n  - id: x\n    kpi: joy\n", "utf-8")
    app = create_app(web_settings, warehouse=web_warehouse)
    with TestClient(app) as client:
        add_user(web_warehouse, "v@example.com", PASSWORD, "viewer")
        sign_in(client, "v@example.com")
        html = client.get("/scorecard").text
    assert 'role="alert"' in html and "goals.yaml:3: goals.0.kpi: " in html


def test_the_drill_down_by_segment_says_the_segments_overlap(
    as_role, web_warehouse: Warehouse
) -> None:
    # <b>vip</b> has c0..c9 since its first refresh; team b's customers are in no segment
    web_warehouse.append_rows("segment_members", [
        {"member_id": f"m{i}", "segment_id": "<b>vip</b>", "customer_id": f"c{i}",
         "computed_at": datetime(2026, 6, 1, tzinfo=UTC), "change": "entered"}
        for i in range(10)
    ])  # fmt: skip
    html = as_role("viewer").get("/scorecard?kpi=csat&by=segment").text
    table = html[html.index('class="data-table numbers drill-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', table, re.S)
    assert [name for name, _ in rows] == ["&lt;b&gt;vip&lt;/b&gt;"]
    assert '<td data-label="n">10 ' in rows[0][1]  # March: c0..c9 once each
    assert "do not add up to the company figure" in html
    assert "do not add up" not in as_role("viewer").get("/scorecard?kpi=csat&by=team").text
