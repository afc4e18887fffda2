"""The tracking plan on the Settings page: the plan the collector checks, and the violations it
counted, for analysts and admins only."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.collect.tracking_plan import TrackingPlan
from cxloop.collect.tracking_violations import violation_row, violations_table
from cxloop.config import Settings
from cxloop.storage import Warehouse

PLAN = """\
strict: false
events:
  Order Placed:
    properties:
      type: object
      required: [order_id]
      properties:
        amount: {type: number, minimum: 0}
  App Opened: {}
"""


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    """The project of every test here has a tracking plan, read when the app starts."""
    (web_settings.project / "tracking_plan.yaml").write_text(PLAN, encoding="utf-8")
    return web_settings


def send_batch(client: TestClient, warehouse: Warehouse, messages: list[dict]) -> None:
    """Send ``track`` calls through the collector with a new write key for the source ``web``."""
    _, secret = add_key(warehouse, "write", source="web")
    auth = "Basic " + base64.b64encode(f"{secret}:".encode()).decode()
    body = {"batch": [{"type": "track", "userId": "u1", **m} for m in messages]}
    response = client.post("/v1/batch", json=body, headers={"Authorization": auth})
    assert response.status_code == 200, response.text


def table_rows(html: str, heading_id: str) -> list[list[str]]:
    """The text of each body row's cells in the table labelled by ``heading_id``."""
    match = re.search(rf'aria-labelledby="{heading_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert match, f"no table labelled by {heading_id}"
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S)
    ]


def test_an_analyst_sees_the_plan_and_the_violations_counted(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    client = signed_in("analyst")
    send_batch(
        client,
        web_warehouse,
        [
            {"event": "Order Placed", "messageId": "m1", "properties": {"amount": -5}},
            {"event": "Order Cancled", "messageId": "m2"},
            {"event": "Order Cancled", "messageId": "m3"},
            {"event": "App Opened", "messageId": "m4"},
        ],
    )
    html = client.get("/settings").text
    assert '<h2 id="tracking-heading">Tracking plan</h2>' in html
    assert "<code>tracking_plan.yaml</code> in the project directory" in html
    assert "Loaded" in html and "Lenient: events that break the plan are stored" in html
    assert "<dt>Violations recorded</dt><dd>4</dd>" in html
    events = re.search(r'id="tracking-events-heading".*?<ul>(.*?)</ul>', html, re.S)
    assert events and re.findall(r"<li>(.*?)</li>", events.group(1)) == [
        "App Opened",
        "Order Placed",
    ]
    counts = table_rows(html, "tracking-counts-heading")
    assert [row[:4] for row in counts] == [
        ["Order Cancled", "unknown event", "2", "0"],
        ["Order Placed", "missing required property &#39;order_id&#39;", "1", "0"],
        ["Order Placed", "properties.amount: must satisfy minimum 0", "1", "0"],
    ]
    assert all(row[4] for row in counts), "each count says when it was last seen"
    recent = table_rows(html, "tracking-recent-heading")
    assert len(recent) == 4
    assert {row[2] for row in recent} == {"web:m1", "web:m2", "web:m3"}
    assert {row[5] for row in recent} == {"Event stored"}
    assert "Times in UTC" in html


def test_at_most_twenty_recent_violations_are_listed(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    start = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    rows = [
        violation_row(
            source="app",
            event_id=f"app:m{i}",
            event_name="Checkout Started",
            problem="unknown event",
            rejected=i % 2 == 0,
            ts=start + timedelta(minutes=i),
        )
        for i in range(25)
    ]
    web_warehouse.append("tracking_violations", violations_table(rows))
    html = signed_in("admin").get("/settings").text
    assert "<dt>Violations recorded</dt><dd>25</dd>" in html
    assert table_rows(html, "tracking-counts-heading") == [
        ["Checkout Started", "unknown event", "25", "13", "Mar 2, 2026, 9:54\u202fAM"]
    ]
    recent = table_rows(html, "tracking-recent-heading")
    assert len(recent) == 20
    assert recent[0][2] == "app:m24" and recent[-1][2] == "app:m5", "newest first"
    assert recent[0][5] == "Event refused" and recent[1][5] == "Event stored"


@pytest.mark.parametrize("role", ["viewer", "agent"])
def test_viewers_and_agents_do_not_see_the_tracking_plan(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse, role: str
) -> None:
    client = signed_in(role)
    send_batch(client, web_warehouse, [{"event": "Order Cancled", "messageId": "m1"}])
    html = client.get("/settings").text
    assert "tracking-heading" not in html and "Tracking plan" not in html
    assert "Order Cancled" not in html and "tracking_plan.yaml" not in html


def test_event_names_and_problems_are_escaped(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    client = signed_in("analyst")
    send_batch(client, web_warehouse, [{"event": "<script>alert(1)</script>", "messageId": "x"}])
    row = violation_row(
        source="<b>src</b>",
        event_id="<i>id</i>",
        event_name="<img src=x onerror=alert(2)>",
        problem="<script>alert(3)</script>",
        rejected=True,
        ts=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )
    web_warehouse.append("tracking_violations", violations_table([row]))
    html = client.get("/settings").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<b>src</b>" not in html and "<i>id</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("language", "heading", "mode"),
    [
        ("es", "Plan de seguimiento", "Flexible"),
        ("zh", "埋点计划", "宽松"),
    ],
)
def test_the_section_is_translated(
    signed_in: Callable[..., TestClient],
    web_warehouse: Warehouse,
    language: str,
    heading: str,
    mode: str,
) -> None:
    client = signed_in("analyst", language=language)
    send_batch(client, web_warehouse, [{"event": "Order Cancled", "messageId": "m1"}])
    html = client.get("/settings").text
    assert f'<h2 id="tracking-heading">{heading}</h2>' in html
    assert mode in html and "Order Cancled" in html


def test_a_strict_plan_says_so_to_an_analyst_api_key(
    app: FastAPI, client: TestClient, web_warehouse: Warehouse
) -> None:
    app.state.collector.plan = TrackingPlan.model_validate(
        {"strict": True, "events": {"App Opened": {}}}
    )
    _, secret = add_key(web_warehouse, "api", role="analyst")
    html = client.get("/settings", headers={"Authorization": f"Bearer {secret}"}).text
    assert "Strict: events that break the plan are refused" in html
    assert "<li>App Opened</li>" in html and "<li>Order Placed</li>" not in html
    assert '<p class="empty">No violations recorded.</p>' in html
