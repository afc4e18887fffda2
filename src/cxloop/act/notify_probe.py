"""A test message through one channel (``cxloop notify test CHANNEL``): written to the outbox
like any notification, sent at once (quiet hours do not apply), its try in the delivery log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from cxloop.act.notify_config import NotifyConfig
from cxloop.act.notify_dispatch import DispatchReport, TransportFactory, send_now
from cxloop.act.notify_messages import (
    CaseFacts,
    slack_body,
    staff_email_text,
    staff_subject,
    webhook_body,
)
from cxloop.act.notify_outbox import notification_id_for
from cxloop.act.webhooks import Poster, post_json
from cxloop.domain.notification import ROLE_RECIPIENTS, EmailChannel
from cxloop.errors import UsageError
from cxloop.storage import Warehouse

TEST_ACTOR = "system:notify-test"


def send_test_message(
    warehouse: Warehouse,
    config: NotifyConfig,
    channel_id: str,
    *,
    to: list[str] | None = None,
    transport: TransportFactory | None = None,
    post: Poster = post_json,
    now: datetime | None = None,
) -> DispatchReport:
    """Send a test message through ``channel_id``; an e-mail channel's is sent to ``to``, or
    to the plain addresses it lists (``team``, ``lead`` and ``assignee`` need a case).

    Raises
    ------
    ConfigError
        No such channel. :class:`UsageError`: an e-mail channel with nobody to write to.
    """
    channel = config.channel(channel_id)
    now = now or datetime.now(UTC)
    event_id = f"test_{uuid.uuid4().hex[:16]}"
    facts = CaseFacts(
        case_id="case_test", title="Test message from cxloop", priority="normal",
        team_id=None, customer_id=None, topic=None, rule_id=None, status="open",
        assignee=None, due_at=None, event_id=event_id, event_kind="test", event_ts=now,
        actor=TEST_ACTOR, note=f"A test of the notification channel {channel_id!r}.",
    )  # fmt: skip
    rows = []
    base = {
        "created_at": now, "case_id": None, "case_event_id": event_id, "event_kind": "test",
        "channel_id": channel.id, "team_id": None, "priority": "normal", "not_before": now,
    }  # fmt: skip
    if isinstance(channel, EmailChannel):
        addresses = to or [a for a in channel.to if a not in ROLE_RECIPIENTS]
        if not addresses:
            raise UsageError(
                f"channel {channel_id!r} writes to {', '.join(channel.to)}, which need a case: "
                "name an address with --to"
            )
        subject = staff_subject(facts, config.company_name)
        text = staff_email_text(facts, config.base_url)
        for address in addresses:
            rows.append(
                base | {"notification_id": notification_id_for(event_id, channel.id, address),
                        "channel_type": "email", "recipient": address, "subject": subject,
                        "body": text}
            )  # fmt: skip
    else:
        recipient = channel.url if channel.type == "webhook" else f"slack:{channel.id}"
        nid = notification_id_for(event_id, channel.id, recipient)
        body = (
            webhook_body(facts, nid, config.base_url)
            if channel.type == "webhook"
            else slack_body(facts, config.base_url)
        )
        rows.append(
            base | {"notification_id": nid, "channel_type": channel.type,
                    "recipient": recipient, "subject": None, "body": body}
        )  # fmt: skip
    warehouse.append_rows("notifications", rows)
    return send_now(
        warehouse, config, [r["notification_id"] for r in rows],
        transport=transport, post=post, now=now,
    )  # fmt: skip
