"""The Drivers page: a valid quadrant chart with a table beside it, three languages, roles."""

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
from driver_tables import seed_driver_company

SCHEMA = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"


@pytest.fixture
def driver_company(web_warehouse: Warehouse) -> Warehouse:
    seed_driver_company(web_warehouse)
    return web_warehouse


def chart_spec(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="drivers-chart-spec">(.*?)</script>', html, re.S
    )
    assert match, "no chart on the page"
    return json.loads(match.group(1))


def table_rows(html: str) -> list[str]:
    body = html[html.index('class="data-table drivers-table"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_chart_and_table_agree(signed_in: Callable[..., TestClient], driver_company) -> None:
    html = signed_in("analyst").get("/drivers").text
    assert "Key drivers" in html and "What drives NPS" in html
    spec = chart_spec(html)
    jsonschema.validate(spec, json.loads(SCHEMA.read_text()))
    layers = [layer for layer in spec["layer"] if "data" in layer and "values" in layer["data"]]
    points = next(layer for layer in layers if layer["mark"]["type"] == "point")
    drivers = {v["driver"]: v for v in points["data"]["values"]}
    assert set(drivers) == {
        "delivery CSAT", "store CSAT", "billing (theme)", "price (theme)", "Value for money",
    }  # fmt: skip
    rows = table_rows(html)
    assert len(rows) == len(drivers)
    top_two = " ".join(rows[:2])
    assert "delivery CSAT" in top_two and "billing (theme)" in top_two
    labels = {v["quadrant_label"] for v in drivers.values()}
    assert labels <= {"Fix first", "Keep up", "Lower priority", "Maintain"}
    assert (
        drivers["billing (theme)"]["quadrant"] == "fix_first"
    )  # important, every mention negative
    texts = [layer for layer in layers if layer["mark"]["type"] == "text"]
    corners = {layer["data"]["values"][0]["quadrant"] for layer in texts
               if len(layer["data"]["values"]) == 1}  # fmt: skip
    assert corners == {"Fix first", "Keep up", "Lower priority", "Maintain"}


def test_other_outcomes(signed_in: Callable[..., TestClient], driver_company) -> None:
    client = signed_in("analyst")
    html = client.get("/drivers?outcome=churn").text
    assert "What drives Churn" in html and 'aria-current="true">Churn' in html
    html = client.get("/drivers?outcome=%3Cscript%3E").text  # unknown: NPS, escaped
    assert 'aria-current="true">NPS' in html and "<script>" not in html


def test_spanish_and_chinese(signed_in: Callable[..., TestClient], driver_company) -> None:
    es = signed_in("analyst", language="es").get("/drivers").text
    assert "Impulsores clave" in es and "Corregir primero" in es
    zh = signed_in("analyst", language="zh").get("/drivers").text
    assert "关键驱动因素" in zh and "优先改进" in zh
    assert "95% bootstrap 百分位区间" in zh and "percentiles bootstrap del 95%" in es


def test_empty_project_says_why(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("analyst").get("/drivers").text
    assert "Not enough data yet" in html and "drivers-chart" not in html


def test_navigation_links_the_page(signed_in: Callable[..., TestClient], driver_company) -> None:
    html = signed_in("analyst").get("/").text
    assert 'href="/drivers"' in html


def test_viewers_read_it_as_they_read_v1_drivers(
    signed_in: Callable[..., TestClient], driver_company
) -> None:
    response = signed_in("viewer").get("/drivers")
    assert response.status_code == 200 and "drivers-chart" in response.text


def test_anonymous_callers_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/drivers", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
