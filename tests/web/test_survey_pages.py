"""The Surveys pages: who may open them, what they show, in three languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.collect.surveys import load_surveys
from cxloop.config import Settings
from cxloop.storage import Warehouse
from survey_data import invitation_events, respond

PULSE = """\
id: pulse
audience: employees
title: {en: "Pulse"}
questions:
  - {id: enps, type: enps, text: {en: "Recommend working here?"}}
  - {id: why, type: text, text: {en: "Why?"}}
"""


@pytest.fixture
def seeded(web_settings: Settings, web_warehouse: Warehouse) -> None:
    survey = load_surveys(web_settings.project)["post-delivery"]
    invitation_events(web_warehouse, "post-delivery", {"sent": 8, "opened": 5, "responded": 4})
    respond(web_warehouse, survey, [
        {"nps": 10, "love": "Fast and friendly"}, {"nps": 1, "improve": "Box <b>crushed</b>"},
        {"nps": 9, "on_time": "early"}, {"nps": 8},
    ], seconds=42)  # fmt: skip
    respond(web_warehouse, survey, [{"nps": 6}], complete=False, first=4)


def test_the_surveys_page_lists_funnels(seeded: None, signed_in: Callable[..., TestClient]) -> None:
    client = signed_in("analyst")
    page = client.get("/surveys")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/surveys/post-delivery">How was your delivery?</a>' in html
    assert "50%" in html and "80%" in html and "42 s" in html  # 4/8 sent, 4/5 started
    assert 'href="/surveys" aria-current="page"' in html


@pytest.mark.parametrize(
    ("language", "heading", "label"),
    [
        ("en", "Response rate", "How was your delivery?"),
        ("es", "Tasa de respuesta", "¿Qué tal fue su entrega?"),
        ("zh", "回复率", "您的配送体验如何？"),
    ],
)
def test_survey_pages_in_three_languages(
    seeded: None, signed_in: Callable[..., TestClient], language: str, heading: str, label: str
) -> None:
    client = signed_in("analyst", language=language)
    for path in ("/surveys", "/surveys/post-delivery"):
        html = client.get(path).text
        assert heading in html and label in html, (language, path)


def test_a_survey_page_shows_results_and_redacts_comments(
    seeded: None, signed_in: Callable[..., TestClient]
) -> None:
    analyst = signed_in("analyst").get("/surveys/post-delivery").text
    assert "NPS" in analyst and "50" in analyst  # (3 promoters - 1 detractor) / 4
    assert "Fast and friendly" not in analyst and "Shown once analysed" in analyst
    admin = signed_in("admin").get("/surveys/post-delivery").text
    assert "Box &lt;b&gt;crushed&lt;/b&gt;" in admin and "<b>crushed" not in admin
    assert signed_in("analyst").get("/surveys/nope").status_code == 404


def test_lower_roles_may_not_open_the_surveys_pages(
    seeded: None, signed_in: Callable[..., TestClient]
) -> None:
    for role in ("viewer", "agent"):
        client = signed_in(role)
        assert client.get("/surveys", follow_redirects=False).status_code == 403
        assert "/surveys" not in client.get("/").text.split("<main")[0].split("Surveys")[0][-80:]


def test_employee_surveys_show_no_individuals_or_small_groups(
    web_settings: Settings, web_warehouse: Warehouse, signed_in: Callable[..., TestClient],
    app, client: TestClient,
) -> None:  # fmt: skip
    path = Path(web_settings.project) / "surveys" / "pulse.yaml"
    path.write_text(PULSE, encoding="utf-8")
    from cxloop.web.routes.survey_forms import load_surveys_on_start

    load_surveys_on_start(app)
    survey = app.state.surveys["pulse"]
    respond(web_warehouse, survey, [{"enps": 9, "why": "secret reason"}] * 4, kind="employee",
            teams=["t1"] * 4)  # fmt: skip
    analyst = signed_in("analyst")
    small = analyst.get("/surveys/pulse").text
    assert "at least 5 people" in small and "secret reason" not in small and "eNPS" not in small
    respond(web_warehouse, survey, [{"enps": 2, "why": "another"}] * 2, kind="employee",
            teams=["t2"] * 2, first=4)  # fmt: skip
    page = signed_in("admin").get("/surveys/pulse").text
    assert "secret reason" not in page and "another" not in page
    assert "t1" not in page and "t2" not in page and "2 team(s)" in page
