"""What every warehouse backend provides to :class:`~cxloop.storage.Warehouse`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa


class Backend(ABC):
    """A connected warehouse engine."""

    url: str
    ibis: ibis.BaseBackend
    #: whether :meth:`insert` may take rows whose keys were checked by the caller, with
    #: :meth:`drop_repeated_keys` cleaning up after (False: every append checks its keys)
    unchecked_inserts: bool = False

    @abstractmethod
    def list_tables(self) -> list[str]: ...

    @abstractmethod
    def create_table(self, name: str, schema: ibis.Schema) -> None: ...

    @abstractmethod
    def add_column(self, table: str, column: str, type: dt.DataType) -> None: ...

    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def append_new(self, table: str, data: pa.Table, key: str) -> int:
        """Insert the rows of ``data`` whose ``key`` is not yet in ``table``; return how many."""

    def replace_rows(self, table: str, data: pa.Table, key: str) -> int:
        """Insert the rows of ``data``, first deleting those of ``table`` with the same
        ``key``; return how many were inserted. Backends override it with a bulk form."""
        self.delete_where_in(table, key, data[key].to_pylist())
        return self.append_new(table, data, key)

    def claim_keys(
        self, table: str, key: str, keys: pa.Array, now: datetime, window: timedelta
    ) -> set[str]:
        """Of ``keys`` (distinct, not null), those that ``table`` does not hold yet, as far
        as ``window`` reaches back; the caller then inserts exactly those, in the same
        transaction. This default looks at every row (``key IN (…)``: an index lookup on
        Postgres, whose keys have a ``UNIQUE`` index; a scan on Spark) and ignores the
        window; DuckDB keeps an indexed table of the keys claimed within the window."""
        if len(keys) == 0:
            return set()
        wanted = keys.to_pylist()
        t = self.ibis.table(table)
        found = self.ibis.to_pyarrow(t.filter(t[key].isin(wanted)).select(key))
        return set(wanted) - set(found.column(0).to_pylist())

    def forget_claimed(self, table: str, keys: list[str]) -> None:
        """Forget ``keys`` claimed by :meth:`claim_keys` (their rows were deleted: erasure).
        Nothing to do where the check reads the table itself."""
        return None

    @abstractmethod
    def insert(self, table: str, data: pa.Table) -> int:
        """Insert every row of ``data`` as it is, without looking at keys; return how many."""

    def parquet_relation(self, path: str, line_column: str, first_line: int | None) -> str | None:
        """SQL (a parenthesised query) for the rows of a Parquet file read by the engine
        itself, numbered from ``first_line`` in ``line_column`` (NULL there when
        ``first_line`` is None); None when the engine cannot read the file (importers then
        stream Arrow batches to it)."""
        return None

    def insert_checked(
        self,
        table: str,
        query: str,
        columns: list[str],
        ok_column: str,
        progress: Callable[[float], None] | None = None,
    ) -> int:
        """Insert, in one statement, ``columns`` of the rows of ``query`` whose boolean
        ``ok_column`` is true; return how many. ``progress`` gets the fraction done now and
        then. Only for backends whose :meth:`parquet_relation` gives a query."""
        raise NotImplementedError(f"{type(self).__name__} cannot insert from a query")

    def repeated_keys(self, table: str, key: str, prefix: str) -> int:
        """How many rows whose ``key`` starts with ``prefix`` cannot be shown to have a key
        of their own (0: every such key is unique and not null)."""
        raise NotImplementedError(f"{type(self).__name__} cannot count repeated keys")

    def drop_repeated_keys(self, table: str, key: str, prefix: str) -> int:
        """Delete every row whose ``key`` starts with ``prefix`` and equals the key of a row
        inserted before it (the first stays); return how many were deleted."""
        raise NotImplementedError(f"{type(self).__name__} cannot drop repeated keys")

    @abstractmethod
    def holds_key_prefix(self, table: str, key: str, prefix: str) -> bool:
        """Whether some row's ``key`` starts with ``prefix`` (any row at all when it is empty)."""

    @abstractmethod
    def delete_where_in(self, table: str, column: str, values: list[str]) -> int:
        """Delete rows whose ``column`` is one of ``values``; return how many."""

    @abstractmethod
    def delete_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        """Delete rows whose timestamp ``column`` is before ``cutoff``; return how many."""

    @abstractmethod
    def count_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        """How many rows have a timestamp ``column`` before ``cutoff``."""

    @abstractmethod
    def update_where_in(
        self, table: str, column: str, values: list[str], changes: dict[str, object]
    ) -> int:
        """Set ``changes`` on rows whose ``column`` is one of ``values``; return how many."""

    @abstractmethod
    def count(self, table: str) -> int: ...

    def splink_api(self) -> Any | None:
        """The Splink database API that links records on this engine; None: Splink runs on
        a private in-memory DuckDB (the warehouse is only read)."""
        return None

    @abstractmethod
    def close(self) -> None: ...
