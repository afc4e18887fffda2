"""Two hand-made customers with a few rows each, for the privacy tests that need no demo."""

from __future__ import annotations

from datetime import UTC, datetime

from cxloop.storage import Warehouse

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def add_two_customers(wh: Warehouse) -> None:
    """``cus_ana`` (crm:A1, ana@example.com) and ``cus_bo`` (crm:B1, bo@example.com), each
    with an order, an event, a piece of feedback and, for Ana, two consent events."""
    for cid, sid, first, email in (
        ("cus_ana", "A1", "Ana", "ana@example.com"),
        ("cus_bo", "B1", "Bo", "bo@example.com"),
    ):
        wh.append_rows(
            "source_records",
            [
                {
                    "record_id": f"crm:{sid}",
                    "source": "crm",
                    "source_id": sid,
                    "first_name": first,
                    "last_name": "Tester",
                    "email": email,
                    "phone": "+34 600 000 00" + sid[-1],
                }
            ],
        )
        wh.append_rows(
            "identities",
            [
                {
                    "record_id": f"crm:{sid}",
                    "source": "crm",
                    "source_id": sid,
                    "customer_id": cid,
                    "method": "singleton",
                    "resolved_at": NOW,
                }
            ],
        )
        wh.append_rows(
            "customers",
            [
                {
                    "customer_id": cid,
                    "first_name": first,
                    "last_name": "Tester",
                    "name": f"{first} Tester",
                    "email": email,
                }
            ],
        )
        wh.append_rows(
            "orders",
            [
                {
                    "order_id": f"o-{sid}",
                    "source": "crm",
                    "source_customer_id": sid,
                    "customer_id": cid,
                    "ts": NOW,
                    "amount": 10.0,
                    "currency": "EUR",
                }
            ],
        )
        wh.append_rows(
            "events",
            [
                {
                    "event_id": f"e-{sid}",
                    "source": "crm",
                    "source_customer_id": sid,
                    "customer_id": cid,
                    "type": "track",
                    "name": "Visit",
                    "ts": NOW,
                    "properties": '{"page": "/"}',
                }
            ],
        )
        wh.append_rows(
            "feedback",
            [
                {
                    "feedback_id": f"f-{sid}",
                    "source": "crm",
                    "source_customer_id": sid,
                    "customer_id": cid,
                    "ts": NOW,
                    "nps": 9,
                    "text": "Great",
                    "imported_at": NOW,
                }
            ],
        )
    wh.append_rows(
        "consents",
        [
            {"consent_event_id": "c1", "customer_id": "cus_ana", "channel": "email",
             "purpose": "surveys", "granted": True, "ts": NOW, "source": "crm"},
            {"consent_event_id": "c2", "customer_id": "cus_ana", "channel": "email",
             "purpose": "surveys", "granted": False, "ts": NOW.replace(month=7),
             "source": "email-link"},
            {"consent_event_id": "c3", "customer_id": "cus_ana", "channel": "sms",
             "purpose": "all", "granted": True, "ts": NOW, "source": "crm"},
        ],
    )  # fmt: skip
