"""The audit log: who saw or changed what, and every sign-in."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from cxloop.storage import Warehouse


def record(
    warehouse: Warehouse,
    actor: str,
    action: str,
    *,
    target_table: str | None = None,
    target_id: str | None = None,
    details: dict | None = None,
) -> str:
    """Append one audit record (``action`` like ``login``, ``read``, ``change``); return its
    id."""
    row = {
        "audit_id": uuid.uuid4().hex,
        "ts": datetime.now(UTC),
        "actor": actor,
        "action": action,
        "target_table": target_table,
        "target_id": target_id,
        "details": json.dumps(details, ensure_ascii=False, default=str) if details else None,
    }
    warehouse.append_rows("audit_log", [row])
    return str(row["audit_id"])
