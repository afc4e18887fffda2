"""A PostgreSQL server: several cxloop processes (servers, importers) may use it at once.

What differs from DuckDB, all of it here:

- Rows travel as CSV through ``COPY … FROM STDIN`` (the fastest path into a server), into a
  temporary table when keys must be checked, straight into the table otherwise.
- Every canonical table gets a ``UNIQUE`` index on its key, and keyed appends use
  ``INSERT … ON CONFLICT DO NOTHING``: two processes appending the same ids at once cannot
  duplicate a row (the second waits for the first to commit, then skips it).
- The canonical schema only uses scalar types (text, bigint, double precision, boolean, date,
  timestamptz; JSON documents are text), which Postgres holds as they are.
- Transactions are psycopg transaction blocks on the connection Ibis uses (Ibis runs its
  own statements in nested blocks, which become savepoints inside ours).
"""

from __future__ import annotations

import io
import os
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import ibis
import ibis.expr.datatypes as dt
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from ibis.backends.sql.datatypes import PostgresType

from cxloop.errors import ConfigError, WarehouseError
from cxloop.storage.backends.base import Backend
from cxloop.storage.backends.postgres_compiler import PortableCompiler

SCHEMES = ("postgresql", "postgres")
CONNECT_TIMEOUT_S = 10


def quote(identifier: str) -> str:
    """Quote an SQL identifier for Postgres."""
    return '"' + identifier.replace('"', '""') + '"'


def redacted(url: str) -> str:
    """``url`` without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def connect_arguments(url: str) -> dict[str, Any]:
    """Keyword arguments of ``ibis.postgres.connect`` for ``url``
    (``postgresql://user[:password]@host[:port]/database[?option=value…]``); the password
    may instead come from ``PGPASSWORD`` (or ``~/.pgpass``, which libpq reads itself)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise ConfigError(f"warehouse URL {redacted(url)!r}: expected postgresql://")
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise ConfigError(
            f"warehouse URL {redacted(url)!r}: name one database "
            "(postgresql://user[:password]@host[:port]/database)"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"warehouse URL {redacted(url)!r}: {exc}") from exc
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    options.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    options.setdefault("application_name", "cxloop")
    return {
        "host": unquote(parts.hostname or "") or options.pop("host", None) or "localhost",
        "port": port or int(options.pop("port", 5432)),
        "user": unquote(parts.username) if parts.username else os.environ.get("PGUSER"),
        "password": unquote(parts.password) if parts.password is not None else None,
        "database": database,
        **options,
    }


def _key_of(table: str) -> str | None:
    from cxloop.storage.schema import MIGRATIONS_TABLE, canonical_tables

    if table == MIGRATIONS_TABLE:
        return "version"
    spec = canonical_tables().get(table)
    return spec.key if spec is not None else None


def key_prefix_condition(key: str, prefix: str) -> tuple[str, list[str]]:
    """``WHERE`` clause and parameters for the rows whose ``key`` starts with ``prefix``
    (none when ``prefix`` is empty).

    ``LIKE 'prefix%'`` with a constant pattern is what Postgres turns into a range scan of an
    index that sorts byte by byte (the key's ``text_pattern_ops`` index, or its UNIQUE index
    in a ``C`` database); ``starts_with`` would read the whole table. Run it unprepared
    (``prepare=False``), so that the plan sees the pattern. ``%``, ``_`` and ``\\`` in
    ``prefix`` match only themselves.
    """
    if not prefix:
        return "", []
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"WHERE {quote(key)} LIKE %s", [escaped + "%"]


def holds_key_prefix_query(table: str, key: str, prefix: str) -> tuple[str, list[str]]:
    """The query (and its parameters) that says whether some row's ``key`` starts with
    ``prefix``."""
    where, params = key_prefix_condition(key, prefix)
    return f"SELECT EXISTS (SELECT 1 FROM {quote(table)} {where})", params


def _csv(data: pa.Table) -> bytes:
    """``data`` as CSV the way ``COPY … (FORMAT csv)`` reads it: a null is an empty field, an
    empty string a quoted one."""
    buffer = io.BytesIO()
    pa_csv.write_csv(data, buffer, pa_csv.WriteOptions(include_header=False))
    return buffer.getvalue()


class PostgresBackend(Backend):
    """A database on a PostgreSQL server (``postgresql://…``)."""

    def __init__(self, url: str, con: ibis.BaseBackend) -> None:
        self.url = redacted(url)
        self.ibis = con
        self.raw: psycopg.Connection[Any] = con.con  # type: ignore[attr-defined]
        self._transaction: AbstractContextManager[Any] | None = None
        self._batches = 0

    @classmethod
    def connect(cls, url: str, *, read_only: bool = False) -> PostgresBackend:
        """Connect; ``read_only`` is not enforced by the session (Ibis needs temporary
        tables for in-memory tables): give the user a read-only role for that."""
        arguments = connect_arguments(url)
        try:
            con = ibis.postgres.connect(**arguments)
        except psycopg.OperationalError as exc:
            reason = " ".join(str(exc).split())
            if arguments["password"] and arguments["password"] in reason:
                reason = reason.replace(arguments["password"], "***")
            raise WarehouseError(f"cannot connect to warehouse {redacted(url)}: {reason}") from exc
        con.compiler = PortableCompiler()  # type: ignore[misc]
        con.raw_sql("SET TimeZone = 'UTC'").close()  # dates and weeks the same everywhere
        return cls(url, con)

    # -- schema -------------------------------------------------------------------------------
    def list_tables(self) -> list[str]:
        return list(self.ibis.list_tables())

    def create_table(self, name: str, schema: ibis.Schema) -> None:
        columns = ", ".join(
            f"{quote(column)} {PostgresType.to_string(type)}" for column, type in schema.items()
        )
        key = _key_of(name)
        key = key if key is not None and key in schema else None
        unique = f", UNIQUE ({quote(key)})" if key is not None else ""
        self.raw.execute(f"CREATE TABLE {quote(name)} ({columns}{unique})")
        if key is not None and schema[key].is_string():
            self.add_key_prefix_index(name, key)

    def add_key_prefix_index(self, table: str, key: str) -> None:
        """The index ``<table>_<key>_prefix`` (``text_pattern_ops``), unless the database
        sorts byte by byte: the UNIQUE index sorts by the database's collation, which
        ``LIKE 'prefix%'`` cannot use; this one sorts byte by byte (see holds_key_prefix)."""
        if not self._bytewise_collation():
            self.raw.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_{key}_prefix')} "
                f"ON {quote(table)} ({quote(key)} text_pattern_ops)"
            )

    def _bytewise_collation(self) -> bool:
        """Whether the database sorts text byte by byte (collation ``C`` or ``POSIX``), so
        that its ordinary indexes serve ``LIKE 'prefix%'``."""
        collation = self._one(
            "SELECT datcollate FROM pg_database WHERE datname = current_database()"
        )
        return str(collation) in {"C", "POSIX"}

    def add_column(self, table: str, column: str, type: dt.DataType) -> None:
        sql_type = PostgresType.to_string(type)
        self.raw.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {sql_type}")

    # -- transactions -------------------------------------------------------------------------
    def begin(self) -> None:
        if self._transaction is not None:
            raise WarehouseError(f"warehouse {self.url}: a transaction is already open")
        transaction = self.raw.transaction()
        transaction.__enter__()
        self._transaction = transaction

    def commit(self) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            transaction.__exit__(None, None, None)

    def rollback(self) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            error = psycopg.Rollback()
            transaction.__exit__(type(error), error, None)

    # -- writing ------------------------------------------------------------------------------
    def _copy(self, table: str, data: pa.Table) -> None:
        cols = ", ".join(quote(c) for c in data.column_names)
        statement = f"COPY {quote(table)} ({cols}) FROM STDIN (FORMAT csv)"
        with self.raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(_csv(data))

    def _staged(self, table: str, data: pa.Table) -> str:
        """Copy ``data`` into a new temporary table with ``table``'s column types."""
        self._batches += 1
        name = f"__cxloop_batch_{self._batches}"
        cols = ", ".join(quote(c) for c in data.column_names)
        self.raw.execute(
            f"CREATE TEMPORARY TABLE {quote(name)} AS SELECT {cols} FROM {quote(table)} "
            "WITH NO DATA"
        )
        self._copy(name, data)
        return name

    def _write(self, table: str, work: Any) -> int:
        """Run ``work`` in a savepoint, turning a database error into a WarehouseError."""
        try:
            with self.raw.transaction():
                return int(work())
        except psycopg.Error as exc:
            reason = " ".join(str(exc).split())
            raise WarehouseError(
                f"warehouse {self.url}: writing {table!r} failed: {reason}"
            ) from exc

    def append_new(self, table: str, data: pa.Table, key: str) -> int:
        if data.num_rows == 0:
            return 0

        def work() -> int:
            batch = self._staged(table, data)
            try:
                cols = ", ".join(quote(c) for c in data.column_names)
                k = quote(key)
                cursor = self.raw.execute(
                    f"INSERT INTO {quote(table)} ({cols}) SELECT {cols} FROM {quote(batch)} AS b "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {quote(table)} AS t WHERE t.{k} = b.{k}) "
                    "ON CONFLICT DO NOTHING"
                )
                return cursor.rowcount
            finally:
                self.raw.execute(f"DROP TABLE {quote(batch)}")

        return self._write(table, work)

    def insert(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0

        def work() -> int:
            self._copy(table, data)
            return data.num_rows

        return self._write(table, work)

    def replace_rows(self, table: str, data: pa.Table, key: str) -> int:
        if data.num_rows == 0:
            return 0

        def work() -> int:
            batch = self._staged(table, data)
            try:
                t, k, b = quote(table), quote(key), quote(batch)
                cols = ", ".join(quote(c) for c in data.column_names)
                self.raw.execute(f"DELETE FROM {t} WHERE {k} IN (SELECT {k} FROM {b})")
                cursor = self.raw.execute(
                    f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {b} ON CONFLICT DO NOTHING"
                )
                return cursor.rowcount
            finally:
                self.raw.execute(f"DROP TABLE {quote(batch)}")

        return self._write(table, work)

    # -- keys and housekeeping ----------------------------------------------------------------
    def _one(
        self, query: str, params: tuple[Any, ...] | list[Any] = (), *, prepare: bool | None = None
    ) -> Any:
        row = self.raw.execute(query, params, prepare=prepare).fetchone()
        return row[0] if row else None

    def repeated_keys(self, table: str, key: str, prefix: str) -> int:
        k = quote(key)
        where, params = key_prefix_condition(key, prefix)
        value = self._one(
            f"SELECT count(*) - count(DISTINCT {k}) + count(*) FILTER (WHERE {k} IS NULL) "
            f"FROM {quote(table)} {where}",
            params,
            prepare=False,
        )
        return int(value or 0)

    def holds_key_prefix(self, table: str, key: str, prefix: str) -> bool:
        return bool(self._one(*holds_key_prefix_query(table, key, prefix), prepare=False))

    def delete_where_in(self, table: str, column: str, values: list[str]) -> int:
        if not values:
            return 0
        cursor = self.raw.execute(
            f"DELETE FROM {quote(table)} WHERE {quote(column)} = ANY(%s)", [list(values)]
        )
        return cursor.rowcount

    def delete_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        cursor = self.raw.execute(
            f"DELETE FROM {quote(table)} WHERE {quote(column)} < %s", [cutoff]
        )
        return cursor.rowcount

    def count_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        value = self._one(
            f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)} < %s", [cutoff]
        )
        return int(value or 0)

    def update_where_in(
        self, table: str, column: str, values: list[str], changes: dict[str, object]
    ) -> int:
        if not values or not changes:
            return 0
        assignments = ", ".join(f"{quote(c)} = %s" for c in changes)
        cursor = self.raw.execute(
            f"UPDATE {quote(table)} SET {assignments} WHERE {quote(column)} = ANY(%s)",
            [*changes.values(), list(values)],
        )
        return cursor.rowcount

    def count(self, table: str) -> int:
        return int(self._one(f"SELECT count(*) FROM {quote(table)}") or 0)

    def close(self) -> None:
        if self._transaction is not None:
            self.rollback()
        self.ibis.disconnect()
