"""Sending invitations to a real SMTP server on loopback: languages, links, tokens, escaping,
throttle, consent, dry runs, re-runs, failures and retries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from act.invitation_data import add_consent, add_customers, add_invitation_event
from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.act.invitations import (
    InvitationOptions,
    customers_audience,
    invitation_funnel,
    send_invitations,
)
from cxloop.act.invitations.opt_out import read_opt_out
from cxloop.collect.surveys import (
    SurveyDefinition,
    TokenInvalid,
    read_invitation,
)
from cxloop.errors import ConfigError, UsageError
from smtp_server import free_port, smtp_server

SECRET = "test-secret-key"
BASE = "https://cx.acme.example"
OPTIONS = InvitationOptions(
    secret=SECRET, public_base_url=BASE, mail_from="Acme CX <cx@acme.example>",
    throttle_days=30, consent="opt-out", token_max_age_days=30, company_name="Acme",
)  # fmt: skip
SURVEY = {
    "id": "post-delivery",
    "languages": ["en", "es", "zh"],
    "title": {"en": "How was your delivery?", "es": "¿Qué tal su entrega?",
              "zh": "您的配送体验如何？"},
    "intro": {"en": "Two questions, one minute."},
    "questions": [
        {"id": "nps", "type": "nps", "required": True,
         "text": {"en": "How likely are you to recommend us?",
                  "es": "¿Nos recomendaría?", "zh": "您会推荐我们吗？"}},
        {"id": "fix", "type": "text", "show_if": "nps <= 6",
         "text": {"en": "What should we fix?", "es": "¿Qué mejoramos?", "zh": "我们该改进什么？"}},
    ],
}  # fmt: skip
PEOPLE = [
    ("C_EN", "en@example.com", "en", "Ann"),
    ("C_ES", "es@example.com", "es-MX", "Bea"),
    ("C_ZH", "zh@example.com", "zh", "Chen"),
    ("C_FR", "fr@example.com", "fr", "Dom"),
]


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"] or "")


def _survey(**changes: object) -> SurveyDefinition:
    return SurveyDefinition.model_validate({**SURVEY, **changes})


def _ids_file(tmp_path: Path, *ids: str) -> Path:
    path = tmp_path / "ids.txt"
    path.write_text("\n".join(ids) + "\n", encoding="utf-8")
    return path


def _send(warehouse, port: int, path: Path, survey: SurveyDefinition | None = None, **kw):
    transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="none", timeout_s=5))
    return send_invitations(
        warehouse, survey or _survey(), customers_audience(path), kw.pop("options", OPTIONS),
        transport=transport, **kw,
    )  # fmt: skip


def _events(warehouse) -> list[dict]:
    frame = warehouse.to_pandas(warehouse.table("survey_invitations"))
    return sorted(frame.to_dict("records"), key=lambda r: (r["customer_id"], r["ts"]))


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


@pytest.fixture
def people(warehouse):
    add_customers(warehouse, *PEOPLE)
    return warehouse


def test_each_customer_gets_the_survey_in_their_language_with_working_links(
    people, tmp_path: Path
) -> None:
    with smtp_server() as (inbox, port):
        report = _send(people, port, _ids_file(tmp_path, "C_EN", "C_ES", "C_ZH", "C_FR"))
    assert report.counts == {"sent": 4}
    expected = {"en@example.com": ("en", "How was your delivery?"),
                "es@example.com": ("es", "¿Qué tal su entrega?"),
                "zh@example.com": ("zh", "您的配送体验如何？"),
                "fr@example.com": ("en", "How was your delivery?")}  # fmt: skip
    events = {e["customer_id"]: e for e in _events(people)}
    for address, (language, subject) in expected.items():
        [message] = inbox.to(address)
        assert message["Subject"] == subject
        assert message["Content-Language"] == language
        assert message["From"] == "Acme CX <cx@acme.example>"
        parser = _Hrefs()
        parser.feed(_html(message))
        scores = [h for h in parser.hrefs if "score=" in h]
        assert [parse_qs(urlsplit(h).query)["score"] for h in scores] == [
            [str(n)] for n in range(11)
        ]
        survey_links = [h for h in parser.hrefs if not h.startswith(f"{BASE}/u/")]
        assert all(h.startswith(f"{BASE}/s/post-delivery?t=") for h in survey_links)
        [opt_out] = [h for h in parser.hrefs if h.startswith(f"{BASE}/u/")]
        assert message["List-Unsubscribe"] == f"<{opt_out}>"
        refusal = read_opt_out(SECRET, opt_out.rsplit("/", 1)[1])
        assert refusal.language == language
        tokens = {parse_qs(urlsplit(h).query)["t"][0] for h in survey_links}
        assert len(tokens) == 1
        claims = read_invitation(SECRET, tokens.pop(), max_age_s=30 * 86_400)
        event = events[claims.respondent_id or ""]
        assert (claims.survey_id, claims.respondent, claims.language) == (
            "post-delivery", "customer", language,
        )  # fmt: skip
        assert claims.invitation_id == event["invitation_id"]
        assert refusal.customer_id == claims.respondent_id
        assert event["status"] == "sent" and event["channel"] == "email"
        details = json.loads(event["details"])
        assert details["message_id"] == message["Message-ID"]
        assert details["language"] == language and details["trigger"] == "customers"
    assert inbox.to("es@example.com")[0].get_body(("plain",)).get_content().startswith("Hola, Bea:")
    stored = people.to_pandas(people.table("surveys"))
    assert list(stored.survey_id) == ["post-delivery"]


def test_a_changed_token_is_refused(people, tmp_path: Path) -> None:
    with smtp_server() as (inbox, port):
        _send(people, port, _ids_file(tmp_path, "C_EN"))
    parser = _Hrefs()
    parser.feed(_html(inbox.messages[0]))
    token = parse_qs(urlsplit(parser.hrefs[0]).query)["t"][0]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(TokenInvalid):
        read_invitation(SECRET, tampered, max_age_s=86_400)
    with pytest.raises(TokenInvalid):
        read_invitation("another-secret", token, max_age_s=86_400)


def test_texts_from_the_definition_and_the_profile_are_escaped(warehouse, tmp_path: Path) -> None:
    add_customers(warehouse, ("C1", "x@example.com", "en", "<b>Bob</b>"))
    survey = _survey(title={"en": "<script>alert('t')</script> & more"},
                     intro={"en": "<img src=x onerror=alert(1)>"})  # fmt: skip
    with smtp_server() as (inbox, port):
        _send(warehouse, port, _ids_file(tmp_path, "C1"), survey=survey)
    html = _html(inbox.messages[0])
    assert "<script>" not in html and "<img" not in html and "<b>Bob" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; more" in html
    assert "&lt;b&gt;Bob&lt;/b&gt;" in html


def test_throttle_consent_and_addresses_are_recorded_not_sent(warehouse, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    add_customers(warehouse, ("OK", "ok@example.com", "en", "Ok"),
                  ("RECENT", "recent@example.com", "en", "Re"),
                  ("REFUSED", "refused@example.com", "en", "No"),
                  ("NOMAIL", None, "en", "Nm"))  # fmt: skip
    add_invitation_event(warehouse, "earlier", "RECENT", "sent", now - timedelta(days=3))
    add_consent(warehouse, "REFUSED", False, now - timedelta(days=90))
    with smtp_server() as (inbox, port):
        report = _send(warehouse, port, _ids_file(tmp_path, "OK", "RECENT", "REFUSED", "NOMAIL"))
    assert [m["To"] for m in inbox.messages] == ["ok@example.com"]
    assert report.counts == {"sent": 1, "throttled": 1, "no_consent": 1, "failed": 1}
    ours = {e["customer_id"]: e for e in _events(warehouse) if e["survey_id"] == "post-delivery"}
    assert {c: e["status"] for c, e in ours.items()} == {
        "OK": "sent", "RECENT": "throttled", "REFUSED": "no_consent", "NOMAIL": "failed",
    }  # fmt: skip
    assert json.loads(ours["NOMAIL"]["details"])["reason"] == "no e-mail address"
    assert json.loads(ours["REFUSED"]["details"])["reason"] == "refused"


def test_nobody_is_surveyed_twice_within_the_window_across_surveys(people, tmp_path) -> None:
    path = _ids_file(tmp_path, "C_EN")
    with smtp_server() as (inbox, port):
        first = _send(people, port, path)
        second = _send(people, port, path, survey=_survey(id="csat-support"))
    assert first.counts == {"sent": 1} and second.counts == {"throttled": 1}
    assert len(inbox.messages) == 1


def test_a_dry_run_writes_nothing_and_sends_nothing(people, tmp_path: Path) -> None:
    before = people.counts()
    with smtp_server() as (inbox, port):
        report = _send(people, port, _ids_file(tmp_path, "C_EN", "C_ES"), dry_run=True)
    assert report.dry_run and report.counts == {"pending": 2}
    assert {o.language for o in report.outcomes} == {"en", "es"}
    assert inbox.messages == [] and people.counts() == before


def test_a_dry_run_needs_no_smtp_settings(people, tmp_path: Path) -> None:
    report = send_invitations(
        people, _survey(), customers_audience(_ids_file(tmp_path, "C_EN")),
        InvitationOptions(secret=SECRET), dry_run=True,
    )  # fmt: skip
    assert report.counts == {"pending": 1}


def test_a_rerun_sends_nothing_twice(people, tmp_path: Path) -> None:
    path = _ids_file(tmp_path, "C_EN", "C_ES")
    options = InvitationOptions(**{**OPTIONS.__dict__, "throttle_days": 0})
    with smtp_server() as (inbox, port):
        _send(people, port, path, options=options)
        rows = len(_events(people))
        again = _send(people, port, path, options=options)
    assert again.counts == {"already_invited": 2}
    assert len(inbox.messages) == 2 and len(_events(people)) == rows == 2


def test_a_refused_message_is_recorded_and_retried_once(people, tmp_path: Path) -> None:
    path = _ids_file(tmp_path, "C_EN", "C_ES")
    with smtp_server() as (inbox, port):
        inbox.refuse.add("es@example.com")
        first = _send(people, port, path)
        inbox.refuse.clear()
        second = _send(people, port, path)
        third = _send(people, port, path)
    assert first.counts == {"sent": 1, "failed": 1}
    assert second.counts == {"already_invited": 1, "sent": 1}
    assert third.counts == {"already_invited": 2}
    assert [m["To"] for m in inbox.messages] == ["en@example.com", "es@example.com"]
    history = [e for e in _events(people) if e["customer_id"] == "C_ES"]
    assert [e["status"] for e in history] == ["failed", "sent"]
    assert history[0]["invitation_id"] == history[1]["invitation_id"]
    assert json.loads(history[0]["details"])["reason"].startswith("recipient refused: 550")
    funnel = invitation_funnel(people, "post-delivery")
    assert (funnel.sent, funnel.failed) == (2, 0)


def test_an_unreachable_server_stops_the_run_and_the_next_run_sends(people, tmp_path) -> None:
    path = _ids_file(tmp_path, "C_EN", "C_ES", "C_ZH", "C_FR")
    report = _send(people, free_port(), path)
    assert report.stopped and "run the send again" in report.stopped
    assert report.counts == {"failed": 3, "pending": 1}
    assert [e["status"] for e in _events(people)] == ["failed"] * 3
    with smtp_server() as (inbox, port):
        retry = _send(people, port, path)
    assert retry.counts == {"sent": 4} and len(inbox.messages) == 4
    assert sorted(e["invitation_event_id"].split(":", 1)[1] for e in _events(people)) == [
        "failed:1", "failed:1", "failed:1", "sent", "sent", "sent", "sent",
    ]  # fmt: skip


def test_settings_a_real_send_needs(people, tmp_path: Path) -> None:
    path = _ids_file(tmp_path, "C_EN")
    bare = InvitationOptions(secret=SECRET, mail_from="cx@acme.example")
    with pytest.raises(ConfigError, match="public_base_url"):
        send_invitations(people, _survey(), customers_audience(path), bare,
                         transport=SmtpTransport(SmtpConfig("127.0.0.1", 1)))  # fmt: skip
    no_sender = InvitationOptions(secret=SECRET, public_base_url=BASE)
    with pytest.raises(ConfigError, match="mail_from"):
        send_invitations(people, _survey(), customers_audience(path), no_sender,
                         transport=SmtpTransport(SmtpConfig("127.0.0.1", 1)))  # fmt: skip
    assert people.counts()["survey_invitations"] == 0


def test_employee_surveys_are_not_sent_to_customers(people, tmp_path: Path) -> None:
    survey = SurveyDefinition.model_validate({
        "id": "pulse", "audience": "employees", "title": {"en": "Pulse"},
        "questions": [{"id": "enps", "type": "enps", "text": {"en": "Recommend us as a place "
                                                                   "to work?"}}],
    })  # fmt: skip
    with pytest.raises(UsageError, match="is for employees"):
        send_invitations(people, survey, customers_audience(_ids_file(tmp_path, "C_EN")),
                         OPTIONS, dry_run=True)  # fmt: skip
