"""The case workflow in a real Chromium over the demo company: the inbox, a case, acknowledge,
note, resolve with a code, the history; the case page on a phone in Spanish. Screenshots go
to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from cxloop.access.users import add_user
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.api import create_app
from cxloop.storage import open_warehouse
from demo_warehouses import BROWSER, DemoWarehouses

PASSWORD = "analytical-engine-1843"
AGENT = "ada@example.com"

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
) -> Iterator[tuple[str, str]]:
    """The app under uvicorn over a copy of the small demo company with its cases, plus one
    detractor's case opened an hour ago (the one the test works)."""
    shared = demo_warehouses.get(BROWSER, request)
    directory = tmp_path_factory.mktemp("cases-browser") / "demo"
    settings = shared.copy(directory, loop_interval_s=0)
    warehouse = open_warehouse(settings.warehouse_url)
    add_user(warehouse, AGENT, PASSWORD, "agent", name="Ada")
    customer = warehouse.to_pyarrow(
        warehouse.table("customers").order_by("customer_id").select("customer_id").limit(1)
    ).to_pylist()[0]["customer_id"]
    now = datetime.now(UTC)
    warehouse.append_rows(
        "feedback",
        [{"feedback_id": "web:late-1", "customer_id": customer, "ts": now - timedelta(hours=1),
          "nps": 1, "touchpoint": "delivery", "team_id": "delivery", "source": "web",
          "text": "Third late delivery <b>in a row</b>", "language": "en"}],
    )  # fmt: skip
    warehouse.append_rows(
        "feedback_insights",
        [{"feedback_id": "web:late-1", "redacted_text": "Third late delivery <b>in a row</b>",
          "sentiment_label": "negative", "themes": '["delivery"]'}],
    )  # fmt: skip
    [case] = run_loop(warehouse, load_rules(settings.project), now=now).opened
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base, case.case_id
    finally:
        warehouse.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_case_workflow_in_the_browser(browser, served, shots: Path) -> None:
    server, case_id = served
    session = open_session(browser, server, DESKTOP, "en-US", email=AGENT, password=PASSWORD)
    page = session.page
    session.go("/")
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(".site-nav >> text=Cases")  # type: ignore[attr-defined]
    assert page.url.startswith(server + "/cases")  # type: ignore[attr-defined]
    rows = page.locator(".cases-table tbody tr")  # type: ignore[attr-defined]
    assert rows.count() >= 1
    # at 1366 px the inbox fits beside the menu: its table does not scroll sideways
    scroll = page.locator(".cases-table").locator("xpath=..")  # type: ignore[attr-defined]
    assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.screenshot(path=shots / "cases-inbox.png", full_page=True)  # type: ignore[attr-defined]
    overdue = page.locator(".case-tabs a").filter(has_text="Closed")  # type: ignore[attr-defined]
    assert overdue.count() == 1

    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(f".cases-table a[href='/cases/{case_id}']")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Call back an angry detractor"  # type: ignore[attr-defined]
    assert "Third late delivery" in page.locator(".feedback-text").inner_text()  # type: ignore[attr-defined]
    assert page.locator(".case-customer .stats").count() == 1  # type: ignore[attr-defined]
    page.screenshot(path=shots / "case-open.png", full_page=True)  # type: ignore[attr-defined]

    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button:has-text('Acknowledge')")  # type: ignore[attr-defined]
    assert "Recorded: Acknowledged." in page.locator(".notice").inner_text()  # type: ignore[attr-defined]
    page.fill("#comment-note", "Called the carrier; <script>x</script> parcel found")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button:has-text('Add the note')")  # type: ignore[attr-defined]
    page.fill("#contact-note", "Phoned the customer, apologised")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button:has-text('Log the contact')")  # type: ignore[attr-defined]
    page.select_option("#resolution", "compensated")  # type: ignore[attr-defined]
    page.fill("#resolve-note", "Voucher sent")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button:has-text('Resolve')")  # type: ignore[attr-defined]
    assert page.locator(".lead .case-status").inner_text() == "Resolved"  # type: ignore[attr-defined]
    history = page.locator(".case-timeline .kind-badge").all_text_contents()  # type: ignore[attr-defined]
    assert history == ["Case opened", "Acknowledged", "Note", "Customer contacted", "Resolved"]
    assert "<script>x</script> parcel found" in page.locator(".case-timeline").inner_text()  # type: ignore[attr-defined]
    assert page.locator("button:has-text('Reopen')").count() == 1  # type: ignore[attr-defined]
    page.screenshot(path=shots / "case-resolved.png", full_page=True)  # type: ignore[attr-defined]
    session.check_clean()
    page.context.close()  # type: ignore[attr-defined]

    phone = open_session(browser, server, PHONE, "es-MX", email=AGENT, password=PASSWORD)
    phone.go(f"/cases/{case_id}")
    assert phone.page.locator("h1").inner_text() == "Call back an angry detractor"  # type: ignore[attr-defined]
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # type: ignore[attr-defined]
    phone.page.screenshot(path=shots / "case-phone-es.png", full_page=True)  # type: ignore[attr-defined]
    phone.check_clean()
    phone.page.context.close()  # type: ignore[attr-defined]
