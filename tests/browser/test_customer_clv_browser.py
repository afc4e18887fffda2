"""The lifetime value panel of the customer page in a real Chromium, on a desktop and on a
phone (no sideways scrolling, no figure cut off, no console errors). Screenshots go to pytest's
tmp dir, or to $CLV_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from customer_data import build_company, write_rows
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse
from cxloop.understand.clv.scoring import score_clv
from understand.clv.clv_orders import add_simulated_orders

EMAIL, PASSWORD = "ada@example.com", "analytical-engine-1843"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    root = tmp_path_factory.mktemp("clv-browser")
    init_project(root / "acme")
    settings = Settings.load(project=root / "acme", company_name="Acme Travel")
    warehouse = open_warehouse(settings.warehouse_url)
    ids = build_company(warehouse)
    add_simulated_orders(warehouse, 200, currency="EUR", prefix="cus_eur", seed=6)
    model_id = score_clv(warehouse).model_id
    # a customer paying in yuan with a four-figure value: the widest figure the panel shows
    write_rows(warehouse, "customer_clv", [
        {"customer_id": ids["xiuying"], "model_id": model_id, "currency": "CNY",
         "scored_at": datetime(2026, 12, 1, tzinfo=UTC), "frequency": 7, "recency": 300.0,
         "T": 340.0, "monetary_value": 160.0, "expected_purchases": 6.5,
         "probability_alive": 0.93, "expected_spend": 1234.56, "clv": 1040.58},
    ])  # fmt: skip
    add_user(warehouse, EMAIL, PASSWORD, "agent", name="Ada Lovelace")
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base, ids
    finally:
        warehouse.close()


def shots(tmp_path: Path) -> Path:
    folder = os.environ.get("CLV_SCREENSHOTS")
    return Path(folder) if folder else tmp_path


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-US"), (PHONE, "es-ES")])
def test_clv_panel(browser, server, tmp_path: Path, viewport: dict, locale: str) -> None:
    base, ids = server
    session = open_session(browser, base, viewport, locale, email=EMAIL, password=PASSWORD)
    page = session.page
    session.go(f"/customers/{ids['ana']}")
    panel = page.locator("section[aria-labelledby=clv-heading]")
    assert panel.locator(".stat").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    panel.scroll_into_view_if_needed()
    name = "desktop" if viewport is DESKTOP else "phone"
    page.screenshot(path=shots(tmp_path) / f"clv-{name}.png")
    session.check_clean()
    page.context.close()


def test_clv_figures_show_whole_on_a_phone(browser, server, tmp_path: Path) -> None:
    base, ids = server
    session = open_session(browser, base, PHONE, "en-US", email=EMAIL, password=PASSWORD)
    page = session.page
    session.go(f"/customers/{ids['xiuying']}")
    panel = page.locator("section[aria-labelledby=clv-heading]")
    figures = panel.locator(".stat-value")
    assert figures.first.inner_text() == "CN¥1,040.58"
    panel.scroll_into_view_if_needed()
    page.screenshot(path=shots(tmp_path) / "clv-phone-yuan.png")
    for k in range(figures.count()):  # each figure fits its card: nothing cut off or spilled
        figure = figures.nth(k)
        assert figure.evaluate("e => e.scrollWidth <= e.clientWidth"), figure.inner_text()
        assert figure.evaluate(
            "e => e.getBoundingClientRect().right <= "
            "e.closest('.stat').getBoundingClientRect().right"
        ), figure.inner_text()
    session.check_clean()
    page.context.close()
