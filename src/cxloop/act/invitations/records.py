"""Invitation ids and the ``survey_invitations`` events the sender writes.

The invitation id is a hash of (survey, customer, trigger): a re-run or a retried send finds
the same id and so writes no second invitation. Each event id is the invitation id plus the
status (plus the attempt number for failures), so an event is never written twice either.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from cxloop.act.invitations.eligibility import FAILED
from cxloop.storage.schema import arrow_schema

EVENT_COLUMNS = [
    "invitation_event_id",
    "invitation_id",
    "survey_id",
    "customer_id",
    "employee_id",
    "channel",
    "status",
    "ts",
    "details",
]


def invitation_id(survey_id: str, customer_id: str, trigger: str) -> str:
    """The stable id of the invitation of ``customer_id`` to ``survey_id`` for ``trigger``.

    Examples
    --------
    >>> invitation_id("post-delivery", "C1", "segment:vip")
    'inv-6d95196706acd1f1241bf9522025d4d6'
    """
    digest = hashlib.sha256("\x1f".join((survey_id, customer_id, trigger)).encode("utf-8"))
    return "inv-" + digest.hexdigest()[:32]


@dataclass(frozen=True)
class InvitationEvent:
    """One row of ``survey_invitations``."""

    invitation_id: str
    survey_id: str
    customer_id: str | None
    status: str
    ts: datetime
    details: dict[str, object] = field(default_factory=dict)
    attempt: int = 1
    channel: str = "email"
    employee_id: str | None = None

    @property
    def event_id(self) -> str:
        if self.status == FAILED:
            return f"{self.invitation_id}:{FAILED}:{self.attempt}"
        return f"{self.invitation_id}:{self.status}"

    def row(self) -> dict[str, object]:
        return {
            "invitation_event_id": self.event_id,
            "invitation_id": self.invitation_id,
            "survey_id": self.survey_id,
            "customer_id": self.customer_id,
            "employee_id": self.employee_id,
            "channel": self.channel,
            "status": self.status,
            "ts": self.ts,
            "details": json.dumps(self.details, ensure_ascii=False, sort_keys=True),
        }


def events_table(events: list[InvitationEvent]) -> pa.Table:
    """Events as Arrow rows typed like ``survey_invitations``."""
    return pa.Table.from_pylist(
        [e.row() for e in events], schema=arrow_schema("survey_invitations", EVENT_COLUMNS)
    )
