"""A survey in a real Chromium: three customers answer it in English, Spanish and Chinese
(each page saved, the follow-up chosen by the score), the answers appear on the survey's
page, and a tampered link is refused with a clear page. Screenshots of the form (phone and
desktop) and of the Surveys pages go to pytest's tmp dir (or to $CXLOOP_SCREENSHOTS)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, open_session
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.collect.surveys import InvitationClaims, sign_invitation
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse

PASSWORD = "analytical-engine-1837"
ADMIN = "ada@example.com"
SECRET = "browser-test-secret-" + "k" * 32
RESPONDENTS = [  # customer, language, score, comment, the thank-you text, step text
    ("C-en", "en", 3, "The van came two days late.", "We read every answer", "Step 1 of 2"),
    ("C-es", "es", 4, "El paquete llegó roto.", "Leemos todas las respuestas", "Paso 1 de 2"),
    ("C-zh", "zh", 2, "快递员态度很差。", "我们会认真阅读每一条回答", "第 1 步，共 2 步"),
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("survey-browser")
    init_project(root / "acme")
    settings = Settings.load(project=root / "acme", company_name="Acme Parcels",
                             secret_key=SECRET)  # fmt: skip
    warehouse = open_warehouse(settings.warehouse_url)
    warehouse.append_rows(
        "customers",
        [{"customer_id": c, "name": c, "language": lang} for c, lang, *_ in RESPONDENTS],
    )
    add_user(warehouse, ADMIN, PASSWORD, "admin", name="Ada")
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


def link(customer: str, invitation: str) -> str:
    claims = InvitationClaims(invitation_id=invitation, survey_id="post-delivery",
                              respondent="customer", respondent_id=customer)  # fmt: skip
    return "/s/post-delivery?t=" + sign_invitation(SECRET, claims)


def no_sideways_scroll(page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not wide, "the page scrolls sideways"


def test_answer_in_three_languages_then_see_it_on_the_dashboard(
    browser, server: str, shots: Path
) -> None:
    for n, (customer, lang, score, comment, thanks, step) in enumerate(RESPONDENTS):
        viewport = PHONE if n != 1 else DESKTOP
        context = browser.new_context(viewport=viewport, locale="en-US")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, seen=errors: seen.append(str(exc)))
        page.goto(server + link(customer, f"inv-{lang}"))
        assert page.locator("html").get_attribute("lang").startswith(lang)
        assert step in page.inner_text(".survey-step")
        no_sideways_scroll(page)
        size = "desktop" if n == 1 else "phone"
        page.screenshot(path=str(shots / f"survey-form-{lang}-{size}.png"), full_page=True)
        page.click(f"label[for=q_nps-{score + 1}]")  # the label is the target of the radio
        assert page.is_checked(f"#q_nps-{score + 1}")
        with page.expect_navigation():
            page.click(".survey-submit")
        assert page.locator("#q_improve").count() == 1 and page.locator("#q_love").count() == 0
        page.fill("#q_improve", comment)
        page.click("label[for=q_on_time-3]")
        page.screenshot(path=str(shots / f"survey-form-{lang}-step2.png"), full_page=True)
        with page.expect_navigation():
            page.click(".survey-submit")
        assert thanks in page.inner_text("main")
        assert errors == []
        context.close()

    session = open_session(browser, server, DESKTOP, email=ADMIN, password=PASSWORD)
    session.go("/surveys")
    table = session.page.inner_text(".survey-table")  # type: ignore[attr-defined]
    assert "How was your delivery?" in table and "100%" in table
    scroll = session.page.locator(".survey-table").locator("xpath=..")  # type: ignore[attr-defined]
    assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth")  # fits 1366 px
    session.page.screenshot(path=str(shots / "surveys-desktop.png"), full_page=True)  # type: ignore[attr-defined]
    session.go("/surveys/post-delivery")
    main = session.page.inner_text("main")  # type: ignore[attr-defined]
    for _, _, _, comment, _, _ in RESPONDENTS:
        assert comment in main
    assert "-100" in main  # three detractors
    session.page.screenshot(path=str(shots / "survey-results-desktop.png"), full_page=True)  # type: ignore[attr-defined]
    session.check_clean()

    phone = open_session(browser, server, PHONE, email=ADMIN, password=PASSWORD)
    phone.go("/surveys/post-delivery")
    phone.page.screenshot(path=str(shots / "survey-results-phone.png"), full_page=True)  # type: ignore[attr-defined]


def test_a_tampered_link_is_refused(browser, server: str, shots: Path) -> None:
    context = browser.new_context(viewport=PHONE, locale="es-ES")
    page = context.new_page()
    good = link("C-es", "inv-tampered")
    response = page.goto(server + good[:-6] + ("A" * 6 if not good.endswith("AAAAAA") else "B" * 6))
    assert response is not None and response.status == 400
    assert "Este enlace de encuesta no es válido" in page.inner_text("h1")
    assert page.locator("form").count() == 0
    page.screenshot(path=str(shots / "survey-tampered-phone.png"), full_page=True)
    context.close()
