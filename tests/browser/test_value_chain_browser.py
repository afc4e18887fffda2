"""The Value chain page in a real Chromium: the SVG path diagram beside its table, no console
errors, no sideways scrolling on a phone (in Chinese). Screenshots go to pytest's tmp dir (or to
$CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse
from valuechain_tables import seed_chain_company

PASSWORD = "analytical-engine-1837"
EMAIL = "vic@example.com"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("valuechain-browser")
    init_project(root / "acme")
    chain = root / "acme" / "valuechain.yaml"
    chain.write_text(chain.read_text().replace("bootstrap: 500", "bootstrap: 200"))
    settings = Settings.load(project=root / "acme", company_name="Acme Travel")
    warehouse = open_warehouse(settings.warehouse_url)
    seed_chain_company(warehouse)
    add_user(warehouse, EMAIL, PASSWORD, "viewer", name="Vic")
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base
    finally:
        warehouse.close()


def test_value_chain_page_draws_the_diagram(browser, server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    session = open_session(browser, server, DESKTOP, email=EMAIL, password=PASSWORD)
    page = session.page
    session.go("/value-chain")
    page.screenshot(path=str(shots / "value-chain.png"), full_page=True)  # type: ignore[attr-defined]
    diagram = page.locator("svg.path-diagram")  # type: ignore[attr-defined]
    assert diagram.count() == 1
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 400  # a chain, downwards
    assert page.locator("svg.path-diagram g.construct").count() == 5  # type: ignore[attr-defined]
    assert page.locator("svg.path-diagram g.path-arrow").count() == 4  # type: ignore[attr-defined]
    rows = page.locator("table.value-chain-paths tbody tr").count()  # type: ignore[attr-defined]
    assert rows == 4
    # the table sits beside the diagram on a desktop
    table = page.locator("table.value-chain-paths").bounding_box()  # type: ignore[attr-defined]
    assert table is not None and table["x"] > box["x"] + box["width"] - 1
    session.check_clean()
    phone = open_session(browser, server, PHONE, "zh-CN", email=EMAIL, password=PASSWORD)
    phone.go("/value-chain")
    assert phone.page.locator("svg.path-diagram").count() == 1  # type: ignore[attr-defined]
    width = phone.page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    phone.page.screenshot(path=str(shots / "value-chain-phone-zh.png"), full_page=True)  # type: ignore[attr-defined]
    phone.check_clean()
