"""What a notification says: the e-mail to staff, the signed webhook's JSON, the Slack payload,
and the acknowledgement e-mail to a customer (en, es, zh).

Messages are built when the notification is written to the outbox and stored with it, so a
retry sends exactly the same bytes. Staff messages carry no feedback text (it may hold
personal data); they name the case, link to it, and say what happened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

#: the version of the webhook body's shape (``schema`` in the JSON)
WEBHOOK_SCHEMA = "cxloop.notification.v1"

_VERBS = {
    "opened": "opened",
    "escalated": "escalated (SLA breached)",
    "assigned": "assigned",
    "resolved": "resolved",
    "reopened": "reopened",
    "test": "test message",
}


@dataclass(frozen=True)
class CaseFacts:
    """A case as a notification describes it, after the event that caused it."""

    case_id: str
    title: str
    priority: str
    team_id: str | None
    customer_id: str | None
    topic: str | None
    rule_id: str | None
    status: str
    assignee: str | None
    due_at: datetime | None
    event_id: str
    event_kind: str
    event_ts: datetime
    actor: str
    note: str | None


def case_url(base_url: str | None, case_id: str) -> str | None:
    """The case page's address, when the server's public address is known."""
    return f"{base_url.rstrip('/')}/cases/{case_id}" if base_url else None


def staff_subject(facts: CaseFacts, company: str) -> str:
    verb = _VERBS.get(facts.event_kind, facts.event_kind)
    return f"[{company}] Case {verb}: {facts.title} ({facts.priority})"


def staff_email_text(facts: CaseFacts, base_url: str | None) -> str:
    """The plain-text body of an e-mail to staff."""
    lines = [
        f"Case {facts.case_id} was {_VERBS.get(facts.event_kind, facts.event_kind)}.",
        "",
        f"Title:    {facts.title}",
        f"Priority: {facts.priority}",
        f"Team:     {facts.team_id or '-'}",
        f"Status:   {facts.status}",
        f"Assignee: {facts.assignee or '-'}",
        f"Due:      {facts.due_at:%Y-%m-%d %H:%M} UTC" if facts.due_at else "Due:      -",
        f"By:       {facts.actor} at {facts.event_ts:%Y-%m-%d %H:%M} UTC",
    ]
    if facts.note:
        lines += ["", f"Note: {facts.note}"]
    url = case_url(base_url, facts.case_id)
    if url:
        lines += ["", f"Open the case: {url}"]
    return "\n".join(lines) + "\n"


def webhook_body(facts: CaseFacts, notification_id: str, base_url: str | None) -> str:
    """The JSON a signed webhook carries (compact, keys sorted)."""
    body = {
        "schema": WEBHOOK_SCHEMA,
        "type": f"case.{facts.event_kind}",
        "notification_id": notification_id,
        "event": {
            "id": facts.event_id,
            "kind": facts.event_kind,
            "ts": facts.event_ts.isoformat(),
            "actor": facts.actor,
            "note": facts.note,
        },
        "case": {
            "id": facts.case_id,
            "title": facts.title,
            "priority": facts.priority,
            "status": facts.status,
            "team_id": facts.team_id,
            "assignee": facts.assignee,
            "customer_id": facts.customer_id,
            "topic": facts.topic,
            "rule_id": facts.rule_id,
            "due_at": facts.due_at.isoformat() if facts.due_at else None,
            "url": case_url(base_url, facts.case_id),
        },
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def _mrkdwn(text: str) -> str:
    """Text made safe for Slack mrkdwn (``&``, ``<`` and ``>`` escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_body(facts: CaseFacts, base_url: str | None) -> str:
    """A Slack incoming-webhook payload: ``text`` (the fallback) and ``blocks``."""
    verb = _VERBS.get(facts.event_kind, facts.event_kind)
    text = f"Case {verb}: {facts.title} ({facts.priority}, team {facts.team_id or '-'})"
    url = case_url(base_url, facts.case_id)
    title = _mrkdwn(facts.title)
    headline = f"*<{url}|{title}>*" if url else f"*{title}*"
    fields = [
        f"*Priority:* {_mrkdwn(facts.priority)}",
        f"*Team:* {_mrkdwn(facts.team_id or '-')}",
        f"*Status:* {_mrkdwn(facts.status)}",
        f"*Assignee:* {_mrkdwn(facts.assignee or '-')}",
    ]
    blocks: list[dict[str, object]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"Case {verb}: {headline}"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    if facts.note:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn(facts.note)}})
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"{_mrkdwn(facts.case_id)} · {_mrkdwn(facts.actor)} · "
                    f"{facts.event_ts:%Y-%m-%d %H:%M} UTC",
                }
            ],
        }
    )
    return json.dumps({"text": text, "blocks": blocks}, separators=(",", ":"))


_ACKNOWLEDGEMENTS = {
    "en": (
        "We are on it",
        "Hello {name},\n\nthank you for your feedback. We have opened a case and a member of "
        "our team will get back to you.\n\n{company}\n",
    ),
    "es": (
        "Estamos en ello",
        "Hola {name}:\n\ngracias por tu opinión. Hemos abierto un caso y una persona de "
        "nuestro equipo se pondrá en contacto contigo.\n\n{company}\n",
    ),
    "zh": (
        "我们正在处理",
        "{name}，您好：\n\n感谢您的反馈。我们已创建工单，团队成员会尽快与您联系。\n\n{company}\n",
    ),
}
_ANONYMOUS = {"en": "there", "es": "", "zh": ""}


def customer_acknowledgement(
    language: str | None, name: str | None, company: str
) -> tuple[str, str]:
    """Subject and body of the "we are on it" e-mail in the customer's language (English
    when it is not one of en, es, zh)."""
    lang = (language or "en").split("-")[0].lower()
    if lang not in _ACKNOWLEDGEMENTS:
        lang = "en"
    subject, body = _ACKNOWLEDGEMENTS[lang]
    greeted = (name or "").strip() or _ANONYMOUS[lang]
    text = body.format(name=greeted, company=company)
    if not greeted and lang == "es":
        text = text.replace("Hola :", "Hola:")
    if not greeted and lang == "zh":
        text = text.replace("，您好", "您好")
    return f"{subject} · {company}", text
