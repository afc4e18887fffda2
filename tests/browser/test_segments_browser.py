"""The Segments page in a real Chromium over the demo company: both charts drawn under the
strict CSP, the overlap matrix, a member list one click away for an agent, and the page on a
phone in Spanish without sideways scrolling. Screenshots go to pytest's tmp dir (or to
$CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.storage import open_warehouse
from demo_warehouses import BROWSER, DemoWarehouses

PASSWORD = "difference-engine-1822"
AGENT = "grace@example.com"

pytestmark = [
    pytest.mark.browser,
    BROWSER.mark,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(
    demo_warehouses: DemoWarehouses,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The real app under uvicorn over a copy of the small demo company with its six
    segments."""
    shared = demo_warehouses.get(BROWSER, request)
    settings = shared.copy(tmp_path_factory.mktemp("segments-browser") / "demo")
    warehouse = open_warehouse(settings.warehouse_url)
    add_user(warehouse, AGENT, PASSWORD, "agent", name="Grace")
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base
    finally:
        warehouse.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_segments_page_charts_overlaps_members_and_phone(browser, server: str, shots: Path) -> None:
    session = open_session(browser, server, DESKTOP, "en-US", email=AGENT, password=PASSWORD)
    page = session.page
    session.go("/segments")
    for chart in ("ladder", "lifecycle"):
        page.wait_for_selector(f"#{chart}-chart.chart-drawn, #{chart}-chart.chart-failed")  # type: ignore[attr-defined]
        assert page.locator(f"#{chart}-chart.chart-drawn svg").count() == 1  # type: ignore[attr-defined]
        bars = page.locator(f"#{chart}-chart svg g.mark-rect path").count()  # type: ignore[attr-defined]
        assert bars >= 12, f"{chart}: {bars} bars"
    matrix = page.locator(".overlap-matrix tbody tr")  # type: ignore[attr-defined]
    assert matrix.count() == 6
    assert page.locator(".overlap-matrix td.diagonal").count() == 6  # type: ignore[attr-defined]
    page.screenshot(path=shots / "segments-desktop.png", full_page=True)  # type: ignore[attr-defined]
    page.screenshot(path=shots / "segments-desktop-top.png")  # type: ignore[attr-defined]
    page.locator("#ladder-heading").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    page.screenshot(path=shots / "segments-desktop-ladder.png")  # type: ignore[attr-defined]

    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(".segments-table a >> text=Advocates")  # type: ignore[attr-defined]
    assert page.url.startswith(server + "/segments/advocates")  # type: ignore[attr-defined]
    members = page.locator("main table a[href^='/customers/']")  # type: ignore[attr-defined]
    assert members.count() > 0
    page.screenshot(path=shots / "segment-members.png", full_page=True)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        members.first.click()
    assert "/customers/" in page.url  # type: ignore[attr-defined]
    session.check_clean()
    page.context.close()  # type: ignore[attr-defined]

    phone = open_session(browser, server, PHONE, "es-ES", email=AGENT, password=PASSWORD)
    phone.go("/segments")
    phone.page.wait_for_selector("#ladder-chart.chart-drawn")  # type: ignore[attr-defined]
    assert phone.page.locator("main h1").inner_text() == "Segmentos"  # type: ignore[attr-defined]
    assert "Escalera de lealtad" in phone.page.locator("main").inner_text()  # type: ignore[attr-defined]
    width = phone.page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"]
    rows = phone.page.locator(".segments-table tbody tr")  # type: ignore[attr-defined]
    assert rows.first.bounding_box()["width"] > 250  # a card per segment, not a squeezed row
    phone.page.screenshot(path=shots / "segments-phone-es.png", full_page=True)  # type: ignore[attr-defined]
    phone.page.screenshot(path=shots / "segments-phone-es-top.png")  # type: ignore[attr-defined]
    phone.page.locator("#ladder-heading").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    phone.page.screenshot(path=shots / "segments-phone-es-ladder.png")  # type: ignore[attr-defined]
    phone.check_clean()
    phone.page.context.close()  # type: ignore[attr-defined]
