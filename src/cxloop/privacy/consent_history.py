"""A customer's consent history and their current state per channel and purpose.

``consents`` is append-only: every grant or refusal (imported with ``cxloop import
consents``, or made with a survey e-mail's opt-out link) is a row of its own, never updated.
The current state of a (channel, purpose) is its latest event; at the same instant a refusal
wins. An event with purpose ``all`` speaks for every purpose of its channel, so the state a
sender must respect for (channel, purpose) is the latest event of that purpose or of ``all``
(:func:`effective_consent`); survey invitations and advocate invites read it so
(:func:`cxloop.act.invitations.eligibility.email_consent_expr`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cxloop.act.invitations.eligibility import ALL_PURPOSES
from cxloop.storage import Warehouse
from cxloop.unify.lookup import clean_reference, find_customer_id


class ConsentEvent(BaseModel):
    """One recorded grant or refusal."""

    consent_event_id: str
    channel: str
    purpose: str
    granted: bool | None
    ts: datetime | None
    source: str | None = None


class ConsentState(BaseModel):
    """The latest answer for one (channel, purpose)."""

    channel: str
    purpose: str
    granted: bool | None
    since: datetime | None = Field(description="When the deciding event happened.")
    source: str | None = None


class ConsentHistory(BaseModel):
    """``cxloop consent show --json``: every event, oldest first, and the current states."""

    customer_id: str
    events: list[ConsentEvent]
    current: list[ConsentState]


def _order(event: ConsentEvent) -> tuple[Any, ...]:
    # oldest first; at one instant a grant sorts before a refusal, so the refusal is latest
    return (event.ts is None, event.ts, event.granted is False, event.consent_event_id)


def current_states(events: list[ConsentEvent]) -> list[ConsentState]:
    """The latest event of each (channel, purpose), in channel and purpose order."""
    latest: dict[tuple[str, str], ConsentEvent] = {}
    for event in sorted(events, key=_order):
        latest[(event.channel, event.purpose)] = event
    return [
        ConsentState(channel=c, purpose=p, granted=e.granted, since=e.ts, source=e.source)
        for (c, p), e in sorted(latest.items())
    ]


def effective_consent(
    states: list[ConsentState], channel: str, purpose: str
) -> ConsentState | None:
    """The state a sender must respect for ``channel`` and ``purpose``: the latest of that
    purpose's and the channel's ``all`` state (a refusal wins a tie); None: no answer."""
    found = [s for s in states if s.channel == channel and s.purpose in (purpose, ALL_PURPOSES)]
    if not found:
        return None
    return max(found, key=lambda s: (s.since is not None, s.since, s.granted is False))


def consent_history(wh: Warehouse, reference: str) -> ConsentHistory:
    """The consent events of the customer ``reference`` names, and their current states."""
    customer_id = find_customer_id(wh, clean_reference(reference))
    consents = wh.table("consents")
    rows = wh.to_pyarrow(
        consents.filter(consents.customer_id == customer_id).select(
            "consent_event_id", "channel", "purpose", "granted", "ts", "source"
        )
    ).to_pylist()
    events = [
        ConsentEvent(
            consent_event_id=str(r["consent_event_id"]),
            channel=str(r["channel"] or "").lower(),
            purpose=str(r["purpose"] or "").lower(),
            granted=r["granted"],
            ts=r["ts"],
            source=r["source"],
        )
        for r in rows
    ]
    events.sort(key=_order)
    return ConsentHistory(customer_id=customer_id, events=events, current=current_states(events))
