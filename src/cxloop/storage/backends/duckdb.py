"""The embedded default: one DuckDB file, opened read-write by one process at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
from ibis.backends.sql.datatypes import DuckDBType

from cxloop.errors import WarehouseBusyError, WarehouseError
from cxloop.storage.arrow_chunks import in_parallel_chunks
from cxloop.storage.backends.base import Backend


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


class DuckDBBackend(Backend):
    """A DuckDB database file (or ``duckdb:///:memory:``)."""

    def __init__(self, url: str, con: ibis.BaseBackend) -> None:
        self.url = url
        self.ibis = con
        self.raw: duckdb.DuckDBPyConnection = con.con  # type: ignore[attr-defined]

    @classmethod
    def connect(cls, url: str, *, read_only: bool = False) -> DuckDBBackend:
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
        return cls(url, con)

    def list_tables(self) -> list[str]:
        return list(self.ibis.list_tables())

    def create_table(self, name: str, schema: ibis.Schema) -> None:
        self.ibis.create_table(name, schema=schema)

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
        name = "__cxloop_batch"
        self.raw.register(name, in_parallel_chunks(data))
        try:
            cols = ", ".join(quote(c) for c in data.column_names)
            k = quote(key)
            # DISTINCT ON is slow (it aggregates every column): only when the batch repeats keys
            repeats = self.raw.execute(f"SELECT count(*) - count(DISTINCT {k}) FROM {name}")
            unique = (repeats.fetchone() or (0,))[0] == 0
            rows = f"{name} AS b" if unique else (f"(SELECT DISTINCT ON ({k}) * FROM {name}) AS b")
            row = self.raw.execute(
                f"INSERT INTO {quote(table)} ({cols}) SELECT b.* FROM {rows} "
                f"ANTI JOIN {quote(table)} AS t ON b.{k} = t.{k}"
            ).fetchone()
        finally:
            self.raw.unregister(name)
        return int(row[0]) if row else 0

    def insert(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        name = "__cxloop_batch"
        self.raw.register(name, in_parallel_chunks(data))
        try:
            cols = ", ".join(quote(c) for c in data.column_names)
            row = self.raw.execute(
                f"INSERT INTO {quote(table)} ({cols}) SELECT * FROM {name}"
            ).fetchone()
        finally:
            self.raw.unregister(name)
        return int(row[0]) if row else 0

    def replace_rows(self, table: str, data: pa.Table, key: str) -> int:
        """Delete by a semi-join on the registered batch (no list of keys through Python),
        skipped when the table is empty (a first run), then one plain insert."""
        if data.num_rows == 0:
            return 0
        name = "__cxloop_batch"
        self.raw.register(name, data)
        try:
            t, k = quote(table), quote(key)
            cols = ", ".join(quote(c) for c in data.column_names)
            repeats = self.raw.execute(f"SELECT count(*) - count(DISTINCT {k}) FROM {name}")
            unique = (repeats.fetchone() or (0,))[0] == 0
            rows = name if unique else f"(SELECT DISTINCT ON ({k}) * FROM {name})"
            present = self.raw.execute(f"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1)")
            if (present.fetchone() or (0,))[0]:
                self.raw.execute(f"DELETE FROM {t} WHERE {k} IN (SELECT {k} FROM {name})")
            row = self.raw.execute(f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {rows}").fetchone()
        finally:
            self.raw.unregister(name)
        return int(row[0]) if row else 0

    def parquet_relation(self, path: str, line_column: str, first_line: int) -> str:
        literal = "'" + path.replace("'", "''") + "'"
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
        """Counted on 64-bit hashes (a collision counts as a repeat, never the other way)."""
        k = quote(key)
        where = f"WHERE starts_with({k}, ?)" if prefix else ""
        row = self.raw.execute(
            f"SELECT count(*) - count(DISTINCT hash({k})) + count(*) FILTER (WHERE {k} IS NULL) "
            f"FROM {quote(table)} {where}",
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
