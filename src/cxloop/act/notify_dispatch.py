"""The dispatcher: sends the outbox's due notifications, one try each per pass, and records
every try in ``webhook_deliveries`` (e-mail tries too: ``channel`` says which kind).

A notification's state is derived from its tries, so nothing is ever updated in place:

- ``sent`` once a try succeeded (it is never sent again);
- ``deferred`` while its ``not_before`` (the end of quiet hours) is ahead;
- ``pending`` when due and never tried; ``retrying`` after a failed try, due again
  ``backoff_seconds`` later, then twice as long after each further failure;
- ``failed`` after ``max_attempts`` failed tries in its round; ``cxloop notify retry``
  starts a new round (one try now, then the same backoff).

A process killed before a try is recorded may send that message again on the next pass
(at-least-once): webhooks carry the notification id in ``X-Cxloop-Delivery`` and e-mails in
their Message-ID, the same on every try, so receivers can drop a repeat.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pandas as pd
import pyarrow as pa

from cxloop.act.email_sender import MailError, MailTransport, sender_domain
from cxloop.act.notify_config import NotifyConfig
from cxloop.act.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Poster,
    post_json,
    signature,
)
from cxloop.domain.notification import (
    DeliveryTry,
    NotificationRecord,
    NotificationStatus,
    WebhookChannel,
)
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema

#: ``webhook_deliveries.target`` of notification tries starts with this
TARGET_PREFIX = "notify:"
#: notifications one pass sends at most (the rest wait for the next pass)
PASS_LIMIT = 200
_LOCK = threading.Lock()
_LOG_COLUMNS = [
    "delivery_id", "target", "event_id", "url", "ts", "attempt", "status_code", "ok", "error",
    "body_sha256", "channel", "round",
]  # fmt: skip
_NOTIFICATION_COLUMNS = [
    "notification_id", "created_at", "case_id", "event_kind", "channel_id", "channel_type",
    "recipient", "subject", "not_before",
]  # fmt: skip

TransportFactory = Callable[[], MailTransport]


@dataclass
class DispatchReport:
    """What a pass did: notifications sent, tries that failed, notifications not yet due."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    waiting: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"sent": len(self.sent), "failed_tries": len(self.failed), "waiting": self.waiting}


@dataclass(frozen=True)
class _Tries:
    attempts: int = 0
    round: int = 1
    in_round: int = 0
    last_ts: datetime | None = None
    last_error: str | None = None
    sent: bool = False


def _tries(warehouse: Warehouse, ids: list[str] | None) -> dict[str, _Tries]:
    log = warehouse.table("webhook_deliveries")
    log = log.filter(log.target.startswith(TARGET_PREFIX))
    if ids is not None:
        log = log.filter(log.event_id.isin(ids))
    rows = warehouse.to_pandas(
        log.select("event_id", "ts", "attempt", "ok", "error", "round").order_by(
            ["event_id", "attempt"]
        )
    )
    out: dict[str, _Tries] = {}
    for nid, group in rows.groupby("event_id", sort=False):
        rounds = group["round"].fillna(1).astype(int)
        latest = int(rounds.max())
        last = group.iloc[-1]
        out[str(nid)] = _Tries(
            attempts=len(group),
            round=latest,
            in_round=int((rounds == latest).sum()),
            last_ts=pd.Timestamp(last.ts).to_pydatetime(),
            last_error=None if pd.isna(last.error) else str(last.error),
            sent=bool(group.ok.fillna(False).any()),
        )
    return out


def _state(
    row: dict[str, Any], tries: _Tries, config: NotifyConfig, now: datetime
) -> tuple[NotificationStatus, datetime | None]:
    """The status of a notification and when it is due next (None: never again)."""
    file = config.file
    if tries.sent:
        return "sent", None
    if tries.in_round == 0:
        due = row["not_before"]
        return ("deferred" if due > now else "pending"), due
    if tries.in_round >= file.max_attempts:
        return "failed", None
    assert tries.last_ts is not None
    wait = file.backoff_seconds * 2 ** (tries.in_round - 1)
    return "retrying", tries.last_ts + timedelta(seconds=wait)


def notification_records(
    warehouse: Warehouse,
    config: NotifyConfig,
    *,
    status: str | None = None,
    limit: int = 100,
    now: datetime | None = None,
) -> list[NotificationRecord]:
    """The newest notifications with how each stands, optionally of one ``status``."""
    now = now or datetime.now(UTC)
    t = warehouse.table("notifications")
    newest = t.select(*_NOTIFICATION_COLUMNS).order_by(
        [t.created_at.desc(), t.notification_id.desc()]
    )
    if status is None:  # only the page asked for is read; a status needs them all
        newest = newest.limit(limit)
    rows = warehouse.to_pyarrow(newest).to_pylist()
    ids = [r["notification_id"] for r in rows] if status is None else None
    tries = _tries(warehouse, ids) if rows else {}
    out: list[NotificationRecord] = []
    for row in rows:
        got = tries.get(row["notification_id"], _Tries())
        state, due = _state(row, got, config, now)
        if status is not None and state != status:
            continue
        out.append(
            NotificationRecord(
                **row,
                status=state,
                attempts=got.attempts,
                last_try_at=got.last_ts,  # type: ignore[arg-type]
                last_error=got.last_error,
                next_try_at=due,
            )
        )
        if len(out) >= limit:
            break
    return out


def delivery_log(
    warehouse: Warehouse,
    *,
    failed_only: bool = False,
    notification_ids: list[str] | None = None,
    limit: int = 100,
) -> list[DeliveryTry]:
    """The newest tries of notifications (``webhook_deliveries``), newest first."""
    log = warehouse.table("webhook_deliveries")
    log = log.filter(log.target.startswith(TARGET_PREFIX))
    if notification_ids is not None:
        log = log.filter(log.event_id.isin(notification_ids))
    if failed_only:
        log = log.filter(~log.ok)
    rows = warehouse.to_pyarrow(
        log.order_by([log.ts.desc(), log.delivery_id.desc()]).limit(limit)
    ).to_pylist()
    return [
        DeliveryTry(
            delivery_id=r["delivery_id"],
            notification_id=r["event_id"],
            channel_id=r["target"][len(TARGET_PREFIX) :],
            recipient=r["url"].removeprefix("mailto:"),
            ts=r["ts"],
            attempt=r["attempt"],
            round=r["round"] or 1,
            ok=bool(r["ok"]),
            status_code=r["status_code"],
            error=r["error"],
        )
        for r in rows
    ]


def dispatch(
    warehouse: Warehouse,
    config: NotifyConfig,
    *,
    transport: TransportFactory | None = None,
    post: Poster = post_json,
    now: datetime | None = None,
    limit: int = PASS_LIMIT,
) -> DispatchReport:
    """One pass: try each due notification once, record each try.

    Parameters
    ----------
    transport
        Makes the SMTP connection for e-mail (None: e-mail tries fail with the reason).
    post
        Sends an HTTP POST (tests hand in their own).
    now
        The pass's time: which notifications are due, and the time recorded for each try.
    """
    with _LOCK:
        now = now or datetime.now(UTC)
        due = _due(warehouse, config, now)
        report = DispatchReport(waiting=due.waiting)
        _send_all(warehouse, config, due.rows, transport, post, now, report, limit)
        return report


def send_now(
    warehouse: Warehouse,
    config: NotifyConfig,
    ids: list[str],
    *,
    transport: TransportFactory | None = None,
    post: Poster = post_json,
    now: datetime | None = None,
) -> DispatchReport:
    """Try these notifications once now, whether due or not (``cxloop notify test``)."""
    with _LOCK:
        now = now or datetime.now(UTC)
        rows = _rows(warehouse, ids)
        tries = _tries(warehouse, ids)
        for row in rows:
            row["_tries"] = tries.get(row["notification_id"], _Tries())
        report = DispatchReport()
        _send_all(warehouse, config, rows, transport, post, now, report, len(rows))
        return report


def retry_failed(
    warehouse: Warehouse,
    config: NotifyConfig,
    *,
    transport: TransportFactory | None = None,
    post: Poster = post_json,
    now: datetime | None = None,
) -> DispatchReport:
    """Try every ``failed`` notification once more now, in a new round of tries."""
    with _LOCK:
        now = now or datetime.now(UTC)
        failed = notification_records(warehouse, config, status="failed", limit=10_000, now=now)
        ids = [r.notification_id for r in failed]
        rows = _rows(warehouse, ids)
        tries = _tries(warehouse, ids)
        for row in rows:
            row["_tries"] = tries[row["notification_id"]]
            row["_new_round"] = True
        report = DispatchReport()
        _send_all(warehouse, config, rows, transport, post, now, report, len(rows))
        return report


@dataclass(frozen=True)
class _Due:
    rows: list[dict[str, Any]]
    waiting: int


def _rows(warehouse: Warehouse, ids: list[str] | None) -> list[dict[str, Any]]:
    t = warehouse.table("notifications")
    if ids is not None:
        t = t.filter(t.notification_id.isin(ids))
    return warehouse.to_pyarrow(t.order_by(["not_before", "notification_id"])).to_pylist()


def _due(warehouse: Warehouse, config: NotifyConfig, now: datetime) -> _Due:
    t = warehouse.table("notifications")
    log = warehouse.table("webhook_deliveries")
    done = log.filter(log.target.startswith(TARGET_PREFIX), log.ok).select(done_id=log.event_id)
    open_ = t.anti_join(done, t.notification_id == done.done_id)
    rows = warehouse.to_pyarrow(open_.order_by(["not_before", "notification_id"])).to_pylist()
    tries = _tries(warehouse, [r["notification_id"] for r in rows]) if rows else {}
    due, waiting = [], 0
    for row in rows:
        got = tries.get(row["notification_id"], _Tries())
        state, when = _state(row, got, config, now)
        if state in ("pending", "retrying") and when is not None and when <= now:
            row["_tries"] = got
            due.append(row)
        elif state != "failed":
            waiting += 1
    return _Due(due, waiting)


def _send_all(
    warehouse: Warehouse, config: NotifyConfig, rows: list[dict[str, Any]],
    transport: TransportFactory | None, post: Poster, now: datetime,
    report: DispatchReport, limit: int,
) -> None:  # fmt: skip
    mail: MailTransport | None = None
    mail_error: str | None = None
    try:
        for row in rows[:limit]:
            if row["channel_type"] == "email" and mail is None and mail_error is None:
                try:
                    if transport is None:
                        raise ValueError("no SMTP server: set smtp_host")
                    mail = transport()
                except Exception as exc:  # a settings mistake: every e-mail try says so
                    mail_error = getattr(exc, "message", None) or str(exc)
            ok, code, error = _send_one(config, row, mail, mail_error, post)
            _record(warehouse, row, now, ok, code, error)
            (report.sent if ok else report.failed).append(row["notification_id"])
    finally:
        if mail is not None:
            mail.close()
    report.waiting += max(0, len(rows) - limit)


def _send_one(
    config: NotifyConfig, row: dict[str, Any], mail: MailTransport | None,
    mail_error: str | None, post: Poster,
) -> tuple[bool, int | None, str | None]:  # fmt: skip
    body = (row["body"] or "").encode()
    kind = row["channel_type"]
    if kind == "email":
        if mail is None:
            return False, None, mail_error or "no SMTP transport"
        if not config.mail_from:
            return False, None, "setting 'mail_from' is not set"
        try:
            mail.send(_email(config, row))
        except MailError as exc:
            return False, None, exc.reason[:500]
        return True, None, None
    headers = {"Content-Type": "application/json", "User-Agent": "cxloop-notify"}
    if kind == "webhook":
        secret = config.secrets.get(row["channel_id"])
        if secret is None:
            where = "is no longer in notifications.yaml"
            for channel in config.file.channels:
                if isinstance(channel, WebhookChannel) and channel.id == row["channel_id"]:
                    where = f"has no secret: environment variable {channel.secret_env} is unset"
            return False, None, f"channel {row['channel_id']!r} {where}"
        stamp = int(time.time())
        headers |= {
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: signature(secret, stamp, body),
            EVENT_HEADER: f"case.{row['event_kind']}",
            DELIVERY_HEADER: row["notification_id"],
        }
    url = row["recipient"]
    if kind == "slack":
        url = config.slack_urls.get(row["channel_id"]) or ""
        if not url:
            return False, None, f"channel {row['channel_id']!r} has no URL (unset or removed)"
    try:
        code = post(url, body, headers, config.timeout_s)
    except (OSError, ValueError) as exc:
        return False, None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= code < 300:
        return True, code, None
    return False, code, f"HTTP {code}"


def _email(config: NotifyConfig, row: dict[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.mail_from
    message["To"] = row["recipient"]
    message["Subject"] = row["subject"] or "cxloop"
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = sender_domain(config.mail_from or "")
    message["Message-ID"] = f"<{row['notification_id']}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row["body"] or "")
    return message


def _record(
    warehouse: Warehouse, row: dict[str, Any], now: datetime, ok: bool,
    code: int | None, error: str | None,
) -> None:  # fmt: skip
    tries: _Tries = row["_tries"]
    attempt = tries.attempts + 1
    round_ = tries.round + 1 if row.get("_new_round") else tries.round
    recipient = row["recipient"]
    entry = {
        "delivery_id": f"{row['notification_id']}:{attempt}",
        "target": f"{TARGET_PREFIX}{row['channel_id']}",
        "event_id": row["notification_id"],
        "url": f"mailto:{recipient}" if row["channel_type"] == "email" else recipient,
        "ts": now, "attempt": attempt, "status_code": code, "ok": ok, "error": error,
        "body_sha256": hashlib.sha256((row["body"] or "").encode()).hexdigest(),
        "channel": row["channel_type"], "round": round_,
    }  # fmt: skip
    warehouse.append(
        "webhook_deliveries",
        pa.Table.from_pylist([entry], schema=arrow_schema("webhook_deliveries", _LOG_COLUMNS)),
    )
