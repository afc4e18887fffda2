"""The Journeys page: Sankey chart with its tables, time between steps, drop-off, moments of
truth as chart and table, roles, escaping and three languages."""

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
from journey_tables import seed_journey_shop

SCHEMA = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"


@pytest.fixture
def shop(web_warehouse: Warehouse) -> Warehouse:
    seed_journey_shop(web_warehouse)
    return web_warehouse


def test_the_page_shows_flows_times_drop_off_and_moments(
    signed_in: Callable[..., TestClient], shop
) -> None:
    html = signed_in("viewer").get("/journeys").text
    assert "<h1>Journeys</h1>" in html
    svg = html[html.index('<svg class="sankey"') : html.index("</svg>")]
    assert svg.count('class="sankey-link"') == 3  # web→billing, billing→delivery, delivery→call
    assert "Web → Billing: 200 journeys" in svg
    assert "Delivery at step 3: 200 journeys, 160 end here" in svg
    assert "Web → Billing → Delivery" in html and "80%" in html
    times = html[html.index('id="times-heading"') :]
    assert "Billing" in times and "Delivery" in times and "47.9 h" in times
    match = re.search(r'id="moments-chart-spec">(.*?)</script>', html, re.S)
    assert match
    spec = json.loads(match.group(1))
    jsonschema.validate(spec, json.loads(SCHEMA.read_text()))
    assert [v["touchpoint"] for v in spec["layer"][1]["data"]["values"]] == ["Delivery"]
    table = html[html.index('class="data-table moments-table"') :]
    row = re.search(r"<tr>\s*<td>1</td>\s*<th scope=\"row\">Delivery</th>(.*?)</tr>", table, re.S)
    assert row and "−4.0" in row.group(1)
    assert "C0001" not in html


def test_the_page_in_spanish_and_chinese(signed_in: Callable[..., TestClient], shop) -> None:
    es = signed_in("viewer", language="es").get("/journeys").text
    assert "Recorridos" in es and "Momentos de la verdad" in es and "Entrega" in es
    zh = signed_in("viewer", language="zh").get("/journeys").text
    assert "客户旅程" in zh and "关键时刻" in zh and "配送" in zh


def test_an_empty_warehouse_says_so(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer").get("/journeys").text
    assert "No journeys yet" in html and "sankey" not in html.split("<main", 1)[-1][:200]


def test_touchpoints_are_escaped(signed_in: Callable[..., TestClient], web_warehouse) -> None:
    seed_journey_shop(web_warehouse)
    web_warehouse.append_rows("events", [{
        "event_id": "x1", "customer_id": "C0001", "name": "Page Viewed",
        "touchpoint": "<script>alert(1)</script>", "ts": __import__("datetime").datetime(
            2026, 1, 5, 9, 1, tzinfo=__import__("datetime").UTC),
    }])  # fmt: skip
    html = signed_in("viewer").get("/journeys").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_signed_out_people_are_sent_to_login(client: TestClient) -> None:
    response = client.get("/journeys", follow_redirects=False)
    assert response.status_code in (302, 303) and "/login" in response.headers["location"]


@pytest.mark.parametrize("since", ["2027-01-01"])
def test_since_filters_the_report(signed_in: Callable[..., TestClient], shop, since) -> None:
    html = signed_in("viewer").get(f"/journeys?since={since}").text
    assert "No journeys yet" in html and f'value="{since}"' in html
