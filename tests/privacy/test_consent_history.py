"""Consent history: append-only events, the current state per channel and purpose."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cxloop.errors import NotFoundError
from cxloop.privacy.consent_history import (
    ConsentEvent,
    consent_history,
    current_states,
    effective_consent,
)
from cxloop.storage import Warehouse
from privacy_data import add_two_customers

T1 = datetime(2026, 1, 1, tzinfo=UTC)
T2 = datetime(2026, 2, 1, tzinfo=UTC)


def event(i: str, granted: bool, ts: datetime, purpose: str = "surveys") -> ConsentEvent:
    return ConsentEvent(
        consent_event_id=i, channel="email", purpose=purpose, granted=granted, ts=ts
    )


def test_latest_event_decides_and_a_refusal_wins_a_tie() -> None:
    states = current_states([event("b", False, T1), event("a", True, T1), event("c", True, T2)])
    assert [(s.purpose, s.granted, s.since) for s in states] == [("surveys", True, T2)]
    tie = current_states([event("z", True, T1), event("a", False, T1)])
    assert tie[0].granted is False


def test_all_purposes_speak_for_every_purpose() -> None:
    states = current_states([event("a", True, T1), event("b", False, T2, purpose="all")])
    assert effective_consent(states, "email", "surveys").granted is False  # type: ignore[union-attr]
    assert effective_consent(states, "email", "digests").granted is False  # type: ignore[union-attr]
    assert effective_consent(states, "sms", "surveys") is None
    later = current_states([event("a", True, T2), event("b", False, T1, purpose="all")])
    assert effective_consent(later, "email", "surveys").granted is True  # type: ignore[union-attr]


def test_history_is_read_from_the_append_only_table(warehouse: Warehouse) -> None:
    add_two_customers(warehouse)
    history = consent_history(warehouse, "ANA@example.com")
    assert history.customer_id == "cus_ana"
    assert [e.consent_event_id for e in history.events] == ["c1", "c3", "c2"]
    assert {(s.channel, s.purpose): s.granted for s in history.current} == {
        ("email", "surveys"): False,
        ("sms", "all"): True,
    }
    assert consent_history(warehouse, "cus_bo").events == []
    with pytest.raises(NotFoundError):
        consent_history(warehouse, "nobody@example.com")
