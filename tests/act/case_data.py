"""A small company for the case tests: two teams with leads, customers, feedback, insights,
and rule files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cxloop.storage import Warehouse

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

DETRACTOR_RULE = """\
id: detractor
description: Follow up with every detractor.
when: nps <= 6
then:
  title: Follow up with a detractor
  topic: detractor
  priority: high
  team: touchpoint
  routes:
    - when: theme("billing") == 1
      team: billing
  sla_hours: 48
"""

BILLING_RULE = """\
id: billing_complaint
when: |
  sentiment == "negative"
  and theme("billing") == 1
then:
  title: Negative comment about billing
  topic: billing
  team: billing
  sla_hours: 24
"""


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def write_rules(project: Path, **texts: str) -> None:
    folder = project / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def add_company(warehouse: Warehouse) -> None:
    """Teams web (lead Wendy) and billing (lead Bill), touchpoints web and billing; two
    customers."""
    warehouse.append_rows(
        "teams",
        [
            {"team_id": "web", "name": "Web", "touchpoint": "web", "manager_employee_id": "E1"},
            {"team_id": "billing", "name": "Billing", "touchpoint": "billing",
             "manager_employee_id": "E2"},
        ],
    )  # fmt: skip
    warehouse.append_rows(
        "employees",
        [
            {"employee_id": "E1", "team_id": "web", "name": "Wendy", "email": "wendy@acme.example",
             "is_manager": True},
            {"employee_id": "E2", "team_id": "billing", "name": "Bill",
             "email": "bill@acme.example", "is_manager": True},
        ],
    )  # fmt: skip
    warehouse.append_rows(
        "customers",
        [
            {"customer_id": "C1", "name": "Ann Example", "email": "ann@example.com",
             "language": "en", "country": "US", "first_name": "Ann"},
            {"customer_id": "C2", "name": "Bea Ejemplo", "email": "bea@example.com",
             "language": "es", "country": "ES", "first_name": "Bea"},
        ],
    )  # fmt: skip


def add_feedback(
    warehouse: Warehouse,
    feedback_id: str,
    customer_id: str,
    when: datetime,
    *,
    nps: int | None = None,
    touchpoint: str = "web",
    text: str | None = None,
    themes: list[str] | None = None,
    sentiment: str | None = None,
) -> None:
    warehouse.append_rows(
        "feedback",
        [
            {"feedback_id": feedback_id, "customer_id": customer_id, "ts": when, "nps": nps,
             "touchpoint": touchpoint, "text": text, "language": "en", "source": "test"}
        ],
    )  # fmt: skip
    if themes is not None or sentiment is not None:
        warehouse.append_rows(
            "feedback_insights",
            [
                {"feedback_id": feedback_id, "language": "en", "sentiment_label": sentiment,
                 "themes": json.dumps(themes or []), "redacted_text": text}
            ],
        )  # fmt: skip
