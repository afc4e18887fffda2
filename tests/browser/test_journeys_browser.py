"""The Journeys page in a real Chromium: the server-drawn Sankey and the moments-of-truth chart
under the strict CSP, no console errors, and no sideways scrolling on a phone in Chinese.
Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse
from journey_tables import seed_journey_shop

PASSWORD = "difference-engine-1822"
EMAIL = "jo@example.com"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("journeys-browser")
    init_project(root / "acme")
    settings = Settings.load(project=root / "acme", company_name="Acme Home")
    warehouse = open_warehouse(settings.warehouse_url)
    seed_journey_shop(warehouse)
    add_user(warehouse, EMAIL, PASSWORD, "viewer", name="Jo")
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base
    finally:
        warehouse.close()


def test_journeys_page_draws_the_flows_and_the_moments(browser, server: str, tmp_path) -> None:
    shots = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    session = open_session(browser, server, DESKTOP, email=EMAIL, password=PASSWORD)
    page = session.page
    session.go("/journeys")
    page.wait_for_selector("#moments-chart.chart-drawn, #moments-chart.chart-failed")  # type: ignore[attr-defined]
    assert page.locator("#moments-chart.chart-drawn svg").count() == 1  # type: ignore[attr-defined]
    assert page.locator("svg.sankey path.sankey-link").count() == 3  # type: ignore[attr-defined]
    box = page.locator("svg.sankey").bounding_box()  # type: ignore[attr-defined]
    assert box and box["width"] > 400 and box["height"] > 150, box
    page.screenshot(path=str(shots / "journeys-desktop.png"), full_page=True)  # type: ignore[attr-defined]
    session.check_clean()
    phone = open_session(browser, server, PHONE, "zh-CN", email=EMAIL, password=PASSWORD)
    phone.go("/journeys")
    phone.page.wait_for_selector("#moments-chart.chart-drawn")  # type: ignore[attr-defined]
    assert "关键时刻" in phone.page.content()  # type: ignore[attr-defined]
    width = phone.page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    phone.page.screenshot(path=str(shots / "journeys-phone-zh.png"), full_page=True)  # type: ignore[attr-defined]
    phone.check_clean()
