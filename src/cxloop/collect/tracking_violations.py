"""Tracking-plan violations: the rows the collector records, and the report that counts them.

A violation's id is ``<event_id>:<hash of the problem>``, so a retried message is counted once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import ibis
import pyarrow as pa

from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema

VIOLATION_SCHEMA = arrow_schema("tracking_violations")


def violation_row(
    *,
    source: str,
    event_id: str,
    event_name: str,
    problem: str,
    rejected: bool,
    ts: datetime,
) -> dict[str, Any]:
    """One ``tracking_violations`` row; ``ts`` is when the message was received."""
    digest = hashlib.sha256(problem.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return {
        "violation_id": f"{event_id}:{digest}",
        "ts": ts,
        "source": source,
        "event_id": event_id,
        "event_name": event_name,
        "problem": problem,
        "rejected": rejected,
    }


def violations_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=VIOLATION_SCHEMA)


def violation_report(warehouse: Warehouse, *, recent: int = 20, top: int = 200) -> dict[str, Any]:
    """Violations counted by event name and problem (most frequent first), and the most recent
    ones as examples.

    Returns ``{"total", "counts": [{event_name, problem, count, rejected, last_seen}],
    "recent": [{violation_id, ts, source, event_id, event_name, problem, rejected}]}``.
    """
    with warehouse.lock:
        return _report(warehouse, recent, top)


def _report(warehouse: Warehouse, recent: int, top: int) -> dict[str, Any]:
    t = warehouse.table("tracking_violations")
    counts = (
        t.group_by(["event_name", "problem"])
        .aggregate(
            count=t.count(),
            rejected=t.rejected.cast("int64").sum(),
            last_seen=t.ts.max(),
        )
        .order_by([ibis.desc("count"), "event_name", "problem"])
        .limit(top)
    )
    examples = t.order_by([t.ts.desc(), t.violation_id]).limit(recent)
    total = warehouse.to_pyarrow(t.aggregate(total=t.count())).column(0)[0].as_py()
    return {
        "total": int(total or 0),
        "counts": warehouse.to_pyarrow(counts).to_pylist(),
        "recent": warehouse.to_pyarrow(examples).to_pylist() if recent else [],
    }
