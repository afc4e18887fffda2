"""The ``digests`` table: one row per digest sent, keyed by (kind, recipient, period); the
recipient of a team digest is a member of a team.

A digest is recorded as soon as the SMTP server has accepted it, so a second run for the same
period, or a server restarted half-way through, sends nobody the same digest twice. Rows name
the recipient by ``employee_id`` or ``customer_id`` (never by address), so erasing a customer
deletes their rows by ``customer_id``.
"""

from __future__ import annotations

from datetime import date, datetime

from cxloop.storage import Warehouse

TEAM, CUSTOMER = "team", "customer"


def digest_id(kind: str, recipient_id: str, period_key: str, team_id: str | None = None) -> str:
    """The row's key: ``customer:C1:month:2026-11``, or for a team digest, whose recipient is
    a member of a team (a manager of two teams gets both), ``team:web:E1:week:2026-12-06``."""
    if team_id is not None:
        return f"{kind}:{team_id}:{recipient_id}:{period_key}"
    return f"{kind}:{recipient_id}:{period_key}"


def sent_keys(wh: Warehouse, kind: str, period_key: str) -> set[str]:
    """The keys (:func:`digest_id`) of the ``kind`` digests of the period already sent."""
    t = wh.table("digests")
    rows = t.filter((t.kind == kind) & (t.period == period_key)).select("digest_id")
    return {str(v) for v in wh.to_pyarrow(rows).column(0).to_pylist()}


def record_sent(
    wh: Warehouse,
    *,
    kind: str,
    recipient_id: str,
    period_key: str,
    period_start: date,
    period_end: date,
    language: str,
    message_id: str,
    sent_at: datetime,
    team_id: str | None = None,
) -> None:
    """Write that a digest was sent (again a no-op: the key is the same)."""
    wh.append_rows(
        "digests",
        [
            {
                "digest_id": digest_id(kind, recipient_id, period_key, team_id),
                "kind": kind,
                "period": period_key,
                "period_start": period_start,
                "period_end": period_end,
                "employee_id": recipient_id if kind == TEAM else None,
                "customer_id": recipient_id if kind == CUSTOMER else None,
                "team_id": team_id,
                "language": language,
                "message_id": message_id,
                "sent_at": sent_at,
            }
        ],
    )
