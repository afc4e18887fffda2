"""The Value chain page in a real Chromium: the SVG path diagram beside its table, no console
errors, no sideways scrolling on a phone (in Chinese). Screenshots go to pytest's tmp dir (or to
$CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from browser.live_server import User
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from valuechain_tables import seed_chain_company

PASSWORD = "analytical-engine-1837"
EMAIL = "vic@example.com"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def _quicker_bootstrap(project: Path) -> None:
    chain = project / "valuechain.yaml"
    chain.write_text(chain.read_text().replace("bootstrap: 500", "bootstrap: 200"))


@pytest.fixture(scope="module")
def server(seeded_server: Callable[..., AbstractContextManager[str]]) -> Iterator[str]:
    user = User(EMAIL, PASSWORD, "viewer", "Vic")
    with seeded_server(
        "valuechain-browser", seed_chain_company, user, configure=_quicker_bootstrap
    ) as base:
        yield base


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
