"""A tiny company with known customers, resolved: for tests of profiles, search, exports and
the Customers pages and API.

- Ana Ruiz: a CRM record and a webshop record (same e-mail in other case, the phone written
  two ways, the city spelt differently, two postcodes), 3 orders in EUR and USD, 60 events,
  2 pieces of feedback, a survey response and a case.
- José García: one CRM record.
- 王秀英: a CRM record in characters, an app record written "Wang Xiuying", one phone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from cxloop.storage import Warehouse
from cxloop.unify import resolve

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ANA_EMAIL = "ana.ruiz@example.es"
ANA_EVENTS = 60


def write_rows(warehouse: Warehouse, table: str, rows: list[dict[str, Any]]) -> None:
    """Append ``rows`` (missing columns as nulls) to ``table``."""
    schema = warehouse.to_pyarrow(warehouse.table(table).limit(0)).schema
    full = [{name: row.get(name) for name in schema.names} for row in rows]
    warehouse.append(table, pa.Table.from_pylist(full, schema=schema))


def _record(source: str, source_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "record_id": f"{source}:{source_id}",
        "source": source,
        "source_id": source_id,
        "imported_at": T0,
        **fields,
    }


RECORDS = [
    _record(
        "crm", "C1", first_name="Ana", last_name="Ruiz", email=ANA_EMAIL,
        phone="+34 653 126 976", city="Madrid", postcode="28001", country="ES", language="es",
        created_at=T0 - timedelta(days=400), attributes='{"tier": "gold"}',
    ),
    _record(
        "webshop", "W7", name="Ana Ruiz", email="Ana.Ruiz@Example.ES", phone="653126976",
        city="madrid ", postcode="28013", country="España", language="es",
        created_at=T0 - timedelta(days=30),
        attributes='{"tier": "silver", "newsletter": true}',
    ),
    _record(
        "crm", "C2", first_name="José", last_name="García", email="jose.garcia@example.mx",
        phone="55 1234 5678", country="MX", language="es", created_at=T0 - timedelta(days=90),
    ),
    _record(
        "crm", "C3", first_name="秀英", last_name="王", email="wxy@example.cn",
        phone="138 0013 8000", city="成都", country="CN", language="zh",
        created_at=T0 - timedelta(days=10),
    ),
    _record(
        "app", "A9", name="Wang Xiuying", email="wxy@example.cn", country="CN",
        language="zh-CN", created_at=T0 - timedelta(days=5),
    ),
]  # fmt: skip


def activity(source_customer_id: str = "C1", source: str = "crm") -> dict[str, list[dict]]:
    """Ana's activity, by table."""
    events = [
        {
            "event_id": f"{source}:e{i}",
            "source": source,
            "source_customer_id": source_customer_id,
            "type": "track",
            "name": "Product Viewed" if i % 2 else "Page Viewed",
            "touchpoint": "web",
            "channel": "web",
            "ts": T0 + timedelta(hours=i),
            "properties": f'{{"sku": "SKU-{i}"}}',
        }
        for i in range(ANA_EVENTS)
    ]
    orders = [
        {"order_id": f"{source}:o1", "source": source, "source_customer_id": source_customer_id,
         "ts": T0 + timedelta(days=1), "amount": 100.0, "currency": "EUR", "status": "completed"},
        {"order_id": f"{source}:o2", "source": source, "source_customer_id": source_customer_id,
         "ts": T0 + timedelta(days=2), "amount": 50.5, "currency": "EUR", "status": "returned"},
        {"order_id": f"{source}:o3", "source": source, "source_customer_id": source_customer_id,
         "ts": T0 + timedelta(days=3), "amount": 20.0, "currency": "USD", "status": "completed"},
    ]  # fmt: skip
    feedback = [
        {"feedback_id": f"{source}:f1", "source": source, "source_customer_id": source_customer_id,
         "ts": T0 + timedelta(days=4), "kind": "survey", "nps": 3, "csat": 2, "language": "es",
         "text": "<b>La entrega llegó tarde</b>", "touchpoint": "delivery"},
        {"feedback_id": f"{source}:f2", "source": source, "source_customer_id": source_customer_id,
         "ts": T0 + timedelta(days=10), "kind": "survey", "nps": 9, "language": "es",
         "text": "Muy bien"},
    ]  # fmt: skip
    return {"events": events, "orders": orders, "feedback": feedback}


def build_company(warehouse: Warehouse) -> dict[str, str]:
    """Write the company, resolve it, add a survey response and a case for Ana; return the
    customer ids by first name (``ana``, ``jose``, ``xiuying``)."""
    write_rows(warehouse, "source_records", RECORDS)
    for table, rows in activity().items():
        write_rows(warehouse, table, rows)
    resolve(warehouse)
    identities = warehouse.to_pyarrow(warehouse.table("identities")).to_pylist()
    by_record = {row["record_id"]: row["customer_id"] for row in identities}
    ids = {"ana": by_record["crm:C1"], "jose": by_record["crm:C2"], "xiuying": by_record["crm:C3"]}
    write_rows(
        warehouse,
        "survey_responses",
        [
            {
                "response_id": "r1",
                "survey_id": "relationship_nps",
                "customer_id": ids["ana"],
                "ts": T0 + timedelta(days=4, minutes=5),
                "language": "es",
                "answers": '{"nps": 3, "why": "tarde"}',
            }
        ],
    )
    write_rows(
        warehouse,
        "cases",
        [
            {
                "case_id": "case1",
                "customer_id": ids["ana"],
                "feedback_id": "crm:f1",
                "title": "Detractor: late delivery",
                "priority": "high",
                "team_id": "delivery",
                "opened_at": T0 + timedelta(days=4, hours=1),
            }
        ],
    )
    write_rows(
        warehouse,
        "case_events",
        [
            {"case_event_id": "ce1", "case_id": "case1", "ts": T0 + timedelta(days=4, hours=1),
             "kind": "opened", "status": "open"},
            {"case_event_id": "ce2", "case_id": "case1", "ts": T0 + timedelta(days=5),
             "kind": "status", "status": "resolved"},
            {"case_event_id": "ce3", "case_id": "case1", "ts": T0 + timedelta(days=6),
             "kind": "note", "note": "called back"},
        ],
    )  # fmt: skip
    return ids
