"""The Advocates page and the Customer 360's segments panel in a real Chromium over a small
demo company: the ranking, a preview, the invite (mail to a loopback SMTP server), the new
segment on the invitee's profile, and the page on a phone without sideways scrolling.
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
from cxloop.storage import open_warehouse
from demo_warehouses import BROWSER, DemoWarehouses
from smtp_server import Inbox, smtp_server

PASSWORD = "difference-engine-1822"
ANALYST = "ada@example.com"

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
) -> Iterator[tuple[str, Inbox]]:
    """The real app under uvicorn over a copy of the small demo company, sending mail to
    loopback."""
    with smtp_server() as (inbox, port):
        settings = demo_warehouses.get(BROWSER, request).copy(
            tmp_path_factory.mktemp("advocates-browser") / "demo",
            smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
            mail_from="Acme <cx@acme.example>", public_base_url="https://cx.acme.example",
        )  # fmt: skip
        warehouse = open_warehouse(settings.warehouse_url)
        add_user(warehouse, ANALYST, PASSWORD, "analyst", name="Ada")
        try:
            with serve(create_app(settings, warehouse=warehouse)) as base:
                yield base, inbox
        finally:
            warehouse.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_rank_preview_invite_and_the_profile_panel(
    browser, server: tuple[str, Inbox], shots: Path
) -> None:
    base, inbox = server
    session = open_session(browser, base, DESKTOP, "en-US", email=ANALYST, password=PASSWORD)
    page = session.page
    session.go("/advocates")
    rows = page.locator(".advocates-table tbody tr")  # type: ignore[attr-defined]
    assert rows.count() >= 5
    page.screenshot(path=shots / "advocates-desktop.png", full_page=True)  # type: ignore[attr-defined]

    page.fill("#invite-top", "5")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button[value=preview]")  # type: ignore[attr-defined]
    preview = page.locator(".invite-preview").inner_text()  # type: ignore[attr-defined]
    assert "nothing was written" in preview and "Would be sent" in preview
    page.screenshot(path=shots / "advocates-preview.png", full_page=True)  # type: ignore[attr-defined]
    assert inbox.messages == []

    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button[value=invite]")  # type: ignore[attr-defined]
    notice = page.locator("p.notice").inner_text()  # type: ignore[attr-defined]
    assert "5 new members in the ambassador segment" in notice
    assert len(inbox.messages) >= 1
    page.screenshot(path=shots / "advocates-invited.png")  # type: ignore[attr-defined]

    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator(".advocates-table tbody tr a").first.click()  # type: ignore[attr-defined]
    assert "/customers/" in page.url  # type: ignore[attr-defined]
    panel = page.locator("section[aria-labelledby=standing-heading]")  # type: ignore[attr-defined]
    text = panel.inner_text()
    assert "Ambassador programme" in text and "Loyalty ladder" in text and "RFM segment" in text
    panel.scroll_into_view_if_needed()
    page.screenshot(path=shots / "customer-segments-panel.png")  # type: ignore[attr-defined]
    session.check_clean()
    page.context.close()  # type: ignore[attr-defined]

    phone = open_session(browser, base, PHONE, "es-ES", email=ANALYST, password=PASSWORD)
    phone.go("/advocates")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # type: ignore[attr-defined]
    phone.page.screenshot(path=shots / "advocates-phone.png", full_page=True)  # type: ignore[attr-defined]
    phone.check_clean()
