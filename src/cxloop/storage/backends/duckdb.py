"""The embedded default: one DuckDB file, opened read-write by one process at a time."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
from ibis.backends.sql.datatypes import DuckDBType

from cxloop.errors import WarehouseBusyError, WarehouseError
from cxloop.storage.arrow_chunks import in_parallel_chunks
from cxloop.storage.backends.base import Backend
from cxloop.storage.backends.duckdb_recent_keys import RecentKeys

_BATCH = "cxloop_arrow_batch"  # the name SQL gives the Arrow batch in ``_over_batch``


def quote(identifier: str) -> str:
    """Quote an SQL identifier for DuckDB."""
    return '"' + identifier.replace('"', '""') + '"'


def path_from_url(url: str) -> str:
    """``duckdb:///abs/file.duckdb`` (or ``duckdb:////abs/…``) → ``/abs/file.duckdb``;
    ``duckdb://rel/file.duckdb`` → ``rel/file.duckdb``; ``duckdb://`` → in memory."""
    rest = url[len("duckdb:") :]
    rest = rest[2:] if rest.startswith("//") else rest
    if rest.lstrip("/") in ("", ":memory:"):
        return ":memory:"
    return "/" + rest.lstrip("/") if rest.startswith("/") else rest


@functools.lru_cache(maxsize=256)
def create_table_sql(name: str, schema: ibis.Schema) -> str:
    """``CREATE TABLE`` for ``schema`` in DuckDB's types, built once per table and schema.

    Examples
    --------
    >>> create_table_sql("t", ibis.schema({"id": "string", "n": "int64"}))
    'CREATE TABLE "t" ("id" VARCHAR, "n" BIGINT)'
    """
    columns = ", ".join(
        f"{quote(column)} {DuckDBType.to_string(type)}" for column, type in schema.items()
    )
    return f"CREATE TABLE {quote(name)} ({columns})"


class DuckDBBackend(Backend):
    """A DuckDB database file (or ``duckdb:///:memory:``)."""

    unchecked_inserts = True

    def __init__(self, url: str, con: ibis.BaseBackend) -> None:
        self.url = url
        self.ibis = con
        self.raw: duckdb.DuckDBPyConnection = con.con  # type: ignore[attr-defined]
        self.recent_keys = RecentKeys(self.raw)

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
        temp_directory: str | None = None,
    ) -> DuckDBBackend:
        path = path_from_url(url)
        if path != ":memory:":
            parent = Path(path).parent
            if not parent.is_dir():
                raise WarehouseError(f"warehouse {url!r}: folder {parent} does not exist")
        try:
            con = ibis.duckdb.connect(database=path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WarehouseBusyError(
                    f"warehouse {path} is in use by another process (is `cxloop serve` "
                    "running?); stop it or send the data through its HTTP API"
                ) from exc
            raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
        con.raw_sql("SET TimeZone = 'UTC'")  # dates and weeks the same on every machine
        for name, value in (("memory_limit", memory_limit), ("temp_directory", temp_directory)):
            if value is None:
                continue
            try:
                con.con.execute(f"SET {name} = ?", [value])
            except duckdb.Error as exc:
                con.disconnect()
                raise WarehouseError(
                    f"setting 'warehouse_{name}' = {value!r}: DuckDB refused it ({exc})"
                ) from exc
        return cls(url, con)

    def list_tables(self) -> list[str]:
        return list(self.ibis.list_tables())

    def create_table(self, name: str, schema: ibis.Schema) -> None:
        """One plain ``CREATE TABLE`` (Ibis's ``create_table`` runs about four statements and
        compiles each: a fresh warehouse's 40 tables took 0.5 CPU-seconds that way)."""
        self.raw.execute(create_table_sql(name, schema))

    def add_column(self, table: str, column: str, type: dt.DataType) -> None:
        sql_type = DuckDBType.to_string(type)
        self.raw.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {sql_type}")

    def begin(self) -> None:
        self.raw.begin()

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()

    def append_new(self, table: str, data: pa.Table, key: str) -> int:
        if data.num_rows == 0:
            return 0
        cols = ", ".join(quote(c) for c in data.column_names)
        k = quote(key)
        # DISTINCT ON is slow (it aggregates every column): only when the batch repeats keys
        repeats = self._over_batch(f"SELECT count(*) - count(DISTINCT {k}) FROM {_BATCH}", data)
        unique = (repeats or (0,))[0] == 0
        rows = f"{_BATCH} AS b" if unique else f"(SELECT DISTINCT ON ({k}) * FROM {_BATCH}) AS b"
        row = self._over_batch(
            f"INSERT INTO {quote(table)} ({cols}) SELECT b.* FROM {rows} "
            f"ANTI JOIN {quote(table)} AS t ON b.{k} = t.{k}",
            data,
        )
        return int(row[0]) if row else 0

    def claim_keys(
        self, table: str, key: str, keys: pa.Array, now: datetime, window: timedelta
    ) -> set[str]:
        """Through the indexed side table of :mod:`.duckdb_recent_keys`: the cost depends on
        the batch, not on the size of ``table``."""
        if len(keys) == 0:
            return set()
        return self.recent_keys.claim(table, key, keys, now, window)

    def forget_claimed(self, table: str, keys: list[str]) -> None:
        self.recent_keys.forget(table, keys)

    def insert(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        cols = ", ".join(quote(c) for c in data.column_names)
        row = self._over_batch(f"INSERT INTO {quote(table)} ({cols}) SELECT * FROM {_BATCH}", data)
        return int(row[0]) if row else 0

    def replace_rows(self, table: str, data: pa.Table, key: str) -> int:
        """Delete by a semi-join on the batch (no list of keys through Python), skipped when
        the table is empty (a first run), then one plain insert."""
        if data.num_rows == 0:
            return 0
        t, k = quote(table), quote(key)
        cols = ", ".join(quote(c) for c in data.column_names)
        repeats = self._over_batch(f"SELECT count(*) - count(DISTINCT {k}) FROM {_BATCH}", data)
        unique = (repeats or (0,))[0] == 0
        rows = _BATCH if unique else f"(SELECT DISTINCT ON ({k}) * FROM {_BATCH})"
        present = self.raw.execute(f"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1)")
        if (present.fetchone() or (0,))[0]:
            self._over_batch(f"DELETE FROM {t} WHERE {k} IN (SELECT {k} FROM {_BATCH})", data)
        row = self._over_batch(f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {rows}", data)
        return int(row[0]) if row else 0

    def _over_batch(self, sql: str, data: pa.Table) -> tuple[Any, ...] | None:
        """Run ``sql``, in which the name ``cxloop_arrow_batch`` is ``data``; its first row.

        The batch is found by DuckDB's replacement scan (a local variable of this frame), not
        registered as a view: a view created and dropped inside a transaction stays in the
        catalog, holding its Arrow data, until the transaction ends, so an import of many
        batches in one transaction kept every batch in memory (about 145 bytes a row of
        events, measured; see docs/benchmarks.md, "Import memory").
        """
        cxloop_arrow_batch = in_parallel_chunks(data)  # noqa: F841  (read by name in ``sql``)
        self.raw.execute("SET python_enable_replacements = true")
        try:
            return self.raw.execute(sql).fetchone()
        finally:
            self.raw.execute("SET python_enable_replacements = false")

    def parquet_relation(self, path: str, line_column: str, first_line: int | None) -> str:
        literal = "'" + path.replace("'", "''") + "'"
        if first_line is None:
            return f"(SELECT *, NULL::BIGINT AS {quote(line_column)} FROM read_parquet({literal}))"
        return (
            f"(SELECT * EXCLUDE (file_row_number), file_row_number + {int(first_line)} "
            f"AS {quote(line_column)} FROM read_parquet({literal}, file_row_number = true))"
        )

    def insert_checked(
        self,
        table: str,
        query: str,
        columns: list[str],
        ok_column: str,
        progress: Callable[[float], None] | None = None,
    ) -> int:
        """One ``INSERT … SELECT`` with DuckDB's filter pushdown turned off for it: pushed
        down, the filter on ``ok_column`` is rewritten into the checks it stands for, and they
        are then computed twice (three times the work, measured on a 10-column import)."""
        cols = ", ".join(quote(c) for c in columns)
        settings = ("disabled_optimizers", "enable_progress_bar", "enable_progress_bar_print")
        row = self.raw.execute(
            "SELECT " + ", ".join(f"current_setting('{name}')" for name in settings)
        ).fetchone()
        before = dict(zip(settings, row or (), strict=True))
        disabled = ",".join(p for p in (str(before["disabled_optimizers"]), "filter_pushdown") if p)
        self.raw.execute(f"SET disabled_optimizers = '{disabled}'")
        self.raw.execute("SET enable_progress_bar = true")
        self.raw.execute("SET enable_progress_bar_print = false")
        finished = threading.Event()

        def report() -> None:
            while progress is not None and not finished.wait(0.25):
                done = self.raw.query_progress()
                if done >= 0:
                    progress(min(done, 100.0) / 100)

        watcher = threading.Thread(target=report, daemon=True)
        watcher.start()
        try:
            result = self.raw.execute(
                f"INSERT INTO {quote(table)} ({cols}) SELECT {cols} FROM ({query}) "
                f"WHERE {quote(ok_column)}"
            ).fetchone()
        finally:
            finished.set()
            watcher.join()
            for name, value in before.items():
                literal = "'" + str(value).replace("'", "''") + "'"
                self.raw.execute(f"SET {name} = {literal}")
        return int(result[0]) if result else 0

    def repeated_keys(self, table: str, key: str, prefix: str) -> int:
        """Counted on 64-bit hashes (a collision counts as a repeat, never the other way),
        sorted and compared with their neighbour: half the CPU time of a distinct count's
        hash table on 10M ids (3.2 against 5.8 CPU-seconds, measured side by side)."""
        k = quote(key)
        where = f"WHERE starts_with({k}, ?)" if prefix else ""
        row = self.raw.execute(
            "SELECT count(*) FILTER (WHERE h IS NULL OR h = before) FROM ("
            "  SELECT h, lag(h) OVER (ORDER BY h) AS before FROM ("
            f"   SELECT CASE WHEN {k} IS NULL THEN NULL ELSE hash({k}) END AS h "
            f"   FROM {quote(table)} {where}))",
            [prefix] if prefix else [],
        ).fetchone()
        return int(row[0]) if row else 0

    def drop_repeated_keys(self, table: str, key: str, prefix: str) -> int:
        """Looked for on hashes first (:meth:`repeated_keys`); only then by key and row id."""
        if self.repeated_keys(table, key, prefix) == 0:
            return 0
        k = quote(key)
        where = f"AND starts_with({k}, ?)" if prefix else ""
        row = self.raw.execute(
            f"DELETE FROM {quote(table)} WHERE rowid IN ("
            f"  SELECT rowid FROM (SELECT rowid, row_number() OVER (PARTITION BY {k} "
            f"  ORDER BY rowid) AS nth FROM {quote(table)} WHERE {k} IS NOT NULL {where}) "
            "  WHERE nth > 1)",
            [prefix] if prefix else [],
        ).fetchone()
        return int(row[0]) if row else 0

    def holds_key_prefix(self, table: str, key: str, prefix: str) -> bool:
        where = f"WHERE starts_with({quote(key)}, ?)" if prefix else ""
        params = [prefix] if prefix else []
        row = self.raw.execute(
            f"SELECT EXISTS (SELECT 1 FROM {quote(table)} {where})", params
        ).fetchone()
        return bool(row and row[0])

    def delete_where_in(self, table: str, column: str, values: list[str]) -> int:
        if not values:
            return 0
        row = self.raw.execute(
            f"DELETE FROM {quote(table)} WHERE {quote(column)} IN (SELECT unnest(?))",
            [values],
        ).fetchone()
        return int(row[0]) if row else 0

    def delete_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        row = self.raw.execute(
            f"DELETE FROM {quote(table)} WHERE {quote(column)} < ?", [cutoff]
        ).fetchone()
        return int(row[0]) if row else 0

    def count_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        row = self.raw.execute(
            f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)} < ?", [cutoff]
        ).fetchone()
        return int(row[0]) if row else 0

    def update_where_in(
        self, table: str, column: str, values: list[str], changes: dict[str, object]
    ) -> int:
        if not values or not changes:
            return 0
        assignments = ", ".join(f"{quote(c)} = ?" for c in changes)
        row = self.raw.execute(
            f"UPDATE {quote(table)} SET {assignments} WHERE {quote(column)} IN (SELECT unnest(?))",
            [*changes.values(), values],
        ).fetchone()
        return int(row[0]) if row else 0

    def count(self, table: str) -> int:
        row = self.raw.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.raw.close()
