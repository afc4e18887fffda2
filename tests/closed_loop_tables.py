"""Small hand-made tables of the closed loop: detractor feedback, the cases it opened and their
events, for the closed-loop KPI and loop-metrics tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cxloop.storage import Warehouse

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def add_feedback_rows(wh: Warehouse, rows: list[dict]) -> None:
    """Feedback rows with defaults: survey answers by e-mail in English."""
    defaults = {"channel": "email", "source": "survey", "language": "en"}
    wh.append_rows("feedback", [{**defaults, **row} for row in rows])


def add_case(
    wh: Warehouse,
    case_id: str,
    *,
    feedback_id: str | None,
    customer_id: str,
    team: str,
    opened: datetime,
    sla_hours: float | None = 48,
    contacted: datetime | None = None,
    resolved: datetime | None = None,
) -> None:
    """A case with its opened event and, when given, contact and resolution events."""
    due = opened + timedelta(hours=sla_hours) if sla_hours is not None else None
    wh.append_rows(
        "cases",
        [{"case_id": case_id, "customer_id": customer_id, "feedback_id": feedback_id,
          "rule_id": "detractor", "team_id": team, "title": "Follow up", "priority": "high",
          "opened_at": opened, "due_at": due, "topic": "detractor"}],
    )  # fmt: skip
    events = [(opened, "opened", "open", None)]
    if contacted is not None:
        events.append((contacted, "customer_contacted", "open", None))
    if resolved is not None:
        events.append((resolved, "resolved", "resolved", "fixed"))
    wh.append_rows(
        "case_events",
        [{"case_event_id": f"{case_id}:{k}", "case_id": case_id, "ts": ts, "kind": kind,
          "actor": "user:agent@example.com", "status": status, "resolution": code}
         for k, (ts, kind, status, code) in enumerate(events)],
    )  # fmt: skip
