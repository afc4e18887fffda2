"""The warehouse object: tables, migrations, idempotent atomic appends, counts."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from cxloop.errors import WarehouseError
from cxloop.storage.backends import Backend, backend_for_url
from cxloop.storage.read_cache import ReadCache
from cxloop.storage.schema import (
    MIGRATIONS,
    MIGRATIONS_TABLE,
    AddColumn,
    CreateTable,
    arrow_schema,
    canonical_tables,
    key_column,
)

_MIGRATIONS_SCHEMA = ibis.schema(
    {"version": "int64", "description": "string", "applied_at": "timestamp('UTC')"}
)


@dataclass(frozen=True)
class AppendResult:
    """What an append did: rows offered, rows inserted, rows already there."""

    table: str
    offered: int
    inserted: int

    @property
    def skipped(self) -> int:
        return self.offered - self.inserted


class Warehouse:
    """One warehouse, named by a URL. Safe to share between threads (calls take turns).

    Examples
    --------
    >>> wh = open_warehouse("duckdb:///:memory:")
    >>> wh.counts()["customers"]
    0
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._in_transaction = False
        #: held by whoever uses the warehouse from several threads (the server)
        self.lock = threading.RLock()
        #: writes through this object per table (part of :meth:`data_version`)
        self._writes: dict[str, int] = {}
        #: results of read queries kept by :func:`~cxloop.storage.read_cache.cached_read`
        self.read_cache = ReadCache()

    @property
    def url(self) -> str:
        return self.backend.url

    @property
    def ibis(self) -> ibis.BaseBackend:
        """The Ibis connection, for building expressions."""
        return self.backend.ibis

    # -- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.lock:
            if MIGRATIONS_TABLE not in self.backend.list_tables():
                return 0
            t = self.ibis.table(MIGRATIONS_TABLE)
            value = t.version.max().execute()
        return 0 if value is None or pd.isna(value) else int(value)

    def migrate(self) -> list[int]:
        """Apply every pending migration, all in one transaction; return their versions.

        Either the schema reaches the latest version or it stays as it was. The tables present
        are listed once, not once per migration, and the applied versions are recorded in one
        append: a fresh DuckDB warehouse is created in about a tenth of the time it took with a
        transaction, a listing and an append per migration.
        """
        tables = set(self.backend.list_tables())
        current = self.schema_version() if MIGRATIONS_TABLE in tables else 0
        pending = [m for m in MIGRATIONS if m.version > current]
        if not pending and MIGRATIONS_TABLE in tables:
            return []
        with self.transaction():
            if MIGRATIONS_TABLE not in tables:
                self.backend.create_table(MIGRATIONS_TABLE, _MIGRATIONS_SCHEMA)
            for migration in pending:
                for op in migration.operations:
                    if isinstance(op, CreateTable):
                        if op.name not in tables:
                            self.backend.create_table(op.name, op.schema)
                            tables.add(op.name)
                    elif isinstance(op, AddColumn):
                        self.backend.add_column(op.table, op.column, op.type)
                    else:
                        self._index_key_prefixes(op.table)
            if pending:
                now = _now()
                rows = pa.table(
                    {
                        "version": [m.version for m in pending],
                        "description": [m.description for m in pending],
                        "applied_at": pa.array([now] * len(pending), pa.timestamp("us", tz="UTC")),
                    }
                )
                self.backend.append_new(MIGRATIONS_TABLE, rows, "version")
        return [m.version for m in pending]

    def _index_key_prefixes(self, table: str) -> None:
        """Let the backend index ``table``'s key for prefix lookups, where the key is text."""
        key = key_column(table)
        if dict(canonical_tables()[table].columns)[key].is_string():
            self.backend.add_key_prefix_index(table, key)

    # -- reading ------------------------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        """An Ibis expression over a canonical table."""
        if name not in canonical_tables():
            raise WarehouseError(f"no canonical table named {name!r}")
        with self.lock:  # Ibis reads the table's schema from the database
            return self.ibis.table(name)

    def to_pandas(self, expr: ir.Expr) -> pd.DataFrame:
        with self.lock:
            return self.ibis.to_pandas(expr)

    def to_pyarrow(self, expr: ir.Expr) -> pa.Table:
        with self.lock:
            return self.ibis.to_pyarrow(expr)

    def to_pyarrow_batches(self, expr: ir.Table, *, rows: int = 65_536) -> Iterator[pa.RecordBatch]:
        """Run ``expr`` and yield its result in Arrow batches of about ``rows`` rows, so a
        large table can be written out without holding it in memory. Consume it in the
        thread that started it: the warehouse stays locked until the last batch."""
        with self.lock:
            reader = self.ibis.to_pyarrow_batches(expr, chunk_size=rows)
            try:
                yield from reader
            finally:
                reader.close()

    def counts(self) -> dict[str, int]:
        """Row count of every canonical table."""
        with self.lock:
            present = set(self.backend.list_tables())
            return {
                name: self.backend.count(name) if name in present else 0
                for name in canonical_tables()
            }

    def data_version(self, tables: Iterable[str]) -> tuple[tuple[str, int, int], ...]:
        """Per table: its row count and how many writes this object has made to it. Any
        write changes it (see :mod:`cxloop.storage.read_cache`)."""
        with self.lock:
            present = set(self.backend.list_tables())
            return tuple(
                (name, self.backend.count(name) if name in present else -1,
                 self._writes.get(name, 0))
                for name in sorted(set(tables))
            )  # fmt: skip

    def _written(self, table: str) -> None:
        with self.lock:
            self._writes[table] = self._writes.get(table, 0) + 1

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """All writes inside happen together or not at all (nesting joins the outer one)."""
        with self.lock:
            if self._in_transaction:
                yield self
                return
            self.backend.begin()
            self._in_transaction = True
            try:
                yield self
            except BaseException:
                self.backend.rollback()
                raise
            else:
                self.backend.commit()
            finally:
                self._in_transaction = False

    def append(
        self, table: str, data: pa.Table | pa.RecordBatch, *, keys_known_new: bool = False
    ) -> AppendResult:
        """Append rows whose key is new; rows with a key already present are skipped.

        Idempotent (a retried batch adds nothing) and atomic (all or nothing).

        Parameters
        ----------
        table
            A canonical table.
        data
            Rows with (some of) the table's columns, its key column among them.
        keys_known_new
            The caller has made sure, inside the same transaction, that no key of ``data``
            was in the table (the file importer does so with :meth:`holds_keys`) and will
            call :meth:`drop_repeated_keys` before it commits; the rows are then inserted
            without looking for their keys in the table, which is what makes a large import
            fast. The collector instead inserts exactly the keys :meth:`claim_keys` gave it,
            in the same transaction. Wrong use breaks idempotence: leave it false otherwise.
            Backends without
            ``unchecked_inserts`` (Postgres, Spark) check the keys all the same.
        """
        if isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        self._check_columns(table, data.column_names)
        key = key_column(table)
        if key not in data.column_names:
            raise WarehouseError(f"rows for {table!r} lack their key column {key!r}")
        self._written(table)
        with self.transaction():
            if keys_known_new and self.backend.unchecked_inserts:
                inserted = self.backend.insert(table, data)
            else:
                inserted = self.backend.append_new(table, data, key)
        return AppendResult(table, data.num_rows, inserted)

    def claim_keys(
        self, table: str, keys: list[str], *, window: timedelta, now: datetime | None = None
    ) -> set[str]:
        """Of ``keys``, those that ``table`` has not received within ``window``; they are
        claimed (a second call with them returns none), in the current transaction.

        The event collector's de-duplication: the caller inserts exactly the keys returned
        (with ``append(..., keys_known_new=True)``) in the same transaction. On DuckDB the
        keys are checked against an indexed side table of the keys claimed within
        ``window`` (seeded, the first time a source prefix is seen, from the rows whose
        ``imported_at`` is in the window), so the cost does not grow with the table, and a
        key older than the window is claimable again. Postgres and Spark check every row.

        Parameters
        ----------
        table
            A canonical table with an ``imported_at`` column.
        keys
            Key values (repeats and nulls are ignored).
        window
            How far back a key counts as already received.
        now
            The time the keys are claimed at (default: now).

        Examples
        --------
        >>> wh = open_warehouse("duckdb:///:memory:")
        >>> with wh.transaction():
        ...     sorted(wh.claim_keys("events", ["web:1", "web:2"], window=timedelta(hours=24)))
        ['web:1', 'web:2']
        >>> wh.claim_keys("events", ["web:2", "web:3"], window=timedelta(hours=24))
        {'web:3'}
        """
        self._check_columns(table, ["imported_at"])
        distinct = pa.array(sorted({k for k in keys if k is not None}), pa.string())
        with self.transaction():
            return self.backend.claim_keys(
                table, key_column(table), distinct, now or _now(), window
            )

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` is open (writes now join it)."""
        return self._in_transaction

    def parquet_relation(
        self, path: str, line_column: str, first_line: int | None = 1
    ) -> str | None:
        """SQL for reading a Parquet file in the warehouse's own engine, each row numbered
        from ``first_line`` in ``line_column`` (NULL there when ``first_line`` is None: a
        query that reports no row reads the file without numbering it); None when the
        engine cannot read it."""
        return self.backend.parquet_relation(path, line_column, first_line)

    def insert_checked(
        self,
        table: str,
        query: str,
        columns: list[str],
        ok_column: str,
        progress: Callable[[float], None] | None = None,
    ) -> int:
        """Insert ``columns`` of the rows of ``query`` (SQL over :meth:`parquet_relation`)
        whose ``ok_column`` is true, in one statement run by the engine; return how many.

        Keys are not looked at: the caller makes sure, in the same transaction, that they
        were new (for instance with :meth:`holds_keys` before and :meth:`repeated_keys`
        after). ``progress`` gets the fraction done now and then.
        """
        self._check_columns(table, columns)
        self._written(table)
        with self.transaction():
            return self.backend.insert_checked(table, query, columns, ok_column, progress)

    def repeated_keys(self, table: str, prefix: str = "") -> int:
        """How many rows whose key starts with ``prefix`` may share it with another row or
        have none (0: every such key is certainly unique)."""
        self._check_columns(table, [])
        with self.lock:
            return self.backend.repeated_keys(table, key_column(table), prefix)

    def drop_repeated_keys(self, table: str, prefix: str = "") -> int:
        """Delete the rows whose key starts with ``prefix`` and repeats the key of a row
        inserted before it, so each key is left once, on its first row; return how many.

        An import that appended with ``keys_known_new`` into a table that held none of its
        keys calls it last, in the same transaction: the result is what key-checked appends
        would have given, at the cost of one sort of the new keys' hashes when none repeats.
        """
        self._check_columns(table, [])
        if not self.backend.unchecked_inserts:
            return 0  # its appends checked every key: nothing can repeat
        self._written(table)
        with self.transaction():
            return self.backend.drop_repeated_keys(table, key_column(table), prefix)

    def holds_keys(self, table: str, prefix: str = "") -> bool:
        """Whether some row of ``table`` has a key that starts with ``prefix``.

        With the empty prefix: whether the table has any row at all.
        """
        self._check_columns(table, [])
        with self.lock:
            return self.backend.holds_key_prefix(table, key_column(table), prefix)

    def append_rows(self, table: str, rows: list[dict[str, object]]) -> AppendResult:
        """Append plain rows (dicts with the same columns), typed by the table's schema."""
        self._check_columns(table, list(rows[0]) if rows else [])
        columns = list(rows[0]) if rows else [key_column(table)]
        return self.append(table, pa.Table.from_pylist(rows, schema=arrow_schema(table, columns)))

    def delete(self, table: str, column: str, values: list[str]) -> int:
        """Delete the rows whose ``column`` is one of ``values``; return how many. Deleted
        by their key, they are forgotten by :meth:`claim_keys` too."""
        self._check_columns(table, [column])
        self._written(table)
        with self.transaction():
            deleted = self.backend.delete_where_in(table, column, values)
            if column == key_column(table):
                self.backend.forget_claimed(table, values)
            return deleted

    def delete_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        """Delete the rows whose timestamp ``column`` is before ``cutoff`` (retention)."""
        self._check_columns(table, [column])
        self._written(table)
        with self.transaction():
            return self.backend.delete_older_than(table, column, cutoff)

    def count_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        """How many rows of ``table`` have a timestamp ``column`` before ``cutoff``."""
        self._check_columns(table, [column])
        with self.lock:
            return self.backend.count_older_than(table, column, cutoff)

    def update(self, table: str, column: str, values: list[str], changes: dict[str, object]) -> int:
        """Set ``changes`` on the rows whose ``column`` is one of ``values``."""
        self._check_columns(table, [column, *changes])
        self._written(table)
        with self.transaction():
            return self.backend.update_where_in(table, column, values, changes)

    def replace(self, table: str, data: pa.Table) -> AppendResult:
        """Insert rows, replacing those with the same key (an upsert), atomically."""
        key = key_column(table)
        if key not in data.column_names:
            return self.append(table, data)
        self._check_columns(table, data.column_names)
        self._written(table)
        with self.transaction():
            inserted = self.backend.replace_rows(table, data, key)
        return AppendResult(table, data.num_rows, inserted)

    def splink_api(self) -> Any | None:
        """The Splink database API that links records on the warehouse's own engine (Spark);
        None where Splink runs on a private in-memory DuckDB instead."""
        return self.backend.splink_api()

    def _check_columns(self, table: str, columns: list[str]) -> None:
        spec = canonical_tables().get(table)
        if spec is None:
            raise WarehouseError(f"no canonical table named {table!r}")
        unknown = set(columns) - {c for c, _ in spec.columns}
        if unknown:
            raise WarehouseError(f"table {table!r} has no column(s) {sorted(unknown)}")

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _now() -> datetime:
    return datetime.now(UTC)


def open_warehouse(
    url: str,
    *,
    read_only: bool = False,
    migrate: bool = True,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
    options: Mapping[str, str] | None = None,
    retired_kept_s: float | None = None,
) -> Warehouse:
    """Open the warehouse at ``url`` and bring its schema up to date.

    Parameters
    ----------
    url
        The warehouse URL (``duckdb:///path/file.duckdb``, ``postgresql://…``, ``spark:///…``).
    read_only
        Open it for reading only (no migration then).
    migrate
        Apply pending migrations.
    memory_limit
        Most memory DuckDB's buffers may hold (``"2GB"``); beyond it they spill to
        ``temp_directory``. None: the engine's default.
    temp_directory
        Where DuckDB spills; None: the engine's default.
    options
        Engine settings (:meth:`cxloop.config.Settings.engine_options`; Spark's).
    retired_kept_s
        Spark only: seconds the files a commit replaced stay for readers in other processes
        (setting ``spark_retired_kept_s``; None: 600).
    """
    backend = backend_for_url(
        url,
        read_only=read_only,
        memory_limit=memory_limit,
        temp_directory=temp_directory,
        options=options,
        retired_kept_s=retired_kept_s,
    )
    warehouse = Warehouse(backend)
    if migrate and not read_only:
        try:
            warehouse.migrate()
        except BaseException:
            warehouse.close()
            raise
    return warehouse
