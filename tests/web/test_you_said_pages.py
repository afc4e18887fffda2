"""The public "you said, we did" page and the analysts' Actions page: off by default (404),
public when on, only published actions and aggregates, small groups withheld, the language
from ?lang= or the browser, roles and CSRF on the authoring forms, output escaped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cxloop.api import create_app
from cxloop.share.public_actions import add_action, change_action
from share.you_said_data import add_themes_and_cases

XSS = '<img src=x onerror="alert(1)">Faster delivery'


@pytest.fixture
def public(web_settings, web_warehouse):  # type: ignore[no-untyped-def]
    add_themes_and_cases(web_warehouse)
    settings = web_settings.model_copy(update={"you_said_we_did": True})
    with TestClient(create_app(settings, warehouse=web_warehouse)) as client:
        yield client


def test_off_by_default_the_page_is_a_404(client, web_warehouse) -> None:
    add_themes_and_cases(web_warehouse)
    page = client.get("/you-said-we-did")
    assert page.status_code == 404 and "delivery" not in page.text.lower()


def test_on_it_shows_aggregates_and_only_published_actions(public, web_warehouse) -> None:
    shown = add_action(web_warehouse, theme="delivery", author="user:ana@acme.example",
                       titles={"en": XSS, "es": "Entregas más rápidas"},
                       descriptions={"en": "A second courier"}, status="done")  # fmt: skip
    add_action(web_warehouse, theme="billing", titles={"en": "Secret draft"}, author="cli:x")
    change_action(web_warehouse, shown.action_id, "user:ana@acme.example", published=True)
    page = public.get("/you-said-we-did", headers={"Accept-Language": "en-GB"})
    assert page.status_code == 200 and 'lang="en"' in page.text
    text = page.text
    assert "Delivery" in text and "Billing" in text and "Price" not in text  # 2 < 5: withheld
    assert "Themes not shown (fewer than 5 comments each): 1." in text
    assert "Fixed" in text and "Compensated" not in text  # 2 billing cases: withheld
    assert "&lt;img src=x onerror=" in text and "<img src=x" not in text
    assert "Secret draft" not in text and "A second courier" in text
    for private in ("Private comment", "Ann Example", "agent.smith", "ana@acme", "C1", "user:"):
        assert private not in text
    assert 'href="/cases' not in text and "csrf_token" not in text  # no navigation, no forms
    spanish = public.get("/you-said-we-did", params={"lang": "es"})
    assert 'lang="es"' in spanish.text and "Entregas más rápidas" in spanish.text
    assert "Hecho" in spanish.text  # the status, translated
    chinese = public.get("/you-said-we-did", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert 'lang="zh' in chinese.text and "&lt;img" in chinese.text  # no Chinese title: English
    month = public.get("/you-said-we-did", params={"days": "30", "lang": "es"})
    assert month.status_code == 200 and 'aria-current="true">Últimos 30 días' in month.text


def test_signed_in_people_see_the_public_page_in_its_own_language(public, web_warehouse) -> None:
    from cxloop.access.users import add_user
    from web.conftest import PASSWORD, sign_in

    add_user(web_warehouse, "zhu@example.com", PASSWORD, "viewer", language="zh")
    sign_in(public, "zhu@example.com")
    page = public.get("/you-said-we-did", params={"lang": "en"})
    assert 'lang="en"' in page.text and 'href="/scorecard"' not in page.text


def test_analysts_write_and_publish_actions_through_the_form(signed_in, csrf_of) -> None:
    assert signed_in("agent").get("/actions").status_code == 403
    analyst = signed_in("analyst")
    page = analyst.get("/actions")
    assert page.status_code == 200
    # the page being off is a warning about a setting, not a success
    assert '<p class="notice notice-warning">The public page is off' in page.text
    token = csrf_of(page.text)
    form = {"theme": "delivery", "title_en": XSS, "title_es": "Más rápido", "status": "planned",
            "action_date": "2026-11-20"}  # fmt: skip
    assert analyst.post("/actions", data=form).status_code == 403  # no CSRF token
    done = analyst.post("/actions", data={**form, "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    listed = analyst.get("/actions")
    assert "&lt;img src=x" in listed.text and "<img src=x" not in listed.text
    [action_id] = re.findall(r'action="/actions/(act_[0-9a-f]+)"', listed.text)[:1]
    for change in ({"change": "publish"}, {"change": "status", "status": "done"}):
        moved = analyst.post(f"/actions/{action_id}", data={**change, "csrf_token": token},
                             follow_redirects=False)  # fmt: skip
        assert moved.status_code == 303, moved.text
    after = analyst.get("/actions")
    assert "Withdraw" in after.text
    bad = analyst.post("/actions", data={**form, "theme": "nope", "csrf_token": token})
    assert bad.status_code == 400 and "no theme &#39;nope&#39;" in bad.text
    no_title = analyst.post("/actions", data={"theme": "delivery", "csrf_token": token})
    assert no_title.status_code == 400 and "title" in no_title.text
