"""What every warehouse backend provides to :class:`~cxloop.storage.Warehouse`."""

from __future__ import annotations

from abc import ABC, abstractmethod

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa


class Backend(ABC):
    """A connected warehouse engine."""

    url: str
    ibis: ibis.BaseBackend

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

    @abstractmethod
    def insert(self, table: str, data: pa.Table) -> int:
        """Insert every row of ``data`` as it is, without looking at keys; return how many."""

    @abstractmethod
    def holds_key_prefix(self, table: str, key: str, prefix: str) -> bool:
        """Whether some row's ``key`` starts with ``prefix`` (any row at all when it is empty)."""

    @abstractmethod
    def delete_where_in(self, table: str, column: str, values: list[str]) -> int:
        """Delete rows whose ``column`` is one of ``values``; return how many."""

    @abstractmethod
    def update_where_in(
        self, table: str, column: str, values: list[str], changes: dict[str, object]
    ) -> int:
        """Set ``changes`` on rows whose ``column`` is one of ``values``; return how many."""

    @abstractmethod
    def count(self, table: str) -> int: ...

    @abstractmethod
    def close(self) -> None: ...
