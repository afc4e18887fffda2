"""Putting activity under its customer: ``customer_id`` of events, orders and feedback, from
the source's own id of the person (``source`` + ``source_customer_id``) — or, for events sent
before a person was identified, their ``anonymous_id`` as the collector linked it.

Queries are Ibis expressions, so they run where the warehouse is; only the changed rows come
back to be written, at most :data:`BATCH_ROWS` of them at a time: a first resolution changes
every row (50M events at 1M customers), which fetched at once held the whole events table in
memory, about 9 GB at 50M rows (see docs/capacity.md, "Resolve's memory").
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from cxloop.storage import Warehouse

#: activity tables and the columns that carry a source's id of the person, strongest first
ACTIVITY_TABLES: dict[str, tuple[str, ...]] = {
    "events": ("source_customer_id", "anonymous_id"),
    "orders": ("source_customer_id",),
    "feedback": ("source_customer_id",),
}
#: most changed rows of one table fetched and written at once; more are written in slices
BATCH_ROWS = 5_000_000
ID_MAP_SCHEMA = pa.schema(
    [
        ("map_source", pa.string()),
        ("map_external_id", pa.string()),
        ("map_customer_id", pa.string()),
    ]
)


def id_map(records: pd.DataFrame, aliases: pd.DataFrame) -> pa.Table:
    """(source, external id) → customer id, for every source record and every id the collector
    linked to one. ``records`` has record_id, source, source_id, customer_id; ``aliases`` has
    source, external_id, record_id."""
    own = pd.DataFrame(
        {
            "map_source": records["source"].to_numpy(),
            "map_external_id": records["source_id"].astype(str).to_numpy(),
            "map_customer_id": records["customer_id"].to_numpy(),
        }
    )
    parts = [own]
    if not aliases.empty:
        customer_of = dict(zip(records["record_id"], records["customer_id"], strict=True))
        linked = pd.DataFrame(
            {
                "map_source": aliases["source"].to_numpy(),
                "map_external_id": aliases["external_id"].astype(str).to_numpy(),
                "map_customer_id": aliases["record_id"].map(customer_of).to_numpy(),
            }
        ).dropna(subset=["map_customer_id"])
        parts.append(linked)
    frame = pd.concat(parts, ignore_index=True).drop_duplicates(
        ["map_source", "map_external_id"], keep="first"
    )
    return pa.Table.from_pandas(frame, schema=ID_MAP_SCHEMA, preserve_index=False)


def _with_new_customer(table: ir.Table, mapping: ir.Table, id_columns: tuple[str, ...]) -> ir.Table:
    """``table`` joined to its customer through each id column in turn; ``_new`` holds the
    first customer found."""
    found: list[Any] = []
    joined = table
    for i, column in enumerate(id_columns):
        m = mapping.rename(
            **{
                f"_src{i}": "map_source",
                f"_ext{i}": "map_external_id",
                f"_cid{i}": "map_customer_id",
            }
        )
        joined = joined.left_join(
            m, [joined.source == m[f"_src{i}"], joined[column] == m[f"_ext{i}"]]
        )
        found.append(ibis._[f"_cid{i}"])
    new = ibis.coalesce(*found) if len(found) > 1 else found[0]
    return joined.mutate(_new=new)


def link_activity(
    warehouse: Warehouse, mapping: pa.Table, *, batch_rows: int | None = None
) -> tuple[dict[str, int], set[str]]:
    """Set ``customer_id`` on every activity row whose customer is not the one ``mapping``
    gives (new rows, rows of merged customers).

    Returns the rows changed per table, and the customers those rows now belong to. Call it
    inside the transaction that writes the identities, so that both land together. Where more
    than ``batch_rows`` (default :data:`BATCH_ROWS`) rows of a table change, they are fetched
    and written in slices of about that many (by their time, ``epoch seconds mod slices``), so
    the rows held in memory at once stay bounded.
    """
    batch = batch_rows or BATCH_ROWS
    if mapping.num_rows == 0:
        return dict.fromkeys(ACTIVITY_TABLES, 0), set()
    memo = ibis.memtable(mapping)
    changed: dict[str, int] = {}
    touched: set[str] = set()
    for name, id_columns in ACTIVITY_TABLES.items():
        table = warehouse.table(name)
        joined = _with_new_customer(table, memo, id_columns)
        differs = joined.filter(~joined._new.identical_to(joined.customer_id))
        rows = differs.select(
            *[
                (differs._new.cast("string").name(c) if c == "customer_id" else differs[c])
                for c in table.columns
            ]
        )
        schema = warehouse.to_pyarrow(table.limit(0)).schema
        changed[name] = 0
        for data in _changed_rows(warehouse, rows, batch):
            changed[name] += data.num_rows
            touched.update(v for v in data.column("customer_id").unique().to_pylist() if v)
            warehouse.replace(name, data.cast(schema))
    return changed, touched


def _changed_rows(warehouse: Warehouse, rows: ir.Table, batch_rows: int) -> Iterator[pa.Table]:
    """``rows`` fetched at once if there are at most ``batch_rows`` (one query, as in most
    incremental runs), else in slices of about ``batch_rows``: rows of disjoint times, each
    written before the next is fetched (a written row no longer differs, and is in no other
    slice)."""
    first = warehouse.to_pyarrow(rows.limit(batch_rows + 1))
    if first.num_rows <= batch_rows:
        if first.num_rows:
            yield first
        return
    del first
    total = int(warehouse.to_pandas(rows.count()))
    slices = math.ceil(total / batch_rows)
    part = (rows.ts.epoch_seconds().cast("int64") % slices).fill_null(0)
    for i in range(slices):
        data = warehouse.to_pyarrow(rows.filter(part == i))
        if data.num_rows:
            yield data


def activity_span(warehouse: Warehouse, customer_ids: list[str] | None) -> pd.DataFrame:
    """First and last activity time (events, orders, feedback) of each customer in
    ``customer_ids`` (``None``: every customer)."""
    parts = [warehouse.table(name).select("customer_id", "ts") for name in ACTIVITY_TABLES]
    union = ibis.union(*parts)
    union = union.filter(union.customer_id.notnull())
    if customer_ids is not None:
        if not customer_ids:
            return pd.DataFrame(columns=["customer_id", "first_ts", "last_ts"])
        wanted = ibis.memtable(pa.table({"customer_id": pa.array(customer_ids, pa.string())}))
        union = union.filter(union.customer_id.isin(wanted.customer_id))
    span = union.group_by("customer_id").aggregate(first_ts=union.ts.min(), last_ts=union.ts.max())
    return warehouse.to_pandas(span)
