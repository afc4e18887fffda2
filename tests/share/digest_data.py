"""A small company for the digest tests: two teams with members in three languages, a week of
analysed comments (one with a phone number, an e-mail address and the customer's name in it),
goals, cases, orders and consents."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from cxloop.domain.goal import Goal, GoalScope
from cxloop.share.digests.sending import DigestOptions
from cxloop.storage import Warehouse
from cxloop.understand.goals import sync_goals

#: a Wednesday: the digest week (Monday digests) is 30 Nov – 6 Dec 2026, the month November
NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)
WEEK_END = date(2026, 12, 6)
OPTIONS = DigestOptions(
    secret="test-secret", public_base_url="https://cx.acme.example",
    mail_from="Acme <cx@acme.example>", company_name="Acme Home", default_language="en",
)  # fmt: skip
PII_COMMENT = (
    "Delivery was late and nobody answered, I am Ann Example, call me on +1 415 555 0134 "
    "or write to ann.private@example.com"
)


def dt(year: int, month: int, d: int) -> datetime:
    return datetime(year, month, d, tzinfo=UTC)


def day(d: int, hour: int = 10) -> datetime:
    """A time in the digest week (``d`` = 30 is 30 November, 1..6 December)."""
    month = 11 if d > 6 else 12
    return datetime(2026, month, d, hour, tzinfo=UTC)


def add_company(wh: Warehouse) -> None:
    wh.append_rows("teams", [
        {"team_id": "web", "name": "Web <shop>", "touchpoint": "web", "manager_employee_id": "E1"},
        {"team_id": "billing", "name": "Billing", "touchpoint": "billing",
         "manager_employee_id": "E2"},
    ])  # fmt: skip
    wh.append_rows("employees", [
        {"employee_id": "E1", "team_id": "web", "name": "Wendy", "email": "wendy@acme.example",
         "is_manager": True, "language": "es"},
        {"employee_id": "E3", "team_id": "web", "name": "Wu", "email": "wu@acme.example",
         "is_manager": False, "language": "zh"},
        {"employee_id": "E4", "team_id": "web", "name": "No Mail", "email": None,
         "is_manager": False, "language": "en"},
        {"employee_id": "E2", "team_id": "billing", "name": "Bill", "email": "bill@acme.example",
         "is_manager": True, "language": None},
    ])  # fmt: skip
    wh.append_rows("customers", [
        {"customer_id": "C1", "name": "Ann Example", "first_name": "Ann",
         "email": "ann@example.com", "language": "en", "first_seen": dt(2024, 11, 20)},
        {"customer_id": "C2", "name": "Bea Ejemplo", "first_name": "Bea",
         "email": "bea@example.com", "language": "es", "first_seen": dt(2026, 1, 5)},
        {"customer_id": "C3", "name": "Carl Quiet", "first_name": "Carl",
         "email": "carl@example.com", "language": "en", "first_seen": dt(2026, 2, 1)},
    ])  # fmt: skip


def _comment(
    wh: Warehouse, fid: str, customer: str, when: datetime, text: str, *, nps: int,
    sentiment: float, label: str, themes: list[str], redacted: str | None = None,
    touchpoint: str = "web",
) -> None:  # fmt: skip
    wh.append_rows("feedback", [
        {"feedback_id": fid, "customer_id": customer, "ts": when, "nps": nps, "text": text,
         "touchpoint": touchpoint, "language": "en", "source": "test"},
    ])  # fmt: skip
    wh.append_rows("feedback_insights", [
        {"feedback_id": fid, "language": "en", "sentiment": sentiment, "sentiment_label": label,
         "themes": json.dumps(themes), "redacted_text": redacted if redacted is not None else text},
    ])  # fmt: skip


def add_week_of_feedback(wh: Warehouse) -> None:
    """Web: delivery praised and criticised, a checkout problem; the PII comment's stored
    redacted text is the original (as an old analyser left it). One comment the week before."""
    _comment(
        wh,
        "F1",
        "C2",
        day(1),
        "The delivery was quick and the courier very friendly",
        nps=10,
        sentiment=0.92,
        label="positive",
        themes=["delivery"],
    )
    _comment(
        wh,
        "F2",
        "C1",
        day(2),
        PII_COMMENT,
        nps=2,
        sentiment=-0.95,
        label="negative",
        themes=["delivery"],
        redacted=PII_COMMENT,
    )
    _comment(
        wh,
        "F3",
        "C3",
        day(3),
        "Delivery ok",
        nps=8,
        sentiment=0.1,
        label="neutral",
        themes=["delivery"],
    )
    _comment(
        wh,
        "F4",
        "C3",
        day(4),
        "Checkout <b>froze</b> twice when I paid by card",
        nps=4,
        sentiment=-0.7,
        label="negative",
        themes=["checkout"],
    )
    _comment(
        wh,
        "F5",
        "C2",
        day(5),
        "Nice prices on bedding",
        nps=9,
        sentiment=0.6,
        label="positive",
        themes=["price"],
    )
    _comment(
        wh,
        "F0",
        "C2",
        datetime(2026, 11, 25, tzinfo=UTC),
        "Delivery was slow this time",
        nps=5,
        sentiment=-0.5,
        label="negative",
        themes=["delivery"],
    )
    _comment(wh, "F9", "C1", day(2), "Billing charged me twice", nps=0, sentiment=-0.8,
             label="negative", themes=["billing"], touchpoint="billing")  # fmt: skip


def add_goals(wh: Warehouse) -> None:
    sync_goals(wh, [
        Goal(id="web-nps", kpi="nps", title="Web NPS", scope=GoalScope(dimension="team",
             value="web"), target=30, direction="higher", deadline=date(2027, 3, 31),
             owner="Wendy", period="month"),
    ])  # fmt: skip


def add_cases(wh: Warehouse) -> None:
    """An overdue open case of web for C1, and C1's case resolved in November."""
    wh.append_rows("cases", [
        {"case_id": "K1", "customer_id": "C1", "feedback_id": "F2", "rule_id": "detractor",
         "team_id": "web", "title": "Follow up with a detractor", "priority": "high",
         "opened_at": day(2, 11), "due_at": day(4), "topic": "detractor"},
        {"case_id": "K2", "customer_id": "C1", "feedback_id": "F0", "rule_id": "detractor",
         "team_id": "web", "title": "Follow up", "priority": "normal",
         "opened_at": datetime(2026, 11, 25, 11, tzinfo=UTC),
         "due_at": datetime(2026, 11, 27, tzinfo=UTC), "topic": "late"},
    ])  # fmt: skip
    wh.append_rows("case_events", [
        {"case_event_id": "K1-1", "case_id": "K1", "ts": day(2, 11), "kind": "opened",
         "actor": "rule:detractor", "status": "open", "resolution": None},
        {"case_event_id": "K2-1", "case_id": "K2", "ts": datetime(2026, 11, 25, 11, tzinfo=UTC),
         "kind": "opened", "actor": "rule:detractor", "status": "open", "resolution": None},
        {"case_event_id": "K2-2", "case_id": "K2", "ts": datetime(2026, 11, 26, 9, tzinfo=UTC),
         "kind": "resolved", "actor": "user:w", "status": "resolved", "resolution": "compensated"},
    ])  # fmt: skip


def add_orders(wh: Warehouse) -> None:
    """C1: four orders before November and one in it (the 5th); C2 and C3: one each."""
    rows = [
        {
            "order_id": f"O1-{k}",
            "customer_id": "C1",
            "ts": datetime(2026, 6, 1 + k, tzinfo=UTC),
            "amount": 20.0,
        }
        for k in range(4)
    ]
    rows.append(
        {
            "order_id": "O1-4",
            "customer_id": "C1",
            "ts": datetime(2026, 11, 10, tzinfo=UTC),
            "amount": 35.0,
        }
    )
    rows.append(
        {
            "order_id": "O2-0",
            "customer_id": "C2",
            "ts": datetime(2026, 11, 12, tzinfo=UTC),
            "amount": 12.0,
        }
    )
    rows.append({"order_id": "O3-0", "customer_id": "C3",
                 "ts": datetime(2026, 11, 13, tzinfo=UTC), "amount": 99.0})  # fmt: skip
    wh.append_rows("orders", rows)


def add_consent(wh: Warehouse, customer: str, purpose: str, granted: bool, when: datetime) -> None:
    wh.append_rows("consents", [
        {"consent_event_id": f"{customer}:{purpose}:{when.isoformat()}", "customer_id": customer,
         "channel": "email", "purpose": purpose, "granted": granted, "ts": when, "source": "test"},
    ])  # fmt: skip


def build_company(wh: Warehouse) -> None:
    """Everything above; C1 consents to progress e-mails, C2 only to surveys, C3 granted
    'all' and later refused progress."""
    add_company(wh)
    add_week_of_feedback(wh)
    add_goals(wh)
    add_cases(wh)
    add_orders(wh)
    add_consent(wh, "C1", "progress", True, NOW - timedelta(days=60))
    add_consent(wh, "C2", "surveys", True, NOW - timedelta(days=60))
    add_consent(wh, "C3", "all", True, NOW - timedelta(days=90))
    add_consent(wh, "C3", "progress", False, NOW - timedelta(days=30))
