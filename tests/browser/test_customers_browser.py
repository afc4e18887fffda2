"""The Customers pages in a real Chromium: sign in, search, open a profile, page through the
timeline; no console errors or CSP violations; a phone-sized screen without sideways
scrolling. Screenshots go to pytest's tmp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, Session, open_session
from customer_data import T0, build_company, write_rows
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse

EMAIL, PASSWORD = "grace@example.com", "cobol-compiler-1959"
ANALYST = "karen@example.com"  # analysts also get the identity review's forms on a profile
XIUYING_APP_ID = "0d9e04e9-7cd5-4eb5-a4ee-5c8d16acafcf"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The real app under uvicorn over the tiny company, and its customer ids."""
    root = tmp_path_factory.mktemp("customers-browser")
    init_project(root / "acme")
    settings = Settings.load(project=root / "acme", company_name="Acme Travel")
    warehouse = open_warehouse(settings.warehouse_url)
    # Xiuying's second app login: the app keys its users by UUID, a long record id
    write_rows(warehouse, "source_records", [{
        "record_id": f"app:{XIUYING_APP_ID}", "source": "app", "source_id": XIUYING_APP_ID,
        "imported_at": T0, "name": "Wang Xiuying", "email": "wxy@example.cn", "country": "CN",
        "language": "zh-CN"}])  # fmt: skip
    ids = build_company(warehouse)
    add_user(warehouse, EMAIL, PASSWORD, "agent", name="Grace Hopper")
    add_user(warehouse, ANALYST, PASSWORD, "analyst", name="Karen Spärck Jones")
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base, ids
    finally:
        warehouse.close()


def signed_in(browser, base: str, viewport: dict, locale: str = "en-US") -> Session:
    return open_session(browser, base, viewport, locale, email=EMAIL, password=PASSWORD)


def test_search_and_open_a_profile_on_a_desktop(browser, server, tmp_path: Path) -> None:
    base, ids = server
    session = signed_in(browser, base, DESKTOP)
    page = session.page
    page.click(".site-nav >> text=Customers")
    page.wait_for_url(base + "/customers")
    assert page.locator(".customers-table tbody tr").count() == 3
    page.fill("#customer-search", "ana ruiz")
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")
    assert page.locator(".customers-table tbody tr").count() == 1
    page.screenshot(path=tmp_path / "customers-desktop.png", full_page=True)

    page.click(".customers-table tbody a >> text=Ana Ruiz")
    page.wait_for_url(base + f"/customers/{ids['ana']}")
    assert page.locator("main h1").inner_text() == "Ana Ruiz"
    assert page.locator(".records-table tr.is-different").count() == 2
    assert page.locator(".timeline-item").count() == 50
    assert page.locator(".timeline-text", has_text="<b>La entrega llegó tarde</b>").count() == 1
    page.screenshot(path=tmp_path / "profile-desktop.png", full_page=True)
    page.screenshot(path=tmp_path / "profile-desktop-top.png")
    page.locator("#timeline-heading").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "profile-desktop-timeline.png")

    page.click(".pager >> text=Next")
    page.wait_for_url(base + f"/customers/{ids['ana']}?page=2")
    assert page.locator(".timeline-item").count() == 17
    page.click(".breadcrumb a")
    page.wait_for_url(base + "/customers")
    session.check_clean()
    page.context.close()


def test_a_phone_searches_in_chinese_without_sideways_scrolling(
    browser, server, tmp_path: Path
) -> None:
    base, ids = server
    session = signed_in(browser, base, PHONE, locale="zh-CN")
    page = session.page
    session.go("/customers")
    assert page.locator("main h1").inner_text() == "客户"
    page.fill("#customer-search", "王秀英")
    page.keyboard.press("Enter")
    page.wait_for_url("**/customers?q=*")
    rows = page.locator(".customers-table tbody tr")
    assert rows.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # the table is a list of cards: its header row is hidden, each cell says what it is
    box = page.locator(".customers-table thead").bounding_box()
    assert box is not None and box["height"] <= 1
    page.screenshot(path=tmp_path / "customers-phone-zh.png", full_page=True)

    rows.first.locator("a").click()
    page.wait_for_url(base + f"/customers/{ids['xiuying']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert "黄金记录" in page.locator("main").inner_text()
    page.screenshot(path=tmp_path / "profile-phone-zh.png", full_page=True)

    session.go(f"/customers/{ids['ana']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "profile-phone-ana.png", full_page=True)
    for section in ("golden", "records", "timeline"):
        page.locator(f"#{section}-heading").scroll_into_view_if_needed()
        page.screenshot(path=tmp_path / f"profile-phone-{section}.png")
    session.check_clean()
    page.context.close()


def test_an_analyst_reviews_identities_on_a_phone_without_sideways_scrolling(
    browser, server, tmp_path: Path
) -> None:
    """The identity review lists record ids beside checkboxes; a long one (an app's UUID) once
    widened the whole profile to 408 pixels on a 390-pixel phone."""
    base, ids = server
    session = open_session(browser, base, PHONE, "en-US", email=ANALYST, password=PASSWORD)
    page = session.page
    session.go(f"/customers/{ids['xiuying']}")
    split = page.locator(".split-form label", has_text=XIUYING_APP_ID)
    assert split.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = split.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    page.locator("#split-heading").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "profile-phone-analyst-split.png")
    page.screenshot(path=tmp_path / "profile-phone-analyst.png", full_page=True)
    session.check_clean()
    page.context.close()
