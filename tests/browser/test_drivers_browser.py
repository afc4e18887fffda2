"""The Drivers page in a real Chromium: the quadrant chart drawn under the strict CSP with a
point per driver and the four quadrant labels, no console errors, and no sideways scrolling
on a phone. Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from browser.live_server import User
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from driver_tables import seed_driver_company

PASSWORD = "analytical-engine-1837"
EMAIL = "ada@example.com"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(seeded_server: Callable[..., AbstractContextManager[str]]) -> Iterator[str]:
    user = User(EMAIL, PASSWORD, "analyst", "Ada")
    with seeded_server("drivers-browser", seed_driver_company, user) as base:
        yield base


def test_drivers_page_draws_the_quadrant(browser, server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    session = open_session(browser, server, DESKTOP, email=EMAIL, password=PASSWORD)
    page = session.page
    session.go("/drivers")
    page.wait_for_selector("#drivers-chart.chart-drawn, #drivers-chart.chart-failed")  # type: ignore[attr-defined]
    assert page.locator("#drivers-chart.chart-drawn svg").count() == 1  # type: ignore[attr-defined]
    points = page.locator("#drivers-chart svg g.mark-symbol.role-mark path").count()  # type: ignore[attr-defined]
    rows = page.locator(".drivers-table tbody tr").count()  # type: ignore[attr-defined]
    assert points == rows == 5, f"{points} points, {rows} rows: one per driver"
    svg = page.text_content("#drivers-chart svg") or ""  # type: ignore[attr-defined]
    for label in ("Fix first", "Keep up", "Lower priority", "Maintain", "delivery CSAT"):
        assert label in svg, label
    page.screenshot(path=str(shots / "drivers-nps.png"), full_page=True)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(".drivers-outcomes >> text=Churn")  # type: ignore[attr-defined]
    page.wait_for_selector("#drivers-chart.chart-drawn")  # type: ignore[attr-defined]
    assert "What drives Churn" in page.inner_text("h2#drivers-heading")  # type: ignore[attr-defined]
    session.check_clean()
    phone = open_session(browser, server, PHONE, "zh-CN", email=EMAIL, password=PASSWORD)
    phone.go("/drivers")
    phone.page.wait_for_selector("#drivers-chart.chart-drawn")  # type: ignore[attr-defined]
    width = phone.page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    phone.page.screenshot(path=str(shots / "drivers-phone-zh.png"), full_page=True)  # type: ignore[attr-defined]
    phone.check_clean()
