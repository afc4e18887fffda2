"""The follow-up survey on resolution: an invitation through act/invitations to a real SMTP
server on loopback, with throttling and consent respected, once per case, and off by setting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from act.case_data import DETRACTOR_RULE, NOW, add_company, add_feedback, hours_ago, write_rules
from act.invitation_data import add_consent, add_invitation_event
from cxloop.act.case_actions import FollowUp, act_on_case, followup_for
from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.act.invitations import InvitationOptions
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.collect.surveys import SurveyDefinition
from cxloop.config import Settings
from smtp_server import smtp_server

SURVEY = SurveyDefinition.model_validate(
    {
        "id": "after-case",
        "languages": ["en", "es"],
        "title": {"en": "Did we put it right?", "es": "¿Lo arreglamos?"},
        "questions": [
            {"id": "csat", "type": "csat", "required": True,
             "text": {"en": "How satisfied are you now?", "es": "¿Qué tan satisfecho está?"}},
        ],
    }
)  # fmt: skip
OPTIONS = InvitationOptions(
    secret="test-secret", public_base_url="https://cx.acme.example",
    mail_from="Acme <cx@acme.example>", throttle_days=30, consent="opt-out",
)  # fmt: skip


@pytest.fixture
def cases(warehouse, tmp_path: Path) -> dict[str, str]:
    """An open detractor case for C1 (en) and for C2 (es)."""
    add_company(warehouse)
    add_feedback(warehouse, "F1", "C1", hours_ago(5), nps=3)
    add_feedback(warehouse, "F2", "C2", hours_ago(5), nps=2)
    write_rules(tmp_path, detractor=DETRACTOR_RULE)
    opened = run_loop(warehouse, load_rules(tmp_path), now=NOW).opened
    return {c.customer_id: c.case_id for c in opened}


def _followup(port: int) -> FollowUp:
    config = SmtpConfig("127.0.0.1", port, security="none", timeout_s=5)
    return FollowUp(SURVEY, OPTIONS, lambda: SmtpTransport(config))


def _resolve(warehouse, case_id: str, followup: FollowUp | None):
    return act_on_case(warehouse, case_id, "resolved", "user:a", resolution="fixed",
                       followup=followup, now=NOW)  # fmt: skip


def test_resolving_invites_the_customer_once_in_their_language(warehouse, cases) -> None:
    with smtp_server() as (inbox, port):
        result = _resolve(warehouse, cases["C2"], _followup(port))
        assert result.followup == "sent"
        [message] = inbox.to("bea@example.com")
        assert message["Subject"] and "¿Lo arreglamos?" in message.get_body().get_content()
        # reopened and resolved again: the same case invites nobody twice
        act_on_case(warehouse, cases["C2"], "reopened", "user:a", now=NOW)
        again = _resolve(warehouse, cases["C2"], _followup(port))
        assert (again.followup or "").startswith("already_invited")
        assert len(inbox.messages) == 1
    rows = warehouse.to_pyarrow(warehouse.table("survey_invitations")).to_pylist()
    assert {r["status"] for r in rows} == {"sent"}
    assert all(r["customer_id"] == "C2" and r["survey_id"] == "after-case" for r in rows)


def test_throttling_and_consent_are_respected(warehouse, cases) -> None:
    add_invitation_event(warehouse, "inv-x", "C1", "sent", NOW - timedelta(days=3))
    add_consent(warehouse, "C2", False, NOW - timedelta(days=1))
    with smtp_server() as (inbox, port):
        throttled = _resolve(warehouse, cases["C1"], _followup(port)).followup
        assert throttled == "throttled: surveyed in the last 30 days"
        refused = _resolve(warehouse, cases["C2"], _followup(port)).followup
        assert (refused or "").startswith("no_consent")
        assert inbox.messages == []


def test_no_followup_without_the_setting(warehouse, cases, tmp_path: Path) -> None:
    settings = Settings.load(project=tmp_path)
    assert settings.case_followup_survey is None
    assert followup_for(settings, {"after-case": SURVEY}, "resolved") == (None, None)
    assert _resolve(warehouse, cases["C1"], None).followup is None
    assert warehouse.counts()["survey_invitations"] == 0
    wrong = Settings.load(project=tmp_path, case_followup_survey="gone")
    followup, problem = followup_for(wrong, {"after-case": SURVEY}, "resolved")
    assert followup is None and problem is not None
    assert "case_followup_survey': no survey 'gone' (surveys: after-case)" in problem
    configured = Settings.load(project=tmp_path, case_followup_survey="after-case")
    assert followup_for(configured, {"after-case": SURVEY}, "commented") == (None, None)
    made, _ = followup_for(configured, {"after-case": SURVEY}, "resolved")
    assert made is not None and made.survey.id == "after-case"
