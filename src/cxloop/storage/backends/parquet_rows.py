"""Row-level changes to a small table of a Spark warehouse, done on Arrow in the driver.

A Spark job costs a second or more however few rows it touches; most writes of the product
(a case event, an audit row, a migration, a user) touch a table of a few thousand rows. Below
:data:`SMALL_TABLE_ROWS` the Spark backend reads the table's Parquet parts with PyArrow,
computes the new rows here and writes them as a new part: the same files, the same catalog
swap, no Spark job. Each function returns the table's new rows (or the rows to add) and how
many rows the change touched.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

#: tables of at most this many rows are changed on Arrow (past it, by Spark)
SMALL_TABLE_ROWS = 200_000


def read_parts(paths: list[str], schema: pa.Schema) -> pa.Table:
    """Every row of the parts, with ``schema`` (columns a part lacks read as null)."""
    files = [str(f) for path in paths for f in sorted(Path(path).glob("*.parquet"))]
    if not files:
        return schema.empty_table()
    return ds.dataset(files, schema=schema, format="parquet").to_table()


def _in(column: pa.ChunkedArray, values: list[object]) -> pa.ChunkedArray:
    """True where ``column`` is one of ``values``; false where it is null."""
    wanted = pa.array(values).cast(column.type)
    return pc.fill_null(pc.is_in(column, value_set=wanted), False)


def new_keys(table: pa.Table, batch: pa.Table, key: str) -> pa.Table:
    """The rows of ``batch`` whose key is not in ``table``."""
    present = pc.unique(table.column(key))
    if len(present) == 0:
        return batch
    keep = pc.invert(pc.fill_null(pc.is_in(batch.column(key), value_set=present), False))
    return batch.filter(keep)


def without_values(table: pa.Table, column: str, values: list[object]) -> tuple[pa.Table, int]:
    """``table`` less its rows whose ``column`` is one of ``values``; how many went."""
    hit = _in(table.column(column), values)
    removed = pc.sum(hit).as_py() or 0
    return (table.filter(pc.invert(hit)) if removed else table), int(removed)


def with_changes(
    table: pa.Table, column: str, values: list[object], changes: dict[str, object]
) -> tuple[pa.Table, int]:
    """``table`` with ``changes`` set on its rows whose ``column`` is one of ``values``."""
    hit = _in(table.column(column), values)
    changed = int(pc.sum(hit).as_py() or 0)
    if not changed:
        return table, 0
    for name, value in changes.items():
        index = table.schema.get_field_index(name)
        field = table.schema.field(index)
        scalar = (
            pa.scalar(value).cast(field.type) if value is not None else pa.scalar(None, field.type)
        )
        table = table.set_column(index, field, pc.if_else(hit, scalar, table.column(index)))
    return table, changed


def replaced(table: pa.Table, batch: pa.Table, key: str) -> pa.Table:
    """``table`` less the rows whose key ``batch`` has, then ``batch``."""
    keep = pc.invert(
        pc.fill_null(
            pc.is_in(table.column(key), value_set=batch.column(key).combine_chunks()), False
        )
    )
    return pa.concat_tables([table.filter(keep), batch])


def older_than(table: pa.Table, column: str, cutoff: datetime) -> pa.ChunkedArray:
    """True where the timestamp ``column`` is before ``cutoff`` (false where null)."""
    values = table.column(column)
    return pc.fill_null(pc.less(values, pa.scalar(cutoff).cast(values.type)), False)
