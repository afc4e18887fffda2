"""The public "you said, we did" page in a real Chromium: no sign-in, an action titled with
markup stays text (no script runs, no element is made), no CSP report, and on a phone nothing
scrolls sideways. Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from browser.live_server import User
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, WATCH_CSP
from cxloop.share.public_actions import add_action, change_action
from cxloop.storage import Warehouse
from share.you_said_data import add_themes_and_cases

XSS = "<img src=x onerror=\"document.title='pwned'\">Faster delivery to the north"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def _seed(warehouse: Warehouse) -> None:
    """Themes and resolved cases, and two published actions (one titled with markup)."""
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


def _publish(project: Path) -> None:
    with (project / "cxloop.toml").open("a", encoding="utf-8") as handle:
        handle.write("you_said_we_did = true\n")


@pytest.fixture(scope="module")
def server(seeded_server: Callable[..., AbstractContextManager[str]]) -> Iterator[str]:
    """The public page on, over a seeded project; nobody signs in to read it."""
    user = User("ana@acme.example", "you-said-we-did-1", "analyst", "Ana")
    with seeded_server("you-said", _seed, user, company_name="Acme", configure=_publish) as base:
        yield base


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
