"""The Feedback explorer in a real Chromium: filter with the form, search in Spanish and
Chinese, the heat map drawn under the strict CSP, the detractor-against-promoter table, no
console errors or CSP violations, and a phone-sized screen without sideways scrolling.
Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, Session, open_session
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse
from feedback_data import build_feedback, build_ratings_only, build_survey_crowd

PASSWORD = "difference-engine-1822"
PEOPLE = {"admin": "ada@example.com", "viewer": "vera@example.com"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn over the nine pieces of feedback, two scores without a
    comment and a crowd of surveys."""
    root = tmp_path_factory.mktemp("feedback-browser")
    init_project(root / "acme")
    settings = Settings.load(project=root / "acme", company_name="Acme Travel")
    warehouse = open_warehouse(settings.warehouse_url)
    build_feedback(warehouse)
    build_ratings_only(warehouse)  # the oldest two: on no first page
    build_survey_crowd(
        warehouse,
        [(2, 30, ["delivery"]), (5, 10, ["price"]), (10, 6, ["delivery"]), (9, 34, ["price"])],
    )
    for role, email in PEOPLE.items():
        add_user(warehouse, email, PASSWORD, role, name=role.title())
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


def signed_in(browser, base: str, role: str, viewport: dict, locale: str = "en-US") -> Session:
    return open_session(browser, base, viewport, locale, email=PEOPLE[role], password=PASSWORD)


def wait_for_heatmap(session: Session, themes: int = 4) -> None:
    page = session.page
    page.wait_for_selector("#heatmap-chart.chart-drawn, #heatmap-chart.chart-failed")  # type: ignore[attr-defined]
    assert page.locator("#heatmap-chart.chart-drawn svg").count() == 1, "no heat map drawn"  # type: ignore[attr-defined]
    cells = page.locator("#heatmap-chart svg g.mark-rect path").count()  # type: ignore[attr-defined]
    assert cells >= 3 * themes, f"the heat map has {cells} cells"  # a cell per sentiment


def submit(page) -> None:
    with page.expect_navigation():
        page.click(".filter-actions button[type=submit]")


def test_filter_search_and_heat_map_on_a_desktop(browser, server: str, shots: Path) -> None:
    session = signed_in(browser, server, "admin", DESKTOP)
    page = session.page
    page.click(".site-nav >> text=Feedback")
    page.wait_for_url(server + "/feedback")
    wait_for_heatmap(session)
    assert page.locator(".feedback-card").count() == 20
    assert "Unhappy customers talk most about Delivery" in page.locator(".verdict").inner_text()
    assert page.locator(".contrast-table tbody tr").count() == 4  # themes of NPS 0-6, 9-10
    page.screenshot(path=shots / "feedback-desktop.png", full_page=True)
    page.screenshot(path=shots / "feedback-desktop-top.png")

    page.select_option("#filter-sentiment", "negative")
    page.select_option("#filter-team", "team_delivery")
    submit(page)
    assert page.locator(".feedback-card").count() == 3
    assert page.locator("#filter-sentiment").input_value() == "negative"
    wait_for_heatmap(session, themes=2)

    page.click("text=Clear filters")
    page.wait_for_url(server + "/feedback")
    page.fill("#filter-q", "llego")  # Spanish, without its accent
    submit(page)
    cards = page.locator(".feedback-card")
    assert cards.count() == 1
    assert "escríbanme a ana@example.com" in cards.first.inner_text()  # an admin
    page.fill("#filter-q", "客服")
    submit(page)
    assert page.locator(".feedback-card").count() == 1
    assert page.locator(".feedback-card .feedback-body[lang='zh']").count() == 1

    page.goto(server + "/feedback")
    page.locator("#heatmap-heading").scroll_into_view_if_needed()
    wait_for_heatmap(session)
    page.hover("#heatmap-chart svg g.mark-text text >> nth=0")  # the count over a cell
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "Theme" in tooltip.inner_text() and "Sentiment" in tooltip.inner_text()
    page.locator("#heatmap-chart").screenshot(path=shots / "feedback-heatmap.png")
    page.locator("#unhappy-heading").scroll_into_view_if_needed()
    page.screenshot(path=shots / "feedback-desktop-unhappy.png")
    session.check_clean()
    page.context.close()


def test_a_viewer_on_a_phone_in_chinese(browser, server: str, shots: Path) -> None:
    session = signed_in(browser, server, "viewer", PHONE, locale="zh-CN")
    page = session.page
    session.go("/feedback")
    assert page.locator("main h1").inner_text() == "反馈"
    wait_for_heatmap(session)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    text = page.locator("main").inner_text()
    assert "ana@example.com" not in text and "[EMAIL]" in text
    assert "只有管理员能看到原文" in text
    page.screenshot(path=shots / "feedback-phone-zh.png", full_page=True)
    page.screenshot(path=shots / "feedback-phone-zh-top.png")

    page.fill("#filter-q", "送货")
    submit(page)
    assert page.locator(".feedback-card").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    session.go("/feedback")
    wait_for_heatmap(session)
    for section in ("heatmap", "unhappy"):
        page.locator(f"#{section}-heading").scroll_into_view_if_needed()
        page.screenshot(path=shots / f"feedback-phone-{section}.png")
    # the comparison table is a list of cards: its header row is hidden
    box = page.locator(".contrast-table thead").bounding_box()
    assert box is not None and box["height"] <= 1
    session.check_clean()
    page.context.close()


def test_scores_without_a_comment_on_a_phone_in_spanish(browser, server: str, shots: Path) -> None:
    session = signed_in(browser, server, "viewer", PHONE, locale="es-ES")
    page = session.page
    session.go("/feedback?touchpoint=checkout")
    cards = page.locator(".feedback-card")
    assert cards.count() == 2
    for n, score in enumerate(("NPS 4", "Valoración 2")):
        card = cards.nth(n)
        assert card.locator(".feedback-no-comment").inner_text() == (
            "Sin comentario, solo una puntuación."
        )
        assert score in card.locator(".badges").inner_text()
        assert card.locator(".feedback-pending").count() == 0
    assert "Aún sin analizar" not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".feedback-list").screenshot(path=shots / "feedback-no-comment-phone-es.png")
    session.check_clean()
    page.context.close()
