"""Small, hand-made rows for test warehouses, and what resolution stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from cxloop.storage import Warehouse


def _shared_data() -> Path:
    """``../shared/data`` of the repository, or of a folder above it (a git worktree)."""
    for folder in Path(__file__).resolve().parents[3:]:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return Path(__file__).resolve().parents[3] / "shared" / "data"


SHARED_DATA = _shared_data()
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def write_rows(warehouse: Warehouse, table: str, rows: list[dict[str, Any]]) -> None:
    """Append ``rows`` (missing columns as nulls) to ``table``."""
    schema = warehouse.to_pyarrow(warehouse.table(table).limit(0)).schema
    full = [{name: row.get(name) for name in schema.names} for row in rows]
    warehouse.append(table, pa.Table.from_pylist(full, schema=schema))


def record(source: str, source_id: str, **fields: Any) -> dict[str, Any]:
    """A ``source_records`` row: ``record_id`` is ``source:source_id``."""
    row = {
        "record_id": f"{source}:{source_id}",
        "source": source,
        "source_id": source_id,
        "imported_at": fields.pop("imported_at", T0),
    }
    row.update(fields)
    return row


def identities(warehouse: Warehouse) -> dict[str, str]:
    """record_id → customer_id, as stored."""
    table = warehouse.to_pyarrow(warehouse.table("identities").select("record_id", "customer_id"))
    return dict(zip(table["record_id"].to_pylist(), table["customer_id"].to_pylist(), strict=True))


def clusters(warehouse: Warehouse) -> set[frozenset[str]]:
    """The stored clusters, as sets of record ids."""
    groups: dict[str, set[str]] = {}
    for rid, cid in identities(warehouse).items():
        groups.setdefault(cid, set()).add(rid)
    return {frozenset(g) for g in groups.values()}
