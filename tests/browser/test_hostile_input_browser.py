"""XSS payloads stored as customer data are shown inert, as text, on every page that shows them.

A customer's name, a comment, a survey answer (typed into the public survey form itself), a
case note and a segment's name each carry markup that would run script if it were pasted into
the page. The pages are opened in a real Chromium: no dialog may open, no payload may set its
flag on ``window``, and the payload must be readable on the page as the characters it was
typed with. Screenshots go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS when set).
"""

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
from cxloop.act.case_actions import act_on_case
from cxloop.api import create_app
from cxloop.collect.surveys import InvitationClaims, sign_invitation
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse

PASSWORD = "hostile-input-1999"
ADMIN = "ada@example.com"
SECRET = "hostile-browser-secret-" + "k" * 32


def payload(field: str) -> str:
    """Markup that, if it ever ran, would open a dialog and set ``window.__xss_<field>``."""
    return (
        f"{field}<script>window.__xss_{field}=1;alert('{field}')</script>"
        f"<img src=x onerror=\"window.__xss_{field}=1;alert('{field}')\">"
        f"\"><svg onload=alert('{field}')>"
    )


NAME, COMMENT, ANSWER, NOTE, SEGMENT = (
    payload(f) for f in ("name", "comment", "answer", "note", "segment")
)
#: a name of 80 letters without a space: it must break on every page, never overflow
LONG_NAME = "Maximilianus" + "x" * 56 + "Wolfeschlegel"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The app over a small company whose data is full of payloads, and José with a very long
    name and a case of his own; (base URL, customer ids by first name)."""
    root = tmp_path_factory.mktemp("hostile-browser") / "acme"
    init_project(root)
    (root / "segments" / "hostile.yaml").write_text(
        f'id: hostile\nname: "{SEGMENT.replace(chr(34), chr(92) + chr(34))}"\nrule: nps <= 6\n',
        encoding="utf-8",
    )
    settings = Settings.load(project=root, company_name="Acme", secret_key=SECRET)
    warehouse = open_warehouse(settings.warehouse_url)
    ids = build_company(warehouse)
    warehouse.update("customers", "customer_id", [ids["ana"]], {"name": NAME})
    warehouse.update("feedback", "customer_id", [ids["ana"]], {"text": COMMENT})
    warehouse.update("customers", "customer_id", [ids["jose"]], {"name": LONG_NAME})
    # the case's history as the product writes it, then an agent's comment
    warehouse.delete("case_events", "case_id", ["case1"])
    write_rows(
        warehouse,
        "case_events",
        [{"case_event_id": "ce-open", "case_id": "case1", "ts": datetime(2026, 3, 5, tzinfo=UTC),
          "kind": "opened", "actor": "rule:detractor", "status": "open"}],
    )  # fmt: skip
    act_on_case(warehouse, "case1", "commented", "ada@example.com", note=NOTE)
    write_rows(
        warehouse,
        "cases",
        [
            {
                "case_id": "case-long",
                "customer_id": ids["jose"],
                "title": LONG_NAME,
                "priority": "low",
                "team_id": "delivery",
                "opened_at": datetime(2026, 3, 6, tzinfo=UTC),
            }
        ],
    )
    write_rows(warehouse, "case_events", [
        {"case_event_id": "ce-long", "case_id": "case-long", "ts": datetime(2026, 3, 6, tzinfo=UTC),
         "kind": "opened", "actor": "rule:detractor", "status": "open"}])  # fmt: skip
    warehouse.append_rows("customers", [{"customer_id": "C-x", "name": "Xavier", "language": "en"}])
    add_user(warehouse, ADMIN, PASSWORD, "admin", name="Ada")
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base, ids
    finally:
        warehouse.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CXLOOP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def answer_the_survey(browser, base: str, text: str) -> None:
    """A customer types ``text`` into the public survey form."""
    claims = InvitationClaims(invitation_id="inv-x", survey_id="post-delivery",
                              respondent="customer", respondent_id="C-x")  # fmt: skip
    page = browser.new_context(viewport=DESKTOP).new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base + "/s/post-delivery?t=" + sign_invitation(SECRET, claims))
    page.click("label[for=q_nps-3]")
    with page.expect_navigation():
        page.click(".survey-submit")
    page.fill("#q_improve", text)
    page.click("label[for=q_on_time-3]")
    with page.expect_navigation():
        page.click(".survey-submit")
    assert dialogs == []
    page.context.close()


def test_payloads_show_as_text_and_never_run(
    browser, company: tuple[str, dict[str, str]], shots: Path
) -> None:
    base, ids = company
    ana = ids["ana"]
    answer_the_survey(browser, base, ANSWER)
    session = open_session(browser, base, DESKTOP, email=ADMIN, password=PASSWORD)
    page = session.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    visits = [
        ("customers", "/customers?q=ana", [NAME]),
        ("customer-360", f"/customers/{ana}", [NAME, COMMENT]),
        ("feedback", "/feedback", [COMMENT]),
        ("case", "/cases/case1", [NOTE]),
        ("segments", "/segments", [SEGMENT]),
        ("survey", "/surveys/post-delivery", [ANSWER]),
    ]
    for name, path, shown in visits:
        session.go(path)
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        page.screenshot(path=str(shots / f"hostile-{name}.png"), full_page=True)  # type: ignore[attr-defined]
        flags = page.evaluate(  # type: ignore[attr-defined]
            "Object.keys(window).filter(k => k.startsWith('__xss'))"
        )
        assert flags == [], f"{path}: a payload ran ({flags})"
        text = page.inner_text("main")  # type: ignore[attr-defined]
        for value in shown:
            assert value in text, f"{path}: the payload is not shown as text"
        assert page.locator("main svg[onload], main img[onerror]").count() == 0  # type: ignore[attr-defined]
    assert dialogs == []
    session.check_clean()


#: the elements that hold a customer's name: headings and the customer card beside a case
NAME_HOLDERS = "main h1, main h2, main h3, .case-customer, .case-customer .panel"

OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1)
    .map((el) => `${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`)"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_long_unbroken_name_wraps_instead_of_overflowing(
    browser, company: tuple[str, dict[str, str]], shots: Path, viewport: dict
) -> None:
    base, ids = company
    session = open_session(browser, base, viewport, email=ADMIN, password=PASSWORD)
    page = session.page
    width = "desktop" if viewport is DESKTOP else "phone"
    for name, path in (("case", "/cases/case-long"), ("customer-360", f"/customers/{ids['jose']}")):
        session.go(path)
        assert LONG_NAME in page.inner_text("main")  # type: ignore[attr-defined]
        page.screenshot(path=str(shots / f"long-name-{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]
        assert page.evaluate(OVERFLOWING, NAME_HOLDERS) == [], path  # type: ignore[attr-defined]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path  # type: ignore[attr-defined]
    session.check_clean()
