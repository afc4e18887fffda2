"""Exports of what identity resolution made: ``identities`` (which source record is which
customer, how sure) and ``customers`` (golden records), as CSV, Parquet or JSON Lines.

Rows stream from the warehouse in Arrow batches to the output, so a table of millions of rows
is written in constant memory. A file is written beside its final name and renamed at the end:
a failed export leaves no half-written file behind.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from pydantic import BaseModel

from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.storage.schema import canonical_tables

ExportTable = Literal["identities", "customers"]
ExportFormat = Literal["csv", "parquet", "json"]
EXPORT_TABLES: tuple[ExportTable, ...] = ("identities", "customers")
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "parquet", "json")
#: identities: the columns a downstream system joins on first
IDENTITY_COLUMNS = (
    "source", "source_id", "customer_id", "match_probability", "method", "record_id",
    "resolved_at",
)  # fmt: skip
#: columns holding JSON documents as text: JSON Lines exports write them as objects
JSON_COLUMNS = {"customers": ("attributes",)}
BATCH_ROWS = 65_536


class ExportReport(BaseModel):
    """What an export wrote."""

    table: ExportTable
    format: ExportFormat
    rows: int
    path: str | None = None
    seconds: float = 0.0


def export_expr(warehouse: Warehouse, table: ExportTable) -> ir.Table:
    """The rows an export writes, in a stable order."""
    if table == "identities":
        identities = warehouse.table("identities")
        return identities.select(*IDENTITY_COLUMNS).order_by(["source", "source_id"])
    if table == "customers":
        customers = warehouse.table("customers")
        columns = [name for name, _ in canonical_tables()["customers"].columns]
        return customers.select(*(c for c in columns if c in customers.columns)).order_by(
            "customer_id"
        )
    raise UsageError(f"cannot export {table!r}: choose one of {', '.join(EXPORT_TABLES)}")


def write_export(
    warehouse: Warehouse,
    table: ExportTable,
    format: ExportFormat,
    out: BinaryIO,
    *,
    batch_rows: int = BATCH_ROWS,
) -> int:
    """Write ``table`` to the binary stream ``out`` in ``format``; return the rows written.

    Examples
    --------
    >>> with open("identities.csv", "wb") as out:  # doctest: +SKIP
    ...     write_export(wh, "identities", "csv", out)
    4301
    """
    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {format!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    expr = export_expr(warehouse, table)
    schema = expr.schema().to_pyarrow()
    batches = warehouse.to_pyarrow_batches(expr, rows=batch_rows)
    if format == "csv":
        return _write_csv(batches, schema, out)
    if format == "parquet":
        return _write_parquet(batches, schema, out)
    return _write_json_lines(batches, out, JSON_COLUMNS.get(table, ()))


def export_to_file(
    warehouse: Warehouse, table: ExportTable, format: ExportFormat, path: str | Path
) -> ExportReport:
    """Write ``table`` to the file ``path`` (replacing it only once every row is written)."""
    started = time.perf_counter()
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{target} is a folder: give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"folder {target.parent} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            rows = write_export(warehouse, table, format, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return ExportReport(
        table=table,
        format=format,
        rows=rows,
        path=str(target),
        seconds=round(time.perf_counter() - started, 3),
    )


def export_to_stdout(warehouse: Warehouse, table: ExportTable, format: ExportFormat) -> int:
    """Write ``table`` as CSV or JSON Lines to standard output (Parquet needs a file)."""
    if format == "parquet":
        raise UsageError("Parquet is binary: give --out FILE")
    out = sys.stdout.buffer
    try:
        rows = write_export(warehouse, table, format, out)
        out.flush()
    except BrokenPipeError:  # the reader stopped (`| head`): nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return rows


def _write_csv(batches: Iterator[pa.RecordBatch], schema: pa.Schema, out: BinaryIO) -> int:
    rows = 0
    with pa_csv.CSVWriter(out, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _write_parquet(batches: Iterator[pa.RecordBatch], schema: pa.Schema, out: BinaryIO) -> int:
    rows = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _write_json_lines(
    batches: Iterator[pa.RecordBatch], out: BinaryIO, json_columns: tuple[str, ...]
) -> int:
    rows = 0
    for batch in batches:
        lines = []
        for row in batch.to_pylist():
            for column in json_columns:
                row[column] = _json_value(row.get(column))
            lines.append(json.dumps(row, ensure_ascii=False, default=_iso))
        if lines:
            out.write(("\n".join(lines) + "\n").encode("utf-8"))
        rows += batch.num_rows
    return rows


def _json_value(text: Any) -> Any:
    if not isinstance(text, str) or not text:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _iso(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
