"""The dashboard in a real Chromium: sign in, every page, three languages, charts under the
strict CSP, keyboard use, and a phone-sized screen. Screenshots go to pytest's tmp dir."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from browser.live_server import serve
from cxloop.access.users import add_user, find_user, set_user_language
from cxloop.api import create_app
from cxloop.collect.importer import import_file
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse
from cxloop.web.navigation import NAVIGATION
from cxloop.web.pages import STATIC
from filetools import write_csv

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EMAIL, PASSWORD = "ada@example.com", "analytical-engine-1843"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]

# CSP violations, as the page reports them (installed before any page script runs)
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""

# Whether text in a font draws real glyphs: two different characters a font lacks are both
# drawn as the same "tofu" box, so their pixels are equal; real glyphs differ.
DRAWS_GLYPHS = """
([a, b, font]) => {
  const pixels = (ch) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 40;
    const ctx = canvas.getContext("2d");
    ctx.font = "28px " + font;
    ctx.fillText(ch, 4, 32);
    return Array.from(ctx.getImageData(0, 0, 40, 40).data).join(",");
  };
  return pixels(a) !== pixels(b);
}
"""


def feedback_file(path: Path) -> Path:
    start = datetime(2026, 4, 6, 9, tzinfo=UTC)
    texts = {
        "en": "The courier was friendly and on time.",
        "es": "El pedido llegó incompleto, faltaba una pieza.",
        "zh": "客服回复很快，问题当天就解决了。",
    }
    rows = []
    for i in range(45):
        language = ("en", "es", "zh")[i % 3]
        rows.append({
            "feedback_id": f"f{i}",
            "ts": (start + timedelta(hours=31 * i)).isoformat(),
            "kind": ("survey", "ticket", "review")[i % 3],
            "touchpoint": ("delivery", "app", "store")[i % 3],
            "language": language,
            "nps": str(i % 11),
            "text": texts[language] if i != 44 else "<script>alert('x')</script>",
        })  # fmt: skip
    return write_csv(path, rows)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Warehouse]]:
    """The real app under uvicorn, on a free port of 127.0.0.1, for a small project."""
    root = tmp_path_factory.mktemp("dashboard")
    init_project(root / "acme")
    settings = Settings.load(project=root / "acme", company_name="Acme Travel")
    warehouse = open_warehouse(settings.warehouse_url)
    add_user(warehouse, EMAIL, PASSWORD, "admin", name="Ada Lovelace")
    import_file(warehouse, "feedback", feedback_file(root / "surveys.csv"), source="crm")

    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base, warehouse
    finally:
        warehouse.close()


@pytest.fixture
def server(running: tuple[str, Warehouse]) -> str:
    """The server's address; the demo user starts each test with no language setting."""
    base, warehouse = running
    found = find_user(warehouse, email=EMAIL)
    assert found is not None
    set_user_language(warehouse, found[0].user_id, None)
    return base


@dataclass
class Session:
    """A signed-in browser tab that records every console error and page error."""

    page: object
    base: str
    errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)  # type: ignore[attr-defined]

    def check_clean(self) -> None:
        violations = self.page.evaluate("window.__csp")  # type: ignore[attr-defined]
        assert violations == [], f"CSP violations: {violations}"
        assert self.errors == [], f"console errors: {self.errors}"


def open_session(
    browser,
    server: str,
    viewport: dict,
    locale: str = "en-US",
    *,
    email: str = EMAIL,
    password: str = PASSWORD,
) -> Session:
    """A new browser context signed in as ``email``, watching console errors and CSP reports."""
    context = browser.new_context(viewport=viewport, locale=locale)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    session = Session(page, server)
    page.on("console", lambda m: session.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: session.errors.append(str(e)))
    session.go("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click(".auth-card button[type=submit]")
    # a viewer (an executive) lands on the Scorecard, every other role on the Overview
    page.wait_for_url(lambda url: url in (server + "/", server + "/scorecard"))
    return session


def wait_for_chart(session: Session) -> None:
    page = session.page
    page.wait_for_selector("#volume-chart.chart-drawn, #volume-chart.chart-failed")  # type: ignore[attr-defined]
    assert page.locator("#volume-chart.chart-drawn svg").count() == 1, "the chart was not drawn"  # type: ignore[attr-defined]
    bars = page.locator("#volume-chart svg g.mark-rect path").count()  # type: ignore[attr-defined]
    assert bars > 0, "the chart has no bars"


def h1(session: Session) -> str:
    return session.page.locator("main h1").inner_text().strip()  # type: ignore[attr-defined]


def test_every_available_page_on_a_desktop(browser, server: str, tmp_path: Path) -> None:
    session = open_session(browser, server, DESKTOP)
    page = session.page
    wait_for_chart(session)
    assert h1(session) == "Overview"
    assert page.locator(".feedback-table tbody tr").count() == 20
    assert "<script>alert('x')</script>" in page.locator(".feedback-text").first.inner_text()
    # the latest feedback fits a laptop's width: scores wrap between pills, the text keeps room
    scroll = page.evaluate(
        "(e => [e.scrollWidth, e.clientWidth])(document.querySelector('.table-scroll'))"
    )
    assert scroll[0] <= scroll[1], scroll
    page.screenshot(path=tmp_path / "overview-desktop.png", full_page=True)

    for entry in NAVIGATION:
        item = page.locator(".site-nav li", has_text=entry.label)
        if entry.available:
            item.locator("a").click()
            page.wait_for_url(server + entry.path)
            assert page.locator("main h1").count() == 1
        else:
            assert item.locator("[aria-disabled='true']").count() == 1
            assert item.locator("a").count() == 0
    assert h1(session) == "Settings" and "ada@example.com" in page.content()
    page.screenshot(path=tmp_path / "settings-desktop.png", full_page=True)

    page.click(".site-nav >> text=Overview")
    page.click("text=By kind")
    page.wait_for_url(server + "/?by=kind")
    wait_for_chart(session)
    page.hover("#volume-chart svg g.mark-rect path >> nth=-1")
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "Week" in tooltip.inner_text() and "Pieces of feedback" in tooltip.inner_text()
    session.check_clean()
    page.context.close()


def test_switching_language_to_spanish_and_chinese(browser, server: str, tmp_path: Path) -> None:
    session = open_session(browser, server, DESKTOP)
    page = session.page
    for language, heading, html_lang, journeys in (
        ("es", "Resumen", "es", "Recorridos"),
        ("zh", "概览", "zh-Hans", "客户旅程"),
    ):
        page.select_option("#ui-language", language)
        with page.expect_navigation():
            page.click(".language-form button[type=submit]")
        assert page.get_attribute("html", "lang") == html_lang
        assert h1(session) == heading
        assert page.inner_text(".site-nav a[href='/journeys']").strip() == journeys
        wait_for_chart(session)
        page.screenshot(path=tmp_path / f"overview-{language}.png", full_page=True)

    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert page.evaluate(DRAWS_GLYPHS, ["概", "览", font]), "Chinese text draws as empty boxes"
    legend = page.locator("#volume-chart svg").text_content() or ""
    assert "中文" in legend and "西班牙语" in legend
    page.click(".site-nav >> text=设置")
    assert h1(session) == "设置"
    page.screenshot(path=tmp_path / "settings-zh.png", full_page=True)

    page.check("#language-auto")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.get_attribute("html", "lang") == "en", "back to the browser's language"
    session.check_clean()
    page.context.close()


def test_the_keyboard_reaches_the_skip_link_and_the_navigation(browser, server: str) -> None:
    session = open_session(browser, server, DESKTOP)
    page = session.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.reload()
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('nav.site-nav')"):
            break
    focused = page.evaluate(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [e.textContent.trim(), s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert focused[0] == "Overview", "Tab does not reach the navigation"
    assert focused[1] != "none" and focused[2] >= 2, "the focus is not visible"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Scorecard"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Customers"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Feedback"
    for label in (
        "Perception gap",
        "Surveys",
        "Cases",
        "Journeys",
        "Drivers",
        "Value chain",
        "Segments",
        "Advocates",
        "You said, we did",
    ):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == label
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Settings", (
        "every page of the navigation is a tab stop, in order"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/settings")
    session.check_clean()
    page.context.close()


def test_a_phone_gets_a_collapsed_menu_and_no_sideways_scrolling(
    browser, server: str, tmp_path: Path
) -> None:
    session = open_session(browser, server, PHONE, locale="es-MX")
    page = session.page
    wait_for_chart(session)
    assert h1(session) == "Resumen", "Accept-Language es-MX gives Spanish"
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(".site-nav").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "overview-phone.png", full_page=True)

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(".site-nav").is_visible()
    page.screenshot(path=tmp_path / "menu-phone.png")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")

    toggle.click()
    page.click(".site-nav >> text=Configuración")
    page.wait_for_url(server + "/settings")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "settings-phone.png", full_page=True)
    session.check_clean()
    page.context.close()


def test_the_csp_would_stop_vega_without_its_expression_interpreter(browser, server: str) -> None:
    """The strict CSP is really enforced: vega's default `new Function` code path fails under
    it, which is why charts.js embeds with `ast: true`."""
    charts_js = (STATIC / "js" / "charts.js").read_text(encoding="utf-8")
    assert "ast: true" in charts_js
    context = browser.new_context(viewport=DESKTOP)
    context.route(
        "**/static/js/charts.js*",
        lambda route: route.fulfill(
            content_type="text/javascript", body=charts_js.replace("ast: true", "ast: false")
        ),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click(".auth-card button[type=submit]")
    page.wait_for_selector("#volume-chart.chart-failed")
    assert any("unsafe-eval" in error for error in errors)
    assert "table below" in page.locator("#volume-chart").inner_text()
    context.close()
