"""Employee surveys sent to employees over a real SMTP server on loopback: audiences (a team,
a file, everyone), tokens that name the employee, no customer opt-out link, the throttle, and
the refusals when survey and audience do not match."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from act.invitation_data import NOW, days_ago
from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.act.invitations import (
    InvitationOptions,
    all_employees_audience,
    employees_audience,
    segment_audience,
    send_invitations,
    team_audience,
)
from cxloop.collect.surveys import SurveyDefinition, read_invitation
from cxloop.errors import DataError, NotFoundError, UsageError
from smtp_server import smtp_server

SECRET = "test-secret-key"
BASE = "https://cx.acme.example"
OPTIONS = InvitationOptions(
    secret=SECRET, public_base_url=BASE, mail_from="Acme People <people@acme.example>",
    throttle_days=30, consent="opt-in", token_max_age_days=14, company_name="Acme",
)  # fmt: skip
PULSE = SurveyDefinition.model_validate({
    "id": "team-pulse", "audience": "employees", "languages": ["en", "es"],
    "title": {"en": "Team pulse", "es": "Pulso del equipo"},
    "questions": [{"id": "enps", "type": "enps", "required": True,
                   "text": {"en": "Would you recommend us as a place to work?",
                            "es": "¿Recomendaría trabajar aquí?"}}],
})  # fmt: skip
STAFF = [
    ("E1", "billing", "Ana Ruiz", "ana@acme.example", "es"),
    ("E2", "billing", "Ben Ode", "ben@acme.example", "en"),
    ("E3", "delivery", "Cai Lin", "cai@acme.example", "zh"),
    ("E4", "delivery", "Dee Noaddress", None, "en"),
]


@pytest.fixture
def staff(warehouse):
    warehouse.append_rows("employees", [
        {"employee_id": e, "team_id": t, "name": n, "email": m, "language": lang}
        for e, t, n, m, lang in STAFF
    ])  # fmt: skip
    return warehouse


def _send(warehouse, port: int, audience, survey: SurveyDefinition = PULSE, **kw):
    transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="none", timeout_s=5))
    return send_invitations(warehouse, survey, audience, OPTIONS, transport=transport, now=NOW,
                            **kw)  # fmt: skip


def _events(warehouse) -> list[dict]:
    frame = warehouse.to_pandas(warehouse.table("survey_invitations"))
    return sorted(frame.to_dict("records"), key=lambda r: (str(r["employee_id"]), r["ts"]))


def test_a_team_gets_the_survey_with_links_that_name_the_employee(staff) -> None:
    with smtp_server() as (inbox, port):
        report = _send(staff, port, team_audience("billing"))
    assert report.counts == {"sent": 2}
    assert {o.employee_id for o in report.outcomes} == {"E1", "E2"}
    assert all(o.customer_id is None for o in report.outcomes)
    [message] = inbox.to("ana@acme.example")
    assert message["Subject"] == "Pulso del equipo" and "List-Unsubscribe" not in message
    html = message.get_body(("html",)).get_content()
    assert f"{BASE}/u/" not in html  # the customer opt-out link records customers' consent
    token = parse_qs(urlsplit(html.split('href="')[1].split('"')[0]).query)["t"][0]
    claims = read_invitation(SECRET, token, max_age_s=14 * 86_400)
    assert (claims.respondent, claims.respondent_id, claims.language) == ("employee", "E1", "es")
    events = _events(staff)
    assert [(e["employee_id"], e["status"]) for e in events] == [("E1", "sent"), ("E2", "sent")]
    assert all(e["customer_id"] is None or e["customer_id"] != e["customer_id"] for e in events)
    assert claims.invitation_id == events[0]["invitation_id"]
    assert json.loads(events[0]["details"])["trigger"] == "team:billing"


def test_everyone_with_failures_named_and_no_consent_table_needed(staff) -> None:
    # opt-in consent is about customers: employees are invited without a consents row
    with smtp_server() as (inbox, port):
        report = _send(staff, port, all_employees_audience())
    assert report.counts == {"sent": 3, "failed": 1}
    [failed] = [o for o in report.outcomes if o.status == "failed"]
    assert (failed.employee_id, failed.reason) == ("E4", "no e-mail address")
    assert len(inbox.messages) == 3


def test_the_throttle_counts_employee_invitations_across_surveys(staff, tmp_path: Path) -> None:
    other = PULSE.model_copy(update={"id": "wellbeing"})
    with smtp_server() as (inbox, port):
        _send(staff, port, team_audience("billing"))
        path = tmp_path / "staff.csv"
        path.write_text("employee_id,name\nE1,Ana\nE3,Cai\n", encoding="utf-8")
        report = _send(staff, port, employees_audience(path), survey=other)
        again = _send(staff, port, team_audience("billing"))
    by_id = {o.employee_id: o.status for o in report.outcomes}
    assert by_id == {"E1": "throttled", "E3": "sent"}
    assert again.counts == {"already_invited": 2}
    assert len(inbox.messages) == 3


def test_a_dry_run_writes_and_sends_nothing(staff) -> None:
    report = send_invitations(staff, PULSE, team_audience("delivery"), OPTIONS, dry_run=True)
    assert report.counts == {"pending": 1, "failed": 1}
    assert staff.counts()["survey_invitations"] == 0


def test_survey_and_audience_must_match(staff, tmp_path: Path) -> None:
    customer_survey = PULSE.model_copy(update={"audience": "customers"})
    with pytest.raises(UsageError, match="--team, --employees and --all-employees invite"):
        send_invitations(staff, customer_survey, team_audience("billing"), OPTIONS, dry_run=True)
    with pytest.raises(UsageError, match="is for employees; invite them with --team"):
        send_invitations(staff, PULSE, segment_audience("vip"), OPTIONS, dry_run=True)
    with pytest.raises(NotFoundError, match="--team 'nobody': no employees"):
        send_invitations(staff, PULSE, team_audience("nobody"), OPTIONS, dry_run=True)
    path = tmp_path / "ids.txt"
    path.write_text("E1\nX9\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"ids\.txt: unknown employee ids \(line 2: 'X9'\)"):
        send_invitations(staff, PULSE, employees_audience(path), OPTIONS, dry_run=True)


def test_responses_in_the_window_throttle_too(staff) -> None:
    staff.append_rows("survey_responses", [
        {"response_id": "r1", "survey_id": "old", "employee_id": "E2", "ts": days_ago(3)}
    ])  # fmt: skip
    report = send_invitations(staff, PULSE, team_audience("billing"), OPTIONS, dry_run=True,
                              now=NOW)  # fmt: skip
    assert {o.employee_id: o.status for o in report.outcomes} == {
        "E1": "pending", "E2": "throttled",
    }  # fmt: skip
