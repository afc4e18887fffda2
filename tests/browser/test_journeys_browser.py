"""The Journeys page in a real Chromium: the server-drawn Sankey and the moments-of-truth chart
under the strict CSP, no console errors, and no sideways scrolling on a phone in Chinese.
Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from browser.live_server import User
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
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
def server(seeded_server: Callable[..., AbstractContextManager[str]]) -> Iterator[str]:
    user = User(EMAIL, PASSWORD, "viewer", "Jo")
    with seeded_server(
        "journeys-browser", seed_journey_shop, user, company_name="Acme Home"
    ) as base:
        yield base


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
