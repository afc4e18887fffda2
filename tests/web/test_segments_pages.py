"""The Segments page: counts, overlaps, ladder and lifecycle for viewers; members for agents."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from cxloop.act.segment_refresh import refresh_segments
from cxloop.config import Settings
from cxloop.storage import Warehouse
from segment_tables import add_shop


@pytest.fixture
def segmented(web_settings: Settings, web_warehouse: Warehouse) -> Settings:
    add_shop(web_warehouse)
    folder = web_settings.project / "segments"
    (folder / "es.yaml").write_text(
        'id: es\nname: Spanish <speakers>\nrule: language == "es"\n', encoding="utf-8"
    )
    (folder / "buyers.yaml").write_text(
        "id: buyers\nname: Buyers\ndescription: At least one order\nrule: orders_total >= 1\n",
        encoding="utf-8",
    )
    refresh_segments(web_warehouse, web_settings)
    return web_settings


def test_viewers_see_counts_overlaps_and_stages_without_member_links(
    segmented: Settings, signed_in: Callable[..., TestClient]
) -> None:
    html = signed_in("viewer").get("/segments").text
    assert "Spanish &lt;speakers&gt;" in html and "<speakers>" not in html
    assert 'href="/segments/es"' not in html
    matrix = html[html.index('class="data-table numbers overlap-matrix"') :]
    matrix = matrix[: matrix.index("</table>")]
    cells = re.findall(r"<td(?: class=\"diagonal\")?>(\d+)</td>", matrix)
    assert cells == ["5", "2", "2", "2"]  # buyers×buyers, buyers×es, es×buyers, es×es
    spec = json.loads(re.search(r'id="ladder-chart-spec">(.*?)</script>', html, re.S).group(1))
    values = spec["data"]["values"]
    last = max(v["snapshot"] for v in values)
    rungs = {v["stage"]: v["customers"] for v in values if v["snapshot"] == last}
    # on 2025-07-05 00:00:01: c5's NPS 0 is in, so c2 and c5 are detractors
    assert rungs == {"Detractor": 2, "Satisfied": 2, "Loyal": 0, "Advocate": 2}
    assert "Lifecycle stages" in html and "Moves since the month before" in html


def test_agents_follow_links_to_members_and_are_audited(
    segmented: Settings, signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    client = signed_in("agent")
    assert 'href="/segments/es"' in client.get("/segments").text
    page = client.get("/segments/es").text
    assert 'href="/customers/c2"' in page and 'href="/customers/c4"' in page
    log = web_warehouse.to_pandas(web_warehouse.table("audit_log"))
    assert (log["target_table"] == "segment_members").sum() == 1
    assert client.get("/segments/nope").status_code == 404


def test_viewers_may_not_open_members(
    segmented: Settings, signed_in: Callable[..., TestClient]
) -> None:
    assert signed_in("viewer").get("/segments/es").status_code == 403


@pytest.mark.parametrize("language", ["es", "zh"])
def test_the_page_is_translated(
    segmented: Settings, signed_in: Callable[..., TestClient], language: str
) -> None:
    html = signed_in("viewer", language=language).get("/segments").text
    assert "Loyalty ladder" not in html and "Overlaps" not in html


def test_an_empty_project_says_how_to_start(
    web_settings: Settings, signed_in: Callable[..., TestClient]
) -> None:
    html = signed_in("viewer").get("/segments").text
    assert "cxloop segment refresh" in html
