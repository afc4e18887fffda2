"""The audit log: who saw or changed what, and every sign-in."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pyarrow as pa

from cxloop.storage import Warehouse

_SCHEMA = pa.schema(
    [
        ("audit_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("actor", pa.string()),
        ("action", pa.string()),
        ("target_table", pa.string()),
        ("target_id", pa.string()),
        ("details", pa.string()),
    ]
)


def record(
    warehouse: Warehouse,
    actor: str,
    action: str,
    *,
    target_table: str | None = None,
    target_id: str | None = None,
    details: dict | None = None,
) -> None:
    """Append one audit record (``action`` like ``login``, ``read``, ``change``)."""
    row = {
        "audit_id": uuid.uuid4().hex,
        "ts": datetime.now(UTC),
        "actor": actor,
        "action": action,
        "target_table": target_table,
        "target_id": target_id,
        "details": json.dumps(details, ensure_ascii=False, default=str) if details else None,
    }
    warehouse.append("audit_log", pa.Table.from_pylist([row], schema=_SCHEMA))
