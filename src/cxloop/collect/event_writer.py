"""Writes the rows of one or more accepted requests in one warehouse transaction.

Used by the group-commit writer (many requests per transaction) and by the one-transaction-
per-request mode alike. Either everything of every request is written, or nothing is.
Retries add nothing: rows are de-duplicated within the group; an event id received within the
de-duplication window (``collector_dedup_window_hours``, see
:meth:`~cxloop.storage.Warehouse.claim_keys`) is skipped, and so is the ``identify`` trait merge
of such an event; links and violations are appended idempotently on their keys.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from cxloop.collect.event_rows import PreparedRequest, TraitUpdate, to_json
from cxloop.collect.segment_messages import parse_iso_time
from cxloop.storage import Warehouse


@dataclass(frozen=True)
class WriteSummary:
    """What one transaction did."""

    requests: int
    events_offered: int
    events_inserted: int
    duplicates_in_group: int


#: how far back an event id counts as received (``collector_dedup_window_hours``'s default)
DEDUP_WINDOW = timedelta(hours=24)


def write_requests(
    warehouse: Warehouse,
    requests: Sequence[PreparedRequest],
    window: timedelta = DEDUP_WINDOW,
) -> WriteSummary:
    """Write every row of ``requests`` in ONE transaction; an event whose id was received
    within ``window`` is skipped."""
    events, duplicates = unique_rows([r.events for r in requests], "event_id")
    links, _ = unique_rows([r.links for r in requests], "link_id")
    violations, _ = unique_rows(
        [r.violations for r in requests if r.violations is not None], "violation_id"
    )
    updates = [u for r in requests for u in r.trait_updates]
    inserted = 0
    with warehouse.transaction():
        if events is not None and events.num_rows:
            ids = events.column("event_id").to_pylist()
            fresh = warehouse.claim_keys("events", ids, window=window)
            if updates:
                merge_traits(warehouse, [u for u in updates if u.event_id in fresh])
            if len(fresh) < events.num_rows:
                keep = pc.is_in(events.column("event_id"), pa.array(sorted(fresh), pa.string()))
                events = events.filter(keep)
            inserted = warehouse.append("events", events, keys_known_new=True).inserted
        if links is not None and links.num_rows:
            warehouse.append("identity_links", links)
        if violations is not None and violations.num_rows:
            warehouse.append("tracking_violations", violations)
    offered = events.num_rows if events is not None else 0
    return WriteSummary(len(requests), offered + duplicates, inserted, duplicates)


def unique_rows(tables: Sequence[pa.Table], key: str) -> tuple[pa.Table | None, int]:
    """The tables concatenated, keeping the first row of each key; and how many were dropped."""
    tables = [t for t in tables if t.num_rows]
    if not tables:
        return None, 0
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    seen: set[str] = set()
    keep = []
    for i, value in enumerate(table.column(key).to_pylist()):
        if value not in seen:
            seen.add(value)
            keep.append(i)
    if len(keep) == table.num_rows:
        return table, 0
    return table.take(keep), table.num_rows - len(keep)


def merge_traits(warehouse: Warehouse, updates: Sequence[TraitUpdate]) -> None:
    """Merge each ``identify``'s traits into its ``source_records`` row, oldest first (a
    later trait value wins; traits not sent again are kept). The caller passes only the
    updates of events that are new (:meth:`~cxloop.storage.Warehouse.claim_keys`)."""
    fresh: dict[str, TraitUpdate] = {}
    for update in updates:
        fresh.setdefault(update.event_id, update)
    if not fresh:
        return
    ordered = sorted(fresh.values(), key=lambda u: u.ts)
    records = warehouse.table("source_records")
    wanted = sorted({u.record_id for u in ordered})
    existing = warehouse.to_pyarrow(records.filter(records.record_id.isin(wanted)))
    rows: dict[str, dict[str, Any]] = {r["record_id"]: r for r in existing.to_pylist()}
    for update in ordered:
        row = rows.get(update.record_id)
        if row is None:
            row = dict.fromkeys(existing.schema.names)
            row.update(record_id=update.record_id, source=update.source, source_id=update.source_id)
        attributes = _json_object(row.get("attributes"))
        attributes.update(update.traits)
        row.update(record_fields(update.traits))
        row["attributes"] = to_json(attributes)
        row["imported_at"] = update.received_at
        rows[update.record_id] = row
    changed = [rows[record_id] for record_id in wanted]
    warehouse.replace("source_records", pa.Table.from_pylist(changed, schema=existing.schema))


def _json_object(text: object) -> dict[str, Any]:
    if not isinstance(text, str) or not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None


def record_fields(traits: dict[str, Any]) -> dict[str, Any]:
    """The ``source_records`` columns that Segment's reserved traits fill (only those sent).

    Examples
    --------
    >>> record_fields({"firstName": "Ana", "lastName": "Ruiz", "email": "ana@example.es"})
    {'first_name': 'Ana', 'last_name': 'Ruiz', 'email': 'ana@example.es', 'name': 'Ana Ruiz'}
    """
    get = traits.get
    fields: dict[str, Any] = {
        "first_name": _text(get("firstName") or get("first_name")),
        "last_name": _text(get("lastName") or get("last_name")),
        "email": _text(get("email")),
        "phone": _text(get("phone")),
        "language": _text(get("language")),
        "city": _text(get("city")),
        "country": _text(get("country")),
    }
    name = _text(get("name"))
    if name is None and (fields["first_name"] or fields["last_name"]):
        name = " ".join(p for p in (fields["first_name"], fields["last_name"]) if p)
    fields["name"] = name
    address = get("address")
    if isinstance(address, dict):
        fields["address"] = _text(address.get("street"))
        fields["city"] = fields["city"] or _text(address.get("city"))
        fields["postcode"] = _text(address.get("postalCode") or address.get("postal_code"))
        fields["country"] = fields["country"] or _text(address.get("country"))
    else:
        fields["address"] = _text(address)
    created = get("createdAt") or get("created_at")
    if isinstance(created, str):
        with contextlib.suppress(ValueError):
            fields["created_at"] = parse_iso_time(created)
    return {k: v for k, v in fields.items() if v is not None}
