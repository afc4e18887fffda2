"""The Perception gap page: chart and table, withheld groups never leak, three languages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import altair
import jsonschema
import pytest
from fastapi.testclient import TestClient

from cxloop.storage import Warehouse
from gap_tables import seed_gap_company

SCHEMA = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"


@pytest.fixture
def gap_company(web_warehouse: Warehouse) -> Warehouse:
    seed_gap_company(web_warehouse)
    return web_warehouse


def chart_spec(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="gap-chart-spec">(.*?)</script>',
                      html, re.S)  # fmt: skip
    assert match, "no chart on the page"
    return json.loads(match.group(1))


def table_rows(html: str) -> list[str]:
    body = html[html.index('class="data-table gap-table"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_company_view_shows_the_gap(signed_in: Callable[..., TestClient], gap_company) -> None:
    html = signed_in("viewer").get("/gap").text
    assert "Perception gap" in html
    # the headline: managers 10 of 12 against customers 6 of 30
    assert "83%" in html and "20%" in html
    rows = table_rows(html)
    assert len(rows) == 2 and "They listen to me." in rows[0]
    assert "We listen to our customers." in rows[0]
    spec = chart_spec(html)
    jsonschema.validate(spec, json.loads(SCHEMA.read_text()))
    groups = {v["group"] for v in spec["data"]["values"]}
    assert groups == {"Managers", "Other employees", "Customers"}
    for team in ("Team A", "Team B", "Team D"):
        assert team in html


def test_a_team_of_four_managers_is_withheld_everywhere(
    signed_in: Callable[..., TestClient], gap_company
) -> None:
    html = signed_in("admin").get("/gap?team=T-A").text
    rows = table_rows(html)
    assert all("Withheld: fewer than 5 respondents" in row for row in rows)
    # team A's four managers all answered 5: no 100% may appear for them, in table or chart
    assert "100%" not in html
    spec = chart_spec(html)
    assert "Managers" not in {v["group"] for v in spec["data"]["values"]}
    assert "Managers − customers" in html and "Other employees − customers" in html


def test_a_team_of_five_managers_is_shown(
    signed_in: Callable[..., TestClient], gap_company
) -> None:
    html = signed_in("viewer").get("/gap?team=T-B").text
    assert "60%" in html and "Withheld" not in html
    spec = chart_spec(html)
    managers = [v for v in spec["data"]["values"] if v["group"] == "Managers"]
    assert [v["share"] for v in managers] == [0.6, 0.6]


def test_spanish_and_chinese(signed_in: Callable[..., TestClient], gap_company) -> None:
    es = signed_in("viewer", language="es").get("/gap?team=T-A").text
    assert "Brecha de percepción" in es and "Me escuchan." in es
    assert "Retenido" in es or "Oculto" in es
    zh = signed_in("viewer", language="zh").get("/gap").text
    assert "认知差距" in zh and "They listen to me." in zh  # no Chinese wording: the fallback


def test_unknown_team_shows_the_company(signed_in: Callable[..., TestClient], gap_company) -> None:
    html = signed_in("viewer").get("/gap?team=%3Cscript%3E").text
    assert "<script>" not in html.replace('<script type="application/json"', "").replace(
        "<script src=", ""
    )
    assert 'aria-current="true">Whole company' in html


def test_empty_project_explains_what_to_do(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer").get("/gap").text
    assert "type: statement" in html and "gap-chart" not in html


def test_anonymous_callers_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/gap", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
