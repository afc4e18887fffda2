"""The Scorecard's closed-loop section in a real Chromium over a small demo company: the
headline figures, the survival curve drawn under the strict CSP with its table beside it, the
matched comparison and its caveat; the loop's KPIs in the drill-down; a team's section in
Chinese. Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import User, serve_project
from browser.test_dashboard import CHROMIUM, DESKTOP, open_session
from demo_warehouses import BROWSER, DemoWarehouses

PASSWORD = "analytical-engine-1843"
VIEWER = "exec@example.com"
SECTION = "section[aria-labelledby='loop-heading']"

pytestmark = [
    pytest.mark.browser,
    BROWSER.mark,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def served(
    demo_warehouses: DemoWarehouses,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The app under uvicorn over a copy of the small demo company with its cases (the shared
    build, not one of its own); a viewer signs in."""
    settings = demo_warehouses.get(BROWSER, request).copy(
        tmp_path_factory.mktemp("loop-browser") / "demo", loop_interval_s=0
    )
    with serve_project(settings, User(VIEWER, PASSWORD, "viewer", "Exec")) as base:
        yield base


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _drawn(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector(f"{selector}.chart-drawn, {selector}.chart-failed")
    assert page.locator(f"{selector}.chart-drawn svg").count() == 1, "the curve was not drawn"


def test_scorecard_closed_loop_section(browser, served: str, shots: Path) -> None:
    session = open_session(browser, served, DESKTOP, email=VIEWER, password=PASSWORD)
    page = session.page
    session.go("/scorecard")
    section = page.locator(SECTION)
    assert section.locator("h2").inner_text() == "Closed loop"
    labels = section.locator(".stat-label").all_inner_texts()
    assert labels == ["Detractors contacted within SLA", "Median time to close",
                      "Score change after resolution (0–10)"]  # fmt: skip
    assert "%" in section.locator(".stat-value").first.inner_text()
    _drawn(page, "#loop-heading-survival-chart")
    curve_rows = section.locator(".loop-curve tbody tr")
    assert curve_rows.count() >= 3
    assert curve_rows.first.locator("th").inner_text() == "0 h"
    effects = section.locator(".loop-effect-table tbody tr")
    assert effects.count() == 2
    assert "Bought again within 90 days" in effects.first.inner_text()
    assert "not an experiment" in section.inner_text()
    # the table beside the chart fits its column: nothing hidden to the right
    region = section.locator(".loop-curve .table-scroll")
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    page.screenshot(path=shots / "scorecard-closed-loop.png", full_page=True)
    section.screenshot(path=shots / "scorecard-closed-loop-section.png")

    page.click("nav[aria-label='KPI'] >> text=Time to close")
    page.wait_for_url(served + "/scorecard?kpi=time_to_close&period=month&by=team")
    assert page.locator("#trend-heading").inner_text() == "Time to close"
    assert page.locator(".drill-table tbody tr").count() >= 1
    assert " h" in page.locator(".drill-table tbody tr td").first.inner_text()
    session.check_clean()


def test_team_closed_loop_in_chinese(browser, served: str, shots: Path) -> None:
    session = open_session(browser, served, DESKTOP, "zh-CN", email=VIEWER, password=PASSWORD)
    page = session.page
    session.go("/teams/delivery")
    section = page.locator(SECTION)
    assert section.locator("h2").inner_text() == "闭环"
    assert "结案时间中位数" in section.inner_text()
    _drawn(page, "#loop-heading-survival-chart")
    section.screenshot(path=shots / "team-closed-loop-zh.png")
    session.check_clean()
