"""Small hand-made customers, consents, events and invitations for the invitation tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cxloop.storage import Warehouse

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def add_customers(warehouse: Warehouse, *rows: tuple[str, str | None, str | None, str]) -> None:
    """(customer_id, email, language, first name) rows."""
    warehouse.append_rows(
        "customers",
        [
            {"customer_id": cid, "email": email, "language": lang, "first_name": first,
             "name": f"{first} Example"}
            for cid, email, lang, first in rows
        ],
    )  # fmt: skip


def add_consent(
    warehouse: Warehouse,
    customer_id: str,
    granted: bool,
    when: datetime,
    *,
    purpose: str = "surveys",
    channel: str = "email",
) -> None:
    warehouse.append_rows(
        "consents",
        [
            {
                "consent_event_id": f"{customer_id}-{purpose}-{channel}-{when.isoformat()}",
                "customer_id": customer_id,
                "channel": channel,
                "purpose": purpose,
                "granted": granted,
                "ts": when,
                "source": "test",
            }
        ],
    )


def add_invitation_event(
    warehouse: Warehouse,
    invitation_id: str,
    customer_id: str,
    status: str,
    when: datetime,
    *,
    survey_id: str = "other-survey",
) -> None:
    warehouse.append_rows(
        "survey_invitations",
        [
            {
                "invitation_event_id": f"{invitation_id}:{status}:{when.isoformat()}",
                "invitation_id": invitation_id,
                "survey_id": survey_id,
                "customer_id": customer_id,
                "channel": "email",
                "status": status,
                "ts": when,
                "details": "{}",
            }
        ],
    )


def add_event(warehouse: Warehouse, event_id: str, customer_id: str | None, name: str,
              when: datetime) -> None:  # fmt: skip
    warehouse.append_rows(
        "events",
        [{"event_id": event_id, "customer_id": customer_id, "type": "track", "name": name,
          "ts": when, "properties": "{}"}],
    )  # fmt: skip


def add_segment(warehouse: Warehouse, segment_id: str, members: list[str]) -> None:
    warehouse.append_rows(
        "segments", [{"segment_id": segment_id, "name": segment_id, "kind": "rule"}]
    )
    if members:
        warehouse.append_rows(
            "segment_members",
            [
                {"member_id": f"{segment_id}:{m}", "segment_id": segment_id, "customer_id": m,
                 "computed_at": NOW}
                for m in members
            ],
        )  # fmt: skip
