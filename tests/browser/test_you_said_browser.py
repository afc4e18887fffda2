"""The public "you said, we did" page in a real Chromium: no sign-in, an action titled with
markup stays text (no script runs, no element is made), no CSP report, and on a phone nothing
scrolls sideways. Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, WATCH_CSP
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.share.public_actions import add_action, change_action
from cxloop.storage import open_warehouse
from share.you_said_data import add_themes_and_cases

XSS = "<img src=x onerror=\"document.title='pwned'\">Faster delivery to the north"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("you-said") / "acme"
    init_project(directory)
    settings = Settings.load(project=directory, you_said_we_did=True, company_name="Acme")
    warehouse = open_warehouse(settings.warehouse_url)
    add_themes_and_cases(warehouse)
    for theme, titles, status in (
        ("delivery", {"en": XSS, "es": "Entregas más rápidas en el norte"}, "done"),
        ("billing", {"en": "Clearer invoices, one charge per order",
                     "zh": "更清晰的发票，每个订单只扣一次款"}, "in_progress"),
    ):  # fmt: skip
        action = add_action(warehouse, theme=theme, titles=titles, status=status,
                            author="user:ana@acme.example",
                            descriptions={"en": "We heard you: here is what changed."})  # fmt: skip
        change_action(warehouse, action.action_id, "user:ana@acme.example", published=True)
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


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-US"), (PHONE, "es-ES")])
def test_the_public_page(browser, server: str, shots: Path, viewport, locale) -> None:
    context = browser.new_context(viewport=viewport, locale=locale)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/you-said-we-did", wait_until="networkidle")
    name = "desktop" if viewport is DESKTOP else "phone"
    page.screenshot(path=str(shots / f"you-said-{name}.png"), full_page=True)
    heading = page.locator("main h1").inner_text().strip()
    assert heading in ("You said, we did", "Ustedes dijeron, nosotros hicimos")
    assert page.locator("main img").count() == 0 and page.title() != "pwned" and not dialogs
    if locale == "en-US":
        assert XSS in page.locator(".action-title", has_text="Faster delivery").inner_text()
    assert page.locator(".bar-table tbody tr").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.evaluate("window.__csp") == [] and not errors
    context.close()
