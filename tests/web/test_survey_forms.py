"""The hosted survey forms, through the app: languages, pre-fill, pages and resume, refused
links, anonymous mode, retries, limits, and what lands in the warehouse."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from cxloop.api import create_app
from cxloop.collect.surveys import InvitationClaims, sign_invitation
from cxloop.collect.surveys.tokens import SALT
from cxloop.config import Settings
from cxloop.storage import Warehouse

FORM_TOKEN = re.compile(r'name="f" value="([^"]+)"')
EMPLOYEE_SURVEY = """\
id: team-pulse
audience: employees
team: delivery
languages: [en]
title: {en: "Team pulse"}
questions:
  - {id: enps, type: enps, required: true, text: {en: "Recommend working here?"}}
  - {id: listens, type: statement, statement: listens, text: {en: "We listen to customers"}}
  - {id: proud, type: rating, scale: {min: 1, max: 7}, measure: engagement, text: {en: "Proud?"}}
  - {id: rested, type: statement, statement: rested, measure: wellbeing, text: {en: "Rested?"}}
"""
ANONYMOUS_SURVEY = """\
id: kiosk
anonymous: true
touchpoint: store
languages: [es, en]
title: {es: "Su visita", en: "Your visit"}
questions:
  - {id: csat, type: csat, required: true, text: {es: "¿Satisfecho?", en: "Satisfied?"}}
  - {id: why, type: text, text: {es: "¿Por qué?", en: "Why?"}}
"""


def token(settings: Settings, invitation: str = "inv-1", respondent_id: str | None = "C1",
          survey: str = "post-delivery", respondent: str = "customer",
          language: str | None = None) -> str:  # fmt: skip
    claims = InvitationClaims(
        invitation_id=invitation, survey_id=survey, respondent=respondent,  # type: ignore[arg-type]
        respondent_id=respondent_id, language=language,
    )  # fmt: skip
    return sign_invitation(settings.signing_key(), claims)


def form_token(html: str) -> str:
    match = FORM_TOKEN.search(html)
    assert match, html
    return match.group(1)


def post(client: TestClient, url: str, html: str, **answers: object) -> object:
    data: dict[str, object] = {"f": form_token(html)}
    data.update({f"q_{k}": v for k, v in answers.items()})
    return client.post(url, data=data)


def rows(warehouse: Warehouse, table: str) -> list[dict]:
    return warehouse.to_pyarrow(warehouse.table(table)).to_pylist()


@pytest.fixture
def customers(web_warehouse: Warehouse) -> None:
    web_warehouse.append_rows(
        "customers",
        [
            {"customer_id": "C1", "name": "Ana", "language": "es", "country": "ES",
             "attributes": json.dumps({"tier": "gold"})},
            {"customer_id": "C2", "name": "Li", "language": "zh", "country": "CN",
             "attributes": None},
        ],
    )  # fmt: skip


@pytest.fixture
def extra_surveys(web_settings: Settings) -> None:
    folder = Path(web_settings.project) / "surveys"
    (folder / "team-pulse.yaml").write_text(EMPLOYEE_SURVEY, encoding="utf-8")
    (folder / "kiosk.yaml").write_text(ANONYMOUS_SURVEY, encoding="utf-8")


@pytest.fixture
def survey_client(extra_surveys: None, customers: None, client: TestClient) -> TestClient:
    return client


@pytest.mark.parametrize(
    ("respondent_id", "invited", "accept", "lang", "expected"),
    [
        ("C1", None, "en", "es", "¿Qué tal fue su entrega?"),  # profile language first
        ("C2", None, "es", "zh", "您的配送体验如何？"),
        ("C9", None, "es-MX,en;q=0.5", "es", "¿Qué tal fue su entrega?"),  # no profile
        ("C9", None, "fr, zh-CN;q=0.8", "zh", "您的配送体验如何？"),
        ("C9", None, "fr", "en", "How was your delivery?"),  # the survey's first language
        ("C2", "en", "es", "en", "How was your delivery?"),  # the invitation's language
    ],
)
def test_the_form_speaks_the_respondents_language(
    survey_client: TestClient, web_settings: Settings, respondent_id: str,
    invited: str | None, accept: str, lang: str, expected: str,
) -> None:  # fmt: skip
    t = token(web_settings, respondent_id=respondent_id, language=invited)
    page = survey_client.get(f"/s/post-delivery?t={t}", headers={"Accept-Language": accept})
    assert page.status_code == 200
    assert f'<html lang="{"zh-Hans" if lang == "zh" else lang}">' in page.text
    assert f"<h1>{expected}</h1>" in page.text
    assert page.headers["cache-control"] == "no-store"
    chosen = survey_client.get(f"/s/post-delivery?t={t}&lang=en")
    assert "<h1>How was your delivery?</h1>" in chosen.text


def test_the_form_is_accessible_without_javascript(survey_client: TestClient, web_settings):
    html = survey_client.get(f"/s/post-delivery?t={token(web_settings)}&lang=en").text
    assert "<script" not in html
    assert '<fieldset class="survey-question survey-scale-question" id="q_nps"' in html
    assert "<legend" in html and 'for="q_nps-1"' in html and 'id="q_nps-1"' in html
    assert html.count('type="radio"') == 11 and 'name="viewport"' in html
    assert "Step 1 of 2" in html and "Send my answers" not in html


def test_a_clicked_score_is_pre_filled(survey_client: TestClient, web_settings: Settings):
    t = token(web_settings)
    html = survey_client.get(f"/s/post-delivery?t={t}&score=3").text
    assert re.search(r'value="3" checked', html)
    for bad in ("11", "x", "-1"):
        assert "checked" not in survey_client.get(f"/s/post-delivery?t={t}&score={bad}").text


def test_a_response_pages_saves_and_projects(
    survey_client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    url = f"/s/post-delivery?t={token(web_settings)}"
    first = survey_client.get(url)
    second = post(survey_client, url, first.text, nps="3")
    assert second.status_code == 200
    assert "q_improve" in second.text and "q_love" not in second.text
    assert "Paso 2 de 2" in second.text  # C1 reads Spanish
    partial = rows(web_warehouse, "survey_responses")
    assert [(r["status"], json.loads(r["answers"])) for r in partial] == [("partial", {"nps": 3})]
    assert rows(web_warehouse, "feedback") == []
    done = post(survey_client, url, second.text, improve="Faster <b>vans</b>", on_time="late")
    assert done.status_code == 200 and "Leemos todas las respuestas" in done.text
    [response] = rows(web_warehouse, "survey_responses")
    assert response["status"] == "complete" and response["customer_id"] == "C1"
    assert json.loads(response["answers"]) == {
        "nps": 3,
        "improve": "Faster <b>vans</b>",
        "on_time": "late",
    }
    assert response["duration_s"] >= 0 and response["started_at"] <= response["ts"]
    assert response["language"] == "es" and response["team_id"] == "delivery"
    snapshot = json.loads(response["contact_snapshot"])
    assert snapshot["country"] == "ES" and snapshot["attributes"] == {"tier": "gold"}
    [feedback] = rows(web_warehouse, "feedback")
    assert feedback["feedback_id"] == f"survey:{response['response_id']}"
    assert (feedback["source"], feedback["nps"]) == ("survey", 3)
    assert feedback["touchpoint"] == "delivery"
    assert feedback["survey_id"] == "post-delivery" and feedback["team_id"] == "delivery"
    assert feedback["text"] == "Faster <b>vans</b>" and feedback["customer_id"] == "C1"
    events = sorted(r["status"] for r in rows(web_warehouse, "survey_invitations"))
    assert events == ["opened", "responded", "started"]
    [insight] = rows(web_warehouse, "feedback_insights")
    assert insight["feedback_id"] == feedback["feedback_id"]


def test_answers_are_escaped_when_shown_again(survey_client: TestClient, web_settings):
    url = f"/s/post-delivery?t={token(web_settings)}"
    first = survey_client.get(url)
    second = post(survey_client, url, first.text, nps="2")
    again = post(survey_client, url, second.text, improve="<script>x</script>", on_time="soon")
    assert again.status_code == 422
    assert "<script>x</script>" not in again.text and "&lt;script&gt;" in again.text


def test_a_returning_link_resumes_and_a_finished_one_thanks(
    survey_client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    url = f"/s/post-delivery?t={token(web_settings)}&lang=en"
    post(survey_client, url, survey_client.get(url).text, nps="10")
    back = survey_client.get(url)
    assert "Step 2 of 2" in back.text and "q_love" in back.text
    started = rows(web_warehouse, "survey_responses")[0]["started_at"]
    post(survey_client, url, back.text, love="Friendly drivers")
    finished = survey_client.get(url)
    assert "already answered" in finished.text
    [response] = rows(web_warehouse, "survey_responses")
    assert response["started_at"] == started and response["status"] == "complete"


def test_retried_posts_create_no_duplicates(
    survey_client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    url = f"/s/post-delivery?t={token(web_settings)}"
    first = survey_client.get(url)
    post(survey_client, url, first.text, nps="9")
    second = post(survey_client, url, first.text, nps="9")  # the same page sent twice
    for _ in range(2):
        assert post(survey_client, url, second.text, love="ok").status_code == 200
    assert len(rows(web_warehouse, "survey_responses")) == 1
    assert len(rows(web_warehouse, "feedback")) == 1
    assert len(rows(web_warehouse, "survey_invitations")) == 3


def test_required_and_invalid_answers_are_named(survey_client: TestClient, web_settings):
    url = f"/s/post-delivery?t={token(web_settings)}&lang=en"
    first = survey_client.get(url)
    missing = post(survey_client, url, first.text)
    assert missing.status_code == 422 and "Please answer this question." in missing.text
    assert 'role="alert"' in missing.text and 'href="#q_nps"' in missing.text
    wrong = post(survey_client, url, first.text, nps="12")
    assert wrong.status_code == 422 and "Choose a score from the scale." in wrong.text


@pytest.mark.parametrize(
    ("mangle", "status", "text"),
    [
        (lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"), 400, "not valid"),
        (lambda t: "nonsense", 400, "not valid"),
        (lambda t: "", 403, "by invitation"),
    ],
)
def test_tampered_links_get_a_clear_page(survey_client, web_settings, mangle, status, text):
    page = survey_client.get(f"/s/post-delivery?t={mangle(token(web_settings))}")
    assert page.status_code == status and text in page.text
    assert "Traceback" not in page.text and "<h1>" in page.text


def test_a_link_for_another_survey_is_refused(survey_client: TestClient, web_settings):
    t = token(web_settings, survey="support-csat")
    assert survey_client.get(f"/s/post-delivery?t={t}").status_code == 400


def test_expired_links_get_a_clear_page(survey_client, web_settings: Settings) -> None:
    class LongAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return super().get_timestamp() - 31 * 86_400

    class Old(URLSafeTimedSerializer):
        default_signer = LongAgo

    claims = InvitationClaims(invitation_id="i", survey_id="post-delivery", respondent="customer")
    old = Old(web_settings.signing_key(), salt=SALT).dumps(claims.model_dump())
    page = survey_client.get(f"/s/post-delivery?t={old}", headers={"Accept-Language": "zh"})
    assert page.status_code == 410 and "此调查链接已过期" in page.text


def test_unknown_surveys_and_forged_form_tokens(survey_client: TestClient, web_settings):
    assert survey_client.get("/s/nope").status_code == 404
    url = f"/s/post-delivery?t={token(web_settings)}"
    other = f"/s/post-delivery?t={token(web_settings, invitation='inv-2')}"
    html = survey_client.get(other).text
    stolen = post(survey_client, url, html, nps="1")  # a form page of another invitation
    assert stolen.status_code == 400 and "expired" in stolen.text
    forged = survey_client.post(url, data={"f": "x", "q_nps": "1"})
    assert forged.status_code == 400
    as_json = survey_client.post(url, json={"f": form_token(html)})
    assert as_json.status_code == 400


def test_anonymous_link_mode(survey_client: TestClient, web_warehouse: Warehouse) -> None:
    first = survey_client.get("/s/kiosk", headers={"Accept-Language": "en"})
    assert first.status_code == 200 and "<h1>Your visit</h1>" in first.text
    done = post(survey_client, "/s/kiosk", first.text, csat="5", why="Quick")
    assert done.status_code == 200 and "Thank you" in done.text
    again = post(survey_client, "/s/kiosk", first.text, csat="5", why="Quick")
    assert again.status_code == 200
    [response] = rows(web_warehouse, "survey_responses")
    assert response["customer_id"] is None and response["invitation_id"] is None
    assert json.loads(response["contact_snapshot"]) == {}
    [feedback] = rows(web_warehouse, "feedback")
    assert feedback["csat"] == 5 and feedback["customer_id"] is None
    assert rows(web_warehouse, "survey_invitations") == []
    assert survey_client.get("/s/post-delivery").status_code == 403


def test_employee_answers_become_a_pulse(
    survey_client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    web_warehouse.append(
        "employees",
        pa.Table.from_pylist([{"employee_id": "E1", "team_id": "billing", "language": "en"}]),
    )
    url = "/s/team-pulse?t=" + token(
        web_settings, survey="team-pulse", respondent="employee", respondent_id="E1"
    )
    done = post(survey_client, url, survey_client.get(url).text,
                enps="9", listens="4", proud="7", rested="2")  # fmt: skip
    assert done.status_code == 200
    [pulse] = rows(web_warehouse, "employee_pulses")
    assert (pulse["employee_id"], pulse["team_id"], pulse["enps"]) == ("E1", "billing", 9)
    assert pulse["engagement"] == 5.0 and pulse["wellbeing"] == 2.0
    assert pulse["customer_centricity"] == 3.0  # the two statements, 4 and 2
    assert rows(web_warehouse, "feedback") == []
    [response] = rows(web_warehouse, "survey_responses")
    assert response["employee_id"] == "E1" and response["customer_id"] is None


@pytest.fixture
def limited(web_settings: Settings, web_warehouse: Warehouse, extra_surveys: None
            ) -> Iterator[TestClient]:  # fmt: skip
    settings = web_settings.model_copy(
        update={"survey_rate_limit": 0.001, "survey_max_body_bytes": 2_000}
    )
    app: FastAPI = create_app(settings, warehouse=web_warehouse)
    with TestClient(app) as test_client:
        yield test_client


def test_rate_limit(limited: TestClient) -> None:
    codes = [limited.get("/s/kiosk").status_code for _ in range(22)]
    assert codes[:20] == [200] * 20 and codes[-1] == 429
    assert "Too many requests" in limited.get("/s/kiosk").text


def test_body_size_limit(limited: TestClient, web_warehouse: Warehouse) -> None:
    html = limited.get("/s/kiosk").text
    big = post(limited, "/s/kiosk", html, csat="4", why="x" * 3_000)
    assert big.status_code == 413 and "too long" in big.text
    assert rows(web_warehouse, "survey_responses") == []


def test_a_failing_text_analysis_keeps_the_response(
    survey_client: TestClient, app: FastAPI, web_warehouse: Warehouse
) -> None:
    class Broken:
        name = "broken"

        def analyse(self, texts, hints):
            raise RuntimeError("model gone")

    app.state.survey_analyser = Broken()
    first = survey_client.get("/s/kiosk")
    assert post(survey_client, "/s/kiosk", first.text, csat="1", why="Bad").status_code == 200
    assert len(rows(web_warehouse, "feedback")) == 1
    assert rows(web_warehouse, "feedback_insights") == []
