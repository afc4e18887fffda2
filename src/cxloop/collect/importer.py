"""File import: read a file, map and coerce its columns, validate, append to the warehouse.

An import is all or nothing: a file with bad rows loads nothing and gets a report naming each
problem as ``file:line:column: message``, unless ``skip_bad_rows`` is set, in which case the good
rows load and the bad ones are written, with their errors, to a rejects file. Re-importing a file
adds nothing: each record's id is ``<source>:<its id in the source>``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from pydantic import BaseModel, Field

from cxloop.collect.file_formats import SourceFile, open_source_file
from cxloop.collect.import_plan import ERRORS_COLUMN, LINE_COLUMN, ImportPlan, build_plan
from cxloop.collect.mapping import Mapping, load_mapping
from cxloop.collect.parquet_in_warehouse import load_parquet_in_warehouse, parquet_relation
from cxloop.collect.prefetch import prefetched
from cxloop.collect.text_trimming import add_trimmed_columns
from cxloop.domain.records import IMPORT_KINDS, ImportKind
from cxloop.errors import UsageError, ValidationReportError
from cxloop.storage.scratch import ScratchEngine
from cxloop.storage.warehouse import Warehouse

MAX_REPORTED_ERRORS = 20
ProgressCallback = Callable[[int, int | None], None]


class RowError(BaseModel):
    """One problem in one cell of a source file."""

    line: int = Field(description="Line of the record in the file (row number for Parquet).")
    column: str = Field(description="The source column (or canonical field) at fault.")
    field: str = Field(description="The canonical field it feeds.")
    message: str

    def describe(self, file: str) -> str:
        return f"{file}:{self.line}:{self.column}: {self.message}"


class ImportReport(BaseModel):
    """What an import did (the ``--json`` output of ``cxloop import``)."""

    file: str
    kind: str
    source: str | None
    table: str
    rows_read: int = 0
    rows_inserted: int = 0
    rows_already_present: int = 0
    rows_rejected: int = 0
    error_count: int = 0
    errors: list[RowError] = Field(default_factory=list)
    rejects_file: str | None = None
    columns: dict[str, str] = Field(default_factory=dict, description="field → source column")
    kept_as_attributes: list[str] = Field(default_factory=list)
    ignored_columns: list[str] = Field(default_factory=list)
    seconds: float = 0.0

    def error_lines(self) -> list[str]:
        name = Path(self.file).name
        return [e.describe(name) for e in self.errors]


def resolve_kind(kind: str) -> ImportKind:
    try:
        return IMPORT_KINDS[kind]
    except KeyError:
        raise UsageError(
            f"unknown import kind {kind!r} (expected one of: {', '.join(IMPORT_KINDS)})"
        ) from None


def default_source(path: Path) -> str:
    """The source name used when none is given: the file's stem, e.g. ``crm_customers``."""
    stem = path.name.split(".")[0]
    return re.sub(r"[^A-Za-z0-9_.\-]+", "_", stem).strip("_").lower() or "file"


def import_file(
    warehouse: Warehouse,
    kind: str,
    path: str | Path,
    *,
    source: str | None = None,
    mapping: Mapping | str | Path | None = None,
    id_column: str | None = None,
    skip_bad_rows: bool = False,
    rejects_path: str | Path | None = None,
    batch_rows: int = 1_000_000,
    timezone: str = "UTC",
    progress: ProgressCallback | None = None,
    fast: bool = True,
) -> ImportReport:
    """Import one file of ``kind`` (customers, events, orders, feedback, teams, employees,
    employee_pulses) into the warehouse.

    Parameters
    ----------
    warehouse
        An open warehouse.
    kind
        The import kind; it decides the target table and the canonical fields.
    path
        A CSV, JSON Lines or Parquet file.
    source
        The system the data comes from (default: the mapping's, else the file's stem).
    mapping
        A :class:`Mapping` or the path of a mapping YAML file.
    id_column
        The source column that holds each record's id (default: the canonical name).
    skip_bad_rows
        Load the good rows and write the bad ones to ``rejects_path``.
    progress
        Called as ``progress(units_done, units_total)`` after each batch.
    fast
        Take the fast paths: a clean Parquet file is read, checked and inserted by the
        warehouse's own engine in one statement
        (:mod:`~cxloop.collect.parquet_in_warehouse`); otherwise text trimmed in Arrow
        (:mod:`~cxloop.collect.text_trimming`) and,
        when the target held none of the file's ids, batches inserted without looking their
        ids up in the warehouse, repeated ids removed once at the end
        (:meth:`~cxloop.storage.warehouse.Warehouse.drop_repeated_keys`); and the next batch
        is read while one is loaded
        (:mod:`~cxloop.collect.prefetch`). False takes the general path everywhere; the
        result is the same (tests compare the two).

    Returns
    -------
    ImportReport

    Raises
    ------
    ValidationReportError
        When rows are invalid and ``skip_bad_rows`` is false; nothing is loaded.
    """
    started = time.perf_counter()
    spec = resolve_kind(kind)
    path = Path(path)
    mapping_name = "mapping"
    if isinstance(mapping, str | Path):
        mapping_name = str(mapping)
        mapping = load_mapping(mapping)
    if mapping is not None and mapping.kind is not None and mapping.kind != spec.name:
        raise UsageError(f"{mapping_name}: mapping is for {mapping.kind}, not {spec.name}")
    source = source or (mapping.source if mapping else None) or default_source(path)
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", source):
        raise UsageError(f"source name {source!r}: use letters, digits, '_', '-' or '.'")

    file = open_source_file(path)
    report = ImportReport(
        file=str(path),
        kind=spec.name,
        source=source if spec.source_scoped else None,
        table=spec.table,
    )
    imported_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")
    plan: ImportPlan | None = None
    relation = parquet_relation(warehouse, file) if fast else None
    if relation is not None and file.schema is not None and file.total_units:
        plan = build_plan(
            spec,
            file.schema.append(pa.field(LINE_COLUMN, pa.int64())),
            source=source,
            mapping=mapping,
            id_column=id_column,
            timezone=timezone,
            imported_at_sql=f"TIMESTAMPTZ '{imported_at}'",
            mapping_name=mapping_name,
            file_name=path.name,
        )
        inserted = load_parquet_in_warehouse(warehouse, plan, relation, file.total_units, progress)
        if inserted is not None:
            report.columns = dict(plan.field_sources)
            report.kept_as_attributes = plan.extra_columns
            report.ignored_columns = plan.ignored_columns
            report.rows_read = report.rows_inserted = inserted
            report.seconds = round(time.perf_counter() - started, 3)
            return report
        plan = None  # not clean, or ids already present: the general path below
    rejects = _RejectsWriter(Path(rejects_path) if rejects_path else _default_rejects(path))
    line = file.first_data_line
    with ScratchEngine() as scratch:
        # whether the target held no id this import can produce: then batches go in without
        # a key lookup, and the ids the file repeats are dropped once, before the commit
        fresh_target = False
        prefix = source + ":" if spec.source_scoped else ""
        try:
            with warehouse.transaction():
                batches = file.iter_batches(batch_rows)
                for batch, done in prefetched(batches) if fast else batches:
                    lines = pa.array(range(line, line + batch.num_rows), pa.int64())
                    line += batch.num_rows
                    batch = batch.append_column(LINE_COLUMN, lines)
                    if plan is None:
                        plan = build_plan(
                            spec,
                            batch.schema,
                            source=source,
                            mapping=mapping,
                            id_column=id_column,
                            timezone=timezone,
                            imported_at_sql=f"TIMESTAMPTZ '{imported_at}'",
                            mapping_name=mapping_name,
                            file_name=path.name,
                            trim_in_arrow=fast,
                        )
                        report.columns = dict(plan.field_sources)
                        report.kept_as_attributes = plan.extra_columns
                        report.ignored_columns = plan.ignored_columns
                        fresh_target = fast and not warehouse.holds_keys(spec.table, prefix)
                    prepared = add_trimmed_columns(batch, plan.trimmed_copies)
                    result = scratch.query(plan.sql, batch=prepared)
                    good, bad_lines = _split(result, report)
                    report.rows_read += batch.num_rows
                    if bad_lines is not None:
                        report.rows_rejected += len(bad_lines)
                        if skip_bad_rows:
                            rejects.write(batch, bad_lines, result)
                    if report.error_count == 0 or skip_bad_rows:
                        appended = warehouse.append(spec.table, good, keys_known_new=fresh_target)
                        report.rows_inserted += appended.inserted
                        report.rows_already_present += appended.skipped
                    if progress is not None:
                        progress(done, file.total_units)
                if report.error_count and not skip_bad_rows:
                    raise ValidationReportError(_summary(report), report=report)
                if fresh_target and report.rows_inserted:
                    dropped = warehouse.drop_repeated_keys(spec.table, prefix)
                    report.rows_inserted -= dropped
                    report.rows_already_present += dropped
        finally:
            rejects.close()
    if rejects.path_written is not None:
        report.rejects_file = str(rejects.path_written)
    if report.rows_read == 0 and plan is None:
        report.columns = {}
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _split(result: pa.Table, report: ImportReport) -> tuple[pa.Table, pa.Array | None]:
    """Good rows (without helper columns) and the lines of bad ones; record the errors."""
    counts = pc.list_value_length(result[ERRORS_COLUMN])
    bad_mask = pc.greater(counts, 0)
    n_bad = pc.sum(bad_mask).as_py() or 0
    good = result
    bad_lines = None
    if n_bad:
        bad = result.filter(bad_mask)
        report.error_count += int(pc.sum(pc.list_value_length(bad[ERRORS_COLUMN])).as_py())
        room = MAX_REPORTED_ERRORS - len(report.errors)
        if room > 0:
            for line_no, errs in zip(
                bad[LINE_COLUMN].to_pylist()[:room],
                bad[ERRORS_COLUMN].to_pylist()[:room],
                strict=True,
            ):
                for err in errs:
                    if len(report.errors) < MAX_REPORTED_ERRORS:
                        report.errors.append(
                            RowError(
                                line=line_no,
                                column=err["column"],
                                field=err["field"],
                                message=err["message"],
                            )
                        )
        bad_lines = bad[LINE_COLUMN]
        good = result.filter(pc.invert(bad_mask))
    good = good.drop_columns([LINE_COLUMN, ERRORS_COLUMN])
    return good, bad_lines


def _summary(report: ImportReport) -> str:
    name = Path(report.file).name
    first = report.error_lines()[0] if report.errors else name
    more = report.error_count - 1
    tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
    return (
        f"{first}{tail}; nothing was imported from {name} "
        f"({report.rows_rejected} bad row{'s' if report.rows_rejected != 1 else ''} of "
        f"{report.rows_read}; use --skip-bad-rows to load the good ones)"
    )


def _default_rejects(path: Path) -> Path:
    return path.with_name(path.name.split(".")[0] + ".rejects.csv")


class _RejectsWriter:
    """Writes rejected source rows, as text, with their line and errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path_written: Path | None = None
        self._writer: pacsv.CSVWriter | None = None
        self._schema: pa.Schema | None = None

    def write(self, batch: pa.RecordBatch, bad_lines: pa.Array, result: pa.Table) -> None:
        table = pa.Table.from_batches([batch])
        mask = pc.is_in(table[LINE_COLUMN], value_set=bad_lines)
        rows = table.filter(mask)
        errors = result.filter(pc.is_in(result[LINE_COLUMN], value_set=bad_lines))[ERRORS_COLUMN]
        text = [
            "; ".join(f"{e['column']}: {e['message']}" for e in errs) for errs in errors.to_pylist()
        ]
        columns = {"_line": rows[LINE_COLUMN], "_errors": pa.array(text, pa.string())}
        for name in rows.column_names:
            if name != LINE_COLUMN:
                columns[name] = (
                    pc.cast(rows[name], pa.string())
                    if _castable(rows[name].type)
                    else pa.array(
                        [None if v is None else str(v) for v in rows[name].to_pylist()], pa.string()
                    )
                )
        out = pa.table(columns)
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._schema = out.schema
            self._writer = pacsv.CSVWriter(str(self.path), out.schema)
            self.path_written = self.path
        self._writer.write_table(out.cast(self._schema))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _castable(type_: pa.DataType) -> bool:
    return not (pa.types.is_nested(type_) or pa.types.is_dictionary(type_))


def source_file(path: str | Path) -> SourceFile:
    """Open a file as the importer would (for previews)."""
    return open_source_file(path)


__all__ = ["ImportReport", "RowError", "default_source", "import_file", "resolve_kind"]
