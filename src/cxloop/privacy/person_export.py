"""``cxloop export customer``: everything cxloop holds about one person, as one JSON document.

The document (format ``cxloop-customer-export``, version 1)::

    {"format": "cxloop-customer-export", "version": 1,
     "customer_id": "cus_…", "exported_at": "2026-12-06T23:00:00+00:00",
     "tables": {"customers": [{…}], "events": [{…}, …], …},
     "segment_lists": ["ambassadors"]}

``tables`` has one key per table of :data:`~cxloop.privacy.registry.REGISTRY` that holds
personal data and has rows of theirs, with every column of those rows; times are ISO 8601
in UTC, JSON documents (``properties``, ``answers``, ``attributes``…) are parsed. The audit log
is left out: it records what staff did, not the person's data.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cxloop.privacy.person import gather_person
from cxloop.privacy.registry import personal_tables
from cxloop.storage import Warehouse
from cxloop.storage.schema import key_column
from cxloop.understand.segments.definitions import load_segment, segment_files
from cxloop.unify.lookup import clean_reference, find_customer_id

EXPORT_FORMAT = "cxloop-customer-export"
EXPORT_VERSION = 1
#: tables an export leaves out, and why
NOT_EXPORTED = {"audit_log": "what staff did, not the person's data"}


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def export_customer(wh: Warehouse, project: Path, reference: str) -> dict[str, Any]:
    """The export document of the customer ``reference`` names (an id, an e-mail address or
    ``source:source_id``); see the module docstring for its format."""
    customer_id = find_customer_id(wh, clean_reference(reference))
    person = gather_person(wh, customer_id)
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, entry in personal_tables().items():
        if name in NOT_EXPORTED:
            continue
        table = wh.table(name)
        where = entry.where(table, person)
        if where is None:
            continue
        rows = wh.to_pyarrow(table.filter(where).order_by(key_column(name))).to_pylist()
        if not rows:
            continue
        tables[name] = [{c: _value(v) for c, v in row.items()} for row in rows]
    lists = []
    for path in segment_files(project):
        if customer_id in path.read_text(encoding="utf-8"):
            definition, _ = load_segment(path)
            if definition.members and customer_id in definition.members:
                lists.append(definition.id)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "customer_id": customer_id,
        "exported_at": datetime.now(UTC).isoformat(),
        "tables": tables,
        "segment_lists": lists,
    }
