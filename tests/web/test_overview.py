"""The Overview page: counts, the weekly chart, the latest feedback, the audit trail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import altair
import jsonschema
import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from cxloop.storage import Warehouse

SCHEMA = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"


def chart_spec(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="volume-chart-spec">(.*?)</script>', html, re.S
    )
    assert match, "no chart spec on the page"
    return json.loads(match.group(1))


def latest_rows(html: str) -> list[str]:
    body = html[html.index('class="data-table feedback-table"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def append(warehouse: Warehouse, table: str, rows: list[dict]) -> None:
    warehouse.append(table, pa.Table.from_pylist(rows))


def test_counts_show_source_records_until_identities_are_resolved(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse, seed_feedback
) -> None:
    seed_feedback(4)
    append(web_warehouse, "source_records", [
        {"record_id": f"crm:{i}", "source": "crm", "source_id": str(i)} for i in range(1234)
    ])  # fmt: skip
    append(web_warehouse, "events", [
        {"event_id": f"e{i}", "source": "web", "type": "track", "name": "Viewed"}
        for i in range(7)
    ])  # fmt: skip
    client = signed_in("viewer")
    html = client.get("/").text
    assert re.search(r'stat-value">1,234</span>\s*<span class="stat-label">Customer records', html)
    assert "Identity resolution has not run yet" in html and "<code>cxloop resolve</code>" in html
    assert re.search(r'stat-value">7</span>\s*<span class="stat-label">Events', html)
    assert re.search(r'stat-value">4</span>\s*<span class="stat-label">Pieces of feedback', html)
    spanish = client.get("/", headers={"Accept-Language": "es"}).text
    assert 'stat-value">1.234</span>' in spanish, "numbers are formatted for the locale"

    append(web_warehouse, "customers", [{"customer_id": "c1", "name": "Ana"}])
    html = client.get("/").text
    assert re.search(r'stat-value">1</span>\s*<span class="stat-label">Customers', html)
    assert "Identity resolution has not run yet" not in html


def test_feedback_text_is_escaped(signed_in: Callable[..., TestClient], seed_feedback) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    seed_feedback(rows=[{
        "feedback_id": "web:1", "source": "web", "ts": datetime(2026, 5, 4, tzinfo=UTC),
        "kind": "review", "touchpoint": "<b>app</b>", "language": 'en" onmouseover="x',
        "text": attack,
    }])  # fmt: skip
    html = signed_in("admin").get("/").text
    assert attack not in html and "<b>app</b>" not in html
    assert str(escape(attack)) in html
    assert "&lt;b&gt;app&lt;/b&gt;" in html
    assert 'onmouseover="x' not in html, "a bad language code never reaches an attribute"


def test_latest_feedback_lists_the_newest_twenty(
    signed_in: Callable[..., TestClient], seed_feedback
) -> None:
    seed_feedback(25)
    html = signed_in("admin").get("/").text
    rows = latest_rows(html)
    assert len(rows) == 20
    assert '<time datetime="2026-03-26T09:30:00+00:00">Mar 26, 2026, 9:30' in rows[0]
    first = rows[0]
    assert "English" in first and "Survey" in first and "delivery" in first
    assert "NPS 2" in first and 'lang="en"' in first and "Delivery was late again" in first
    assert "Times in UTC" in html
    chinese = latest_rows(signed_in("admin", language="zh").get("/").text)[0]
    assert "英语" in chinese and "调查问卷" in chinese and "2026年3月26日 09:30" in chinese


def test_only_admins_read_the_original_text_of_the_latest_feedback(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse, seed_feedback
) -> None:
    seed_feedback(rows=[
        {"feedback_id": "web:1", "source": "web", "ts": datetime(2026, 5, 4, tzinfo=UTC),
         "language": "en", "text": "Call me on +44 20 7946 0958, Ana"},
        {"feedback_id": "web:2", "source": "web", "ts": datetime(2026, 5, 3, tzinfo=UTC),
         "language": "en", "text": "Write to ana@example.com"},
    ])  # fmt: skip
    append(web_warehouse, "feedback_insights", [
        {"feedback_id": "web:1", "language": "en", "redacted_text": "Call me on [PHONE], [NAME]"},
    ])  # fmt: skip
    for role in ("viewer", "agent", "analyst"):
        rows = latest_rows(signed_in(role).get("/").text)
        assert "Call me on [PHONE], [NAME]" in rows[0], role
        assert "Shown once analysed" in rows[1], "text not redacted yet is withheld"
        assert "7946" not in "".join(rows) and "ana@example.com" not in "".join(rows), role
    rows = latest_rows(signed_in("admin").get("/").text)
    assert "+44 20 7946 0958" in rows[0] and "ana@example.com" in rows[1]
    spanish = latest_rows(signed_in("viewer", language="es").get("/").text)
    assert "Se muestra una vez analizado" in spanish[1]


def test_reading_the_latest_feedback_is_audited(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse, seed_feedback
) -> None:
    seed_feedback(3)
    signed_in("agent").get("/")
    audit = web_warehouse.to_pandas(web_warehouse.table("audit_log"))
    reads = audit[audit.action == "read"]
    assert len(reads) == 1
    read = reads.iloc[0]
    assert read.actor == "user:agent1@example.com" and read.target_table == "feedback"
    details = json.loads(read.details)
    assert details["page"] == "overview" and details["rows"] == 3
    assert sorted(details["feedback_ids"]) == ["crm:f0", "crm:f1", "crm:f2"]


def test_the_chart_spec_is_valid_vega_lite_with_its_data(
    signed_in: Callable[..., TestClient], seed_feedback
) -> None:
    seed_feedback(30)
    html = signed_in("viewer").get("/").text
    spec = chart_spec(html)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(spec, schema)
    values = spec["data"]["values"]
    assert sum(v["count"] for v in values) == 30
    assert {v["group"] for v in values} == {"English", "Spanish", "Chinese"}
    assert spec["encoding"]["color"]["scale"]["domain"] == ["English", "Spanish", "Chinese"]
    assert "30 in all" in spec["description"]
    # drawn by local scripts only, with an accessible name and the numbers as a table
    assert '<script src="/static/vendor/vega.js?v=' in html
    assert '<script src="/static/js/charts.js?v=' in html
    assert re.search(r'<div class="chart" id="volume-chart" role="img" aria-label="Bar chart', html)
    assert '<caption id="volume-table-caption">Bar chart' in html


def test_the_chart_speaks_the_page_language(
    signed_in: Callable[..., TestClient], seed_feedback
) -> None:
    seed_feedback(9)
    spec = chart_spec(signed_in("viewer", language="es").get("/?by=kind").text)
    assert {v["group"] for v in spec["data"]["values"]} == {
        "Encuesta",
        "Ticket de soporte",
        "Reseña",
    }
    assert spec["encoding"]["color"]["title"] == "Tipo"
    assert spec["config"]["locale"]["time"]["months"][0] == "enero"
    assert spec["encoding"]["x"]["axis"]["format"] == "%-d %b"


def test_a_project_without_feedback_shows_no_chart(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer").get("/").text
    assert "No feedback yet" in html and "Nothing to show yet." in html
    assert "vega.js" not in html and "volume-chart-spec" not in html


@pytest.mark.parametrize("by", ["language", "kind"])
def test_the_grouping_switch_marks_the_current_choice(
    signed_in: Callable[..., TestClient], seed_feedback, by: str
) -> None:
    seed_feedback(3)
    html = signed_in("viewer").get(f"/?by={by}").text
    assert f'<a href="/?by={by}" aria-current="true">' in html
