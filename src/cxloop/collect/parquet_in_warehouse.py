"""The fast path for Parquet files: the warehouse's engine reads, checks and inserts the file.

A Parquet import otherwise streams Arrow batches through a scratch DuckDB (coercion and checks)
and hands the good rows to the warehouse. When the warehouse's engine can read the file itself
(DuckDB), the same plan runs there as one ``INSERT … SELECT`` over the file: no Arrow batch
crosses into Python, and reading, checking and writing run in one parallel pipeline. It is an
optimistic path for clean files into a target that holds none of the source's ids:

* the rows are checked with the plan's cheap boolean (no error list is built) and only good
  rows are inserted; if any row was bad, or any id turns out repeated in the file, the
  transaction is rolled back and the importer takes its general path, which gives the full
  report (``file:row:column`` errors), the rejects file and the skipping of repeated ids;
* a target that already holds some of the source's ids (a re-import, an overlapping file) also
  takes the general path, which skips the ids already present.

So the result is the same rows and the same report either way
(tests/collect/test_importer_fast_path.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from cxloop.collect.coercion import arrow_category
from cxloop.collect.file_formats import SourceFile
from cxloop.collect.import_plan import LINE_COLUMN, OK_COLUMN, ImportPlan
from cxloop.storage.warehouse import Warehouse

# Arrow types that DuckDB reads from Parquet as it reads them from Arrow (same SQL types)
_PLAIN = {"string", "integer", "float", "boolean", "timestamp", "timestamptz", "date"}


class _NotClean(Exception):
    """The file has a bad row or a repeated id: roll back and take the general path."""


def parquet_relation(warehouse: Warehouse, file: SourceFile) -> str | None:
    """SQL reading ``file`` in the warehouse's engine, or None where the path does not apply.

    It applies to a Parquet file whose columns all have plain types (text, numbers,
    booleans, dates, timestamps), into a warehouse that can read it, outside any transaction
    the caller holds open (a failed attempt must be rolled back on its own).
    """
    schema = file.schema
    if file.format != "parquet" or schema is None or warehouse.in_transaction:
        return None
    if {"file_row_number", LINE_COLUMN} & set(schema.names):
        return None
    if any(pa.types.is_null(t) or arrow_category(t) not in _PLAIN for t in schema.types):
        return None
    # unnumbered: this path reports no row (a bad file is read again by the general path)
    return warehouse.parquet_relation(str(file.path.resolve()), LINE_COLUMN, None)


def load_parquet_in_warehouse(
    warehouse: Warehouse,
    plan: ImportPlan,
    relation: str,
    rows: int,
    progress: Callable[[int, int | None], None] | None = None,
) -> int | None:
    """Insert all ``rows`` of the file read by ``relation`` in one transaction.

    Returns
    -------
    int or None
        The rows inserted; None when the target already held ids of this source or the file
        has a bad row or a repeated id. Nothing is changed then.
    """
    table = plan.kind.table
    prefix = plan.source + ":" if plan.kind.source_scoped else ""
    if warehouse.holds_keys(table, prefix):
        return None

    def fraction_done(fraction: float) -> None:
        if progress is not None:
            progress(int(fraction * rows), rows)

    query = plan.query(relation, errors=False)
    try:
        with warehouse.transaction():
            inserted = warehouse.insert_checked(
                table, query, plan.output_columns, OK_COLUMN, fraction_done
            )
            # the target held no id with the prefix: those it holds now are this file's
            if inserted != rows or warehouse.repeated_keys(table, prefix):
                raise _NotClean
    except _NotClean:
        return None
    if progress is not None:
        progress(rows, rows)
    return inserted
