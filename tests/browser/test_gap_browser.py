"""The Perception gap page in a real Chromium: the chart drawn under the strict CSP, a team
with withheld managers, no console errors, and no sideways scrolling on a phone.
Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from browser.live_server import User
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from gap_tables import seed_gap_company

PASSWORD = "analytical-engine-1837"
EMAIL = "vera@example.com"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(seeded_server: Callable[..., AbstractContextManager[str]]) -> Iterator[str]:
    user = User(EMAIL, PASSWORD, "viewer", "Vera")
    with seeded_server("gap-browser", seed_gap_company, user) as base:
        yield base


def test_gap_page_draws_and_withholds(browser, server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    session = open_session(browser, server, DESKTOP, email=EMAIL, password=PASSWORD)
    page = session.page
    session.go("/gap")
    page.wait_for_selector("#gap-chart.chart-drawn, #gap-chart.chart-failed")  # type: ignore[attr-defined]
    assert page.locator("#gap-chart.chart-drawn svg").count() == 1  # type: ignore[attr-defined]
    bars = page.locator("#gap-chart svg g.mark-rect path").count()  # type: ignore[attr-defined]
    assert bars == 6, f"{bars} bars: 2 statements × 3 groups"
    page.screenshot(path=str(shots / "gap-company.png"), full_page=True)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("text=Team A")  # type: ignore[attr-defined]
    page.wait_for_selector("#gap-chart.chart-drawn")  # type: ignore[attr-defined]
    bars = page.locator("#gap-chart svg g.mark-rect path").count()  # type: ignore[attr-defined]
    assert bars == 4, "team A's managers are withheld: no bar for them"
    assert page.locator(".withheld").count() == 2  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "gap-team-a.png"), full_page=True)  # type: ignore[attr-defined]
    session.check_clean()
    phone = open_session(browser, server, PHONE, "es-ES", email=EMAIL, password=PASSWORD)
    phone.go("/gap?team=T-B")
    phone.page.wait_for_selector("#gap-chart.chart-drawn")  # type: ignore[attr-defined]
    width = phone.page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    phone.page.screenshot(path=str(shots / "gap-phone-es.png"), full_page=True)  # type: ignore[attr-defined]
    phone.check_clean()
