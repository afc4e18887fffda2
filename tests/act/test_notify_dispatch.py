"""Notifications of case events: written to the outbox with the event, sent by the dispatcher
to a signed webhook, Slack and SMTP on loopback, retried with backoff, deferred in quiet hours,
never sent twice, and never to a customer without consent."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from act.case_data import DETRACTOR_RULE, NOW, add_company, add_feedback, hours_ago, write_rules
from cxloop.act.case_actions import act_on_case
from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.act.loop import run_loop
from cxloop.act.notify_config import NOTIFICATIONS_FILE, load_notify_config
from cxloop.act.notify_dispatch import delivery_log, dispatch, notification_records, retry_failed
from cxloop.act.notify_outbox import Notifier
from cxloop.act.rules import load_rules
from cxloop.act.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify_signature,
)
from cxloop.config import Settings
from cxloop.storage import Warehouse
from smtp_server import smtp_server
from webhook_receiver import webhook_receiver

SECRET = "whsec-test-0123456789"


def notifier_for(project: Path, text: str, **settings: object) -> Notifier:
    (project / NOTIFICATIONS_FILE).write_text(text, encoding="utf-8")
    config = load_notify_config(
        Settings.load(project, mail_from="cx@acme.example", **settings),
        {"HOOK_SECRET": SECRET, "SLACK_URL": "http://127.0.0.1:9/none"},
    )
    return Notifier(config)


@pytest.fixture
def company(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    add_company(warehouse)
    write_rules(tmp_path, detractor=DETRACTOR_RULE)
    return warehouse


def open_detractor_case(warehouse: Warehouse, project: Path, notifier: Notifier) -> str:
    add_feedback(warehouse, "F1", "C1", hours_ago(5), nps=2, touchpoint="web")
    report = run_loop(warehouse, load_rules(project), now=NOW, notifier=notifier)
    [case] = report.opened
    return case.case_id


def webhook_yaml(url: str) -> str:
    return f"""\
backoff_seconds: 30
max_attempts: 3
channels:
  - id: ops
    type: webhook
    url: {url}
    secret_env: HOOK_SECRET
    events: [opened, escalated]
"""


def test_a_detractor_case_reaches_the_webhook_correctly_signed(company, tmp_path) -> None:
    with webhook_receiver() as receiver:
        notifier = notifier_for(tmp_path, webhook_yaml(receiver.url))
        case_id = open_detractor_case(company, tmp_path, notifier)
        report = dispatch(company, notifier.config, now=NOW)
    assert len(report.sent) == 1 and not report.failed
    [(headers, body)] = receiver.received
    assert verify_signature(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify_signature("wrong", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    payload = json.loads(body)
    assert payload["type"] == "case.opened" and payload["case"]["id"] == case_id
    assert payload["case"]["team_id"] == "web" and payload["case"]["priority"] == "high"
    assert headers[DELIVERY_HEADER] == payload["notification_id"] == report.sent[0]
    # the secret is nowhere in the warehouse
    for table in ("notifications", "webhook_deliveries"):
        frame = company.to_pandas(company.table(table))
        assert SECRET not in frame.to_csv()


def test_two_failures_then_success_are_three_tries_with_doubling_backoff(company, tmp_path) -> None:
    with webhook_receiver(answers=[500, 503]) as receiver:
        notifier = notifier_for(tmp_path, webhook_yaml(receiver.url))
        open_detractor_case(company, tmp_path, notifier)
        config = notifier.config
        first = dispatch(company, config, now=NOW)
        assert len(first.failed) == 1
        assert dispatch(company, config, now=NOW + timedelta(seconds=29)).failed == []
        assert len(dispatch(company, config, now=NOW + timedelta(seconds=30)).failed) == 1
        assert dispatch(company, config, now=NOW + timedelta(seconds=89)).sent == []
        assert len(dispatch(company, config, now=NOW + timedelta(seconds=90)).sent) == 1
        assert dispatch(company, config, now=NOW + timedelta(hours=5)).sent == []  # never twice
    assert len(receiver.received) == 3
    tries = sorted(delivery_log(company), key=lambda t: t.attempt)
    assert [(t.attempt, t.ok, t.status_code) for t in tries] == [
        (1, False, 500), (2, False, 503), (3, True, 200)
    ]  # fmt: skip
    gaps = [(b.ts - a.ts).total_seconds() for a, b in itertools.pairwise(tries)]
    assert gaps == [30.0, 60.0]
    ids = {headers[DELIVERY_HEADER] for headers, _ in receiver.received}
    assert len(ids) == 1  # the same delivery id on every try
    [record] = notification_records(company, config, now=NOW + timedelta(hours=5))
    assert (record.status, record.attempts) == ("sent", 3)


def test_exhausted_tries_fail_and_retry_starts_a_new_round(company, tmp_path) -> None:
    with webhook_receiver(answers=[500, 500, 500]) as receiver:
        notifier = notifier_for(tmp_path, webhook_yaml(receiver.url))
        open_detractor_case(company, tmp_path, notifier)
        config = notifier.config
        for seconds in (0, 30, 90, 1000):
            dispatch(company, config, now=NOW + timedelta(seconds=seconds))
        [record] = notification_records(company, config, now=NOW + timedelta(hours=1))
        assert (record.status, record.attempts, record.last_error) == ("failed", 3, "HTTP 500")
        again = retry_failed(company, config, now=NOW + timedelta(hours=1))
    assert len(again.sent) == 1 and len(receiver.received) == 4
    [latest, *_] = delivery_log(company)
    assert (latest.attempt, latest.round, latest.ok) == (4, 2, True)


def test_a_kill_between_outbox_and_send_loses_nothing(company, tmp_path) -> None:
    with webhook_receiver() as receiver:
        notifier = notifier_for(tmp_path, webhook_yaml(receiver.url))
        open_detractor_case(company, tmp_path, notifier)
        # the process "dies" here: the case and its notification are written, nothing sent
        assert receiver.received == []
        [pending] = notification_records(company, notifier.config, now=NOW)
        assert pending.status == "pending"
        # a rerun of the loop writes nothing twice; a later dispatcher sends it once
        run_loop(company, load_rules(tmp_path), now=NOW, notifier=notifier)
        assert len(notification_records(company, notifier.config, now=NOW)) == 1
        dispatch(company, notifier.config, now=NOW + timedelta(minutes=5))
        dispatch(company, notifier.config, now=NOW + timedelta(minutes=6))
    assert len(receiver.received) == 1


def test_slack_payload_has_text_and_blocks(company, tmp_path) -> None:
    with webhook_receiver() as receiver:
        notifier = notifier_for(
            tmp_path,
            "channels:\n  - id: team-slack\n    type: slack\n    url_env: SLACK_URL\n",
        )
        config = notifier.config
        config.slack_urls["team-slack"] = receiver.url
        open_detractor_case(company, tmp_path, notifier)
        dispatch(company, config, now=NOW)
    [(headers, body)] = receiver.received
    payload = json.loads(body)
    assert set(payload) == {"text", "blocks"}
    assert payload["text"].startswith("Case opened: Follow up with a detractor")
    kinds = [block["type"] for block in payload["blocks"]]
    assert kinds[0] == "section" and kinds[-1] == "context"
    assert all(f["type"] == "mrkdwn" for f in payload["blocks"][1]["fields"])
    assert SIGNATURE_HEADER not in headers
    [tried] = delivery_log(company)
    assert tried.ok and tried.channel_id == "team-slack"
    assert receiver.url not in company.to_pandas(company.table("webhook_deliveries")).to_csv()


EMAIL_YAML = """\
channels:
  - id: leads
    type: email
    to: [lead]
    events: [escalated]
"""


def test_an_escalation_mails_the_team_lead_over_smtp(company, tmp_path) -> None:
    notifier = notifier_for(tmp_path, EMAIL_YAML)
    case_id = open_detractor_case(company, tmp_path, notifier)
    later = NOW + timedelta(hours=49)  # past the 48-hour SLA
    report = run_loop(company, load_rules(tmp_path), now=later, notifier=notifier)
    assert report.escalated == [case_id]
    with smtp_server() as (inbox, port):
        transport = lambda: SmtpTransport(SmtpConfig("127.0.0.1", port, security="none"))  # noqa: E731
        sent = dispatch(company, notifier.config, transport=transport, now=later)
    assert len(sent.sent) == 1
    [mail] = inbox.to("wendy@acme.example")
    assert "escalated" in mail["Subject"] and case_id in mail.get_content()
    assert mail["Message-ID"].startswith(f"<{sent.sent[0]}@")


def test_quiet_hours_defer_and_later_deliver(company, tmp_path) -> None:
    # NOW is 12:00 UTC = 21:00 in Tokyo: inside the web team's quiet hours until 08:00 there
    text = (
        EMAIL_YAML.replace("to: [lead]", "to: [lead, assignee]").replace(
            "events: [escalated]", "events: [assigned]"
        )
        + "teams:\n  web: {start: '21:00', end: '08:00', timezone: Asia/Tokyo}\n"
    )
    notifier = notifier_for(tmp_path, text)
    case_id = open_detractor_case(company, tmp_path, notifier)
    act_on_case(company, case_id, "assigned", "user:wendy@acme.example",
                assignee="ann@acme.example", now=NOW, notifier=notifier)  # fmt: skip
    release = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 08:00 on Dec 1 in Tokyo
    records = notification_records(company, notifier.config, now=NOW)
    assert {r.recipient for r in records} == {"wendy@acme.example", "ann@acme.example"}
    assert {(r.status, r.next_try_at) for r in records} == {("deferred", release)}
    with smtp_server() as (inbox, port):
        transport = lambda: SmtpTransport(SmtpConfig("127.0.0.1", port, security="none"))  # noqa: E731
        early = dispatch(
            company, notifier.config, transport=transport, now=release - timedelta(minutes=1)
        )
        assert early.sent == [] and early.waiting == 2 and inbox.messages == []
        late = dispatch(company, notifier.config, transport=transport, now=release)
    assert len(late.sent) == 2 and len(inbox.messages) == 2


def test_urgent_cases_override_quiet_hours(company, tmp_path) -> None:
    (tmp_path / "rules" / "detractor.yaml").write_text(
        DETRACTOR_RULE.replace("priority: high", "priority: urgent"), encoding="utf-8"
    )
    text = EMAIL_YAML.replace("escalated]", "opened]") + (
        "quiet_hours: {start: '00:00', end: '23:59'}\n"
    )
    notifier = notifier_for(tmp_path, text)
    open_detractor_case(company, tmp_path, notifier)
    [record] = notification_records(company, notifier.config, now=NOW)
    assert record.status == "pending"


def consent(warehouse: Warehouse, customer_id: str, granted: bool) -> None:
    warehouse.append_rows(
        "consents",
        [{"consent_event_id": f"k-{customer_id}-{granted}", "customer_id": customer_id,
          "channel": "email", "purpose": "cases", "granted": granted, "ts": hours_ago(100),
          "source": "test"}],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "answer", "mailed"),
    [("opt-in", None, False), ("opt-in", True, True), ("opt-out", None, True),
     ("opt-out", False, False), ("opt-in", False, False)],
)  # fmt: skip
def test_the_customer_acknowledgement_respects_consent(
    company, tmp_path, mode, answer, mailed
) -> None:
    if answer is not None:
        consent(company, "C1", answer)
    notifier = notifier_for(
        tmp_path, "", case_acknowledgement_email=True, case_acknowledgement_consent=mode
    )
    open_detractor_case(company, tmp_path, notifier)
    with smtp_server() as (inbox, port):
        transport = lambda: SmtpTransport(SmtpConfig("127.0.0.1", port, security="none"))  # noqa: E731
        dispatch(company, notifier.config, transport=transport, now=NOW)
    assert [m["To"] for m in inbox.messages] == (["ann@example.com"] if mailed else [])
    if mailed:
        assert inbox.messages[0]["Subject"].startswith("We are on it")


def test_the_acknowledgement_is_off_by_default(company, tmp_path) -> None:
    consent(company, "C1", True)
    notifier = notifier_for(tmp_path, "")
    open_detractor_case(company, tmp_path, notifier)
    assert company.counts()["notifications"] == 0


def test_channel_filters_on_events_priorities_and_teams(company, tmp_path) -> None:
    text = """\
channels:
  - id: urgent-only
    type: email
    to: [ops@acme.example]
    priorities: [urgent]
  - id: billing-only
    type: email
    to: [ops@acme.example]
    teams: [billing]
  - id: web-opened
    type: email
    to: [team, ops@acme.example]
    events: [opened]
    teams: [web]
"""
    notifier = notifier_for(tmp_path, text)
    open_detractor_case(company, tmp_path, notifier)
    records = notification_records(company, notifier.config, now=NOW)
    assert sorted((r.channel_id, r.recipient) for r in records) == [
        ("web-opened", "ops@acme.example"), ("web-opened", "wendy@acme.example")
    ]  # fmt: skip


def test_after_reassignment_the_new_teams_lead_gets_the_escalation(company, tmp_path) -> None:
    notifier = notifier_for(tmp_path, EMAIL_YAML)
    case_id = open_detractor_case(company, tmp_path, notifier)
    act_on_case(company, case_id, "reassigned", "user:wendy@x", team="billing",
                note="A double charge", now=NOW + timedelta(minutes=1))  # fmt: skip
    later = NOW + timedelta(hours=49)
    assert run_loop(company, [], now=later, notifier=notifier).escalated == [case_id]
    notes = company.to_pyarrow(company.table("notifications")).to_pylist()
    escalations = [n for n in notes if n["event_kind"] == "escalated"]
    assert {n["team_id"] for n in escalations} == {"billing"}
    assert {n["recipient"] for n in escalations} == {"bill@acme.example"}
