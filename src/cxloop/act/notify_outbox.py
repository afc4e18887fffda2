"""The outbox: the notifications a batch of case events causes, written in the same
transaction as the events.

Each notification is one message to one recipient on one channel; its id is a hash of (case
event, channel, recipient), so writing the same events again writes nothing twice, and the
dispatcher (:mod:`cxloop.act.notify_dispatch`) sends what is written even after a crash.

Who gets what (see docs/notifications.md): a channel takes the events it lists, for the
priorities and teams it lists; an e-mail channel's ``team`` is the owning team's members,
``lead`` its manager, ``assignee`` the person the case is assigned to (an escalation is
assigned to the lead, so ``assignee`` reaches the lead on ``escalated``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import ibis
import pandas as pd

from cxloop.act.invitations.eligibility import email_consent_expr
from cxloop.act.notify_config import NotifyConfig
from cxloop.act.notify_messages import (
    CaseFacts,
    customer_acknowledgement,
    slack_body,
    staff_email_text,
    staff_subject,
    webhook_body,
)
from cxloop.act.quiet_hours import quiet_hours_for, release_time
from cxloop.act.routing import team_leads
from cxloop.domain.case import CaseEvent
from cxloop.domain.notification import ASSIGNEE, LEAD, NOTIFY_EVENTS, TEAM, EmailChannel
from cxloop.storage import Warehouse

#: the channel id of acknowledgement e-mails to customers
CUSTOMER_CHANNEL = "customer"
#: the consent purpose of messages about a customer's case
CASE_PURPOSE = "cases"


def notification_id_for(case_event_id: str, channel_id: str, recipient: str) -> str:
    """The idempotency key of one notification (stable across runs)."""
    digest = hashlib.sha1(f"{case_event_id}\x00{channel_id}\x00{recipient}".encode()).hexdigest()
    return f"ntf_{digest[:24]}"


@dataclass(frozen=True)
class Notifier:
    """Writes the notifications of case events into the outbox (``notifications``)."""

    config: NotifyConfig

    def enqueue(self, warehouse: Warehouse, events: list[CaseEvent]) -> int:
        """Write the notifications ``events`` cause; return how many were new. Joins the
        caller's transaction, so the events and their notifications are written together."""
        events = [e for e in events if e.kind in NOTIFY_EVENTS]
        if not events or not self.config.active:
            return 0
        with warehouse.transaction():
            rows = _plan(warehouse, self.config, events)
            if not rows:
                return 0
            return warehouse.append_rows("notifications", rows).inserted


def _plan(
    warehouse: Warehouse, config: NotifyConfig, events: list[CaseEvent]
) -> list[dict[str, Any]]:
    case_ids = sorted({e.case_id for e in events})
    cases = _cases(warehouse, case_ids)
    assignees = _assignees(warehouse, case_ids)
    channels = [c for c in config.file.channels if c.enabled]
    wants_people = any(isinstance(c, EmailChannel) for c in channels)
    teams = {str(c["team_id"]) for c in cases.values() if c.get("team_id")}
    members = _members(warehouse, sorted(teams)) if wants_people and teams else {}
    leads = team_leads(warehouse) if wants_people else {}
    contacts = (
        _customer_contacts(warehouse, config, [str(c["customer_id"]) for c in cases.values()])
        if config.acknowledge_customers and any(e.kind == "opened" for e in events)
        else {}
    )
    rows: list[dict[str, Any]] = []
    for event in events:
        case = cases.get(event.case_id)
        if case is None:
            continue
        facts = _facts(case, event, assignees.get(event.case_id, []))
        for channel in channels:
            if event.kind not in channel.events:
                continue
            if channel.priorities is not None and facts.priority not in channel.priorities:
                continue
            if channel.teams is not None and facts.team_id not in channel.teams:
                continue
            if isinstance(channel, EmailChannel):
                subject = staff_subject(facts, config.company_name)
                text = staff_email_text(facts, config.base_url)
                for address in _people(channel.to, facts, members, leads):
                    rows.append(_row(config, facts, channel.id, "email", address, subject, text))
            elif channel.type == "webhook":
                nid = notification_id_for(event.case_event_id, channel.id, channel.url)
                body = webhook_body(facts, nid, config.base_url)
                rows.append(_row(config, facts, channel.id, "webhook", channel.url, None, body))
            else:  # the Slack URL is a secret: the outbox names the channel instead
                body = slack_body(facts, config.base_url)
                where = f"slack:{channel.id}"
                rows.append(_row(config, facts, channel.id, "slack", where, None, body))
        if event.kind == "opened" and facts.customer_id in contacts:
            email, language, name = contacts[facts.customer_id]
            subject, text = customer_acknowledgement(language, name, config.company_name)
            rows.append(_row(config, facts, CUSTOMER_CHANNEL, "email", email, subject, text))
    return rows


def _row(
    config: NotifyConfig, facts: CaseFacts, channel_id: str, channel_type: str,
    recipient: str, subject: str | None, body: str,
) -> dict[str, Any]:  # fmt: skip
    file = config.file
    # webhooks are read by machines: no quiet hours; people and team channels have them
    quiet = (
        None
        if channel_type == "webhook"
        else quiet_hours_for(
            recipient if channel_type == "email" else None,
            None if channel_id == CUSTOMER_CHANNEL else facts.team_id,
            default=file.quiet_hours,
            teams=file.teams,
            recipients=file.recipients,
        )
    )
    created = facts.event_ts.astimezone(UTC)
    return {
        "notification_id": notification_id_for(facts.event_id, channel_id, recipient),
        "created_at": created,
        "case_id": facts.case_id,
        "case_event_id": facts.event_id,
        "event_kind": facts.event_kind,
        "channel_id": channel_id,
        "channel_type": channel_type,
        "recipient": recipient,
        "team_id": facts.team_id,
        "priority": facts.priority,
        "subject": subject,
        "body": body,
        "not_before": release_time(created, quiet, config.timezone, facts.priority),
    }


def _people(
    wanted: list[str], facts: CaseFacts, members: dict[str, list[str]], leads: dict[str, str]
) -> list[str]:
    """The addresses an e-mail channel's ``to`` names for this case, each once, in order."""
    out: dict[str, str] = {}
    for item in wanted:
        if item == TEAM:
            found = members.get(facts.team_id or "", [])
        elif item == LEAD:
            found = [leads[facts.team_id]] if facts.team_id in leads else []
        elif item == ASSIGNEE:
            found = [facts.assignee] if facts.assignee and "@" in facts.assignee else []
        else:
            found = [item]
        for address in found:
            out.setdefault(address.strip().lower(), address.strip())
    return list(out.values())


def _facts(
    case: dict[str, Any], event: CaseEvent, history: list[tuple[datetime, str]]
) -> CaseFacts:
    assignee = event.assignee
    if assignee is None:
        earlier = [who for ts, who in history if ts <= event.ts]
        assignee = earlier[-1] if earlier else None
    due = case.get("due_at")
    return CaseFacts(
        case_id=event.case_id,
        title=str(case.get("title") or event.case_id),
        priority=str(case.get("priority") or "normal"),
        team_id=case.get("team_id"),
        customer_id=case.get("customer_id"),
        topic=case.get("topic"),
        rule_id=case.get("rule_id"),
        status=event.status,
        assignee=assignee,
        due_at=due if isinstance(due, datetime) else None,
        event_id=event.case_event_id,
        event_kind=event.kind,
        event_ts=event.ts,
        actor=event.actor,
        note=event.note,
    )


def _cases(warehouse: Warehouse, case_ids: list[str]) -> dict[str, dict[str, Any]]:
    t = warehouse.table("cases")
    rows = warehouse.to_pyarrow(
        t.filter(t.case_id.isin(case_ids)).select(
            "case_id", "customer_id", "team_id", "title", "priority", "due_at", "topic", "rule_id"
        )
    ).to_pylist()
    # a reassigned case belongs to the team its latest ``reassigned`` event names: that team
    # (its members and lead) is notified from then on, as it owns the case's SLA
    ev = warehouse.table("case_events")
    handed = warehouse.to_pyarrow(
        ev.filter(ev.case_id.isin(case_ids), ev.kind == "reassigned", ev.team_id.notnull())
        .order_by(["ts", "case_event_id"])
        .select("case_id", "team_id")
    ).to_pylist()
    current = {row["case_id"]: row["team_id"] for row in handed}
    return {row["case_id"]: {**row, "team_id": current.get(row["case_id"], row["team_id"])}
            for row in rows}  # fmt: skip


def _assignees(warehouse: Warehouse, case_ids: list[str]) -> dict[str, list[tuple[datetime, str]]]:
    """Each case's assignments, oldest first (the assignee at a time is the latest one)."""
    t = warehouse.table("case_events")
    rows = warehouse.to_pyarrow(
        t.filter(t.case_id.isin(case_ids), t.assignee.notnull())
        .select("case_id", "ts", "assignee", "case_event_id")
        .order_by(["ts", "case_event_id"])
    ).to_pylist()
    out: dict[str, list[tuple[datetime, str]]] = {}
    for row in rows:
        out.setdefault(row["case_id"], []).append((row["ts"], row["assignee"]))
    return out


def _members(warehouse: Warehouse, team_ids: list[str]) -> dict[str, list[str]]:
    staff = warehouse.table("employees")
    rows = warehouse.to_pyarrow(
        staff.filter(staff.team_id.isin(team_ids), staff.email.notnull())
        .select("team_id", "email")
        .order_by(["team_id", "email"])
    ).to_pylist()
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row["team_id"], []).append(row["email"])
    return out


def _customer_contacts(
    warehouse: Warehouse, config: NotifyConfig, customer_ids: list[str]
) -> dict[str, tuple[str, str | None, str | None]]:
    """customer id → (e-mail, language, name) of those the acknowledgement may go to: an
    e-mail address, and consent for e-mail about their cases as the setting asks (a refusal
    always wins; opt-in also needs a grant), read as survey invitations read it."""
    if not customer_ids:
        return {}
    wanted = ibis.memtable(pd.DataFrame({"customer_id": sorted(set(customer_ids))}))
    consent = warehouse.to_pandas(
        email_consent_expr(warehouse.table("consents"), wanted, purpose=CASE_PURPOSE)
    )
    granted = {r.customer_id: bool(r.granted) for r in consent.itertuples(index=False)}
    customers = warehouse.table("customers")
    rows = warehouse.to_pyarrow(
        customers.filter(customers.customer_id.isin(sorted(set(customer_ids)))).select(
            "customer_id",
            "email",
            "language",
            name=ibis.coalesce(customers.first_name, customers.name),
        )
    ).to_pylist()
    out = {}
    for row in rows:
        answer = granted.get(row["customer_id"])
        allowed = answer is True or (answer is None and config.customer_consent == "opt-out")
        if allowed and row["email"] and "@" in row["email"]:
            out[row["customer_id"]] = (row["email"], row["language"], row["name"])
    return out
