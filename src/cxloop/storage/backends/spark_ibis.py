"""The Ibis connection of a Spark warehouse: Ibis's PySpark backend, told each table's
schema by the warehouse catalog.

Spark's ``TIMESTAMP`` is an instant shown in the session's time zone (UTC here), which Ibis
would read back as a timestamp without a zone; the catalog's schema says ``timestamp('UTC')``,
as the DuckDB warehouse's columns do, so results come back as UTC-aware values on every
backend. Reading the schema from the catalog also spares a JVM round trip per table.

In-memory tables (``ibis.memtable``) reach Spark as Arrow: Ibis goes through pandas, where
pandas 3 turns a null string into the text ``"NaN"`` and an integer column with a null into
floats that Spark then reads as all null.

Queries compile with :class:`~cxloop.storage.backends.spark_compiler.WarehouseCompiler`, Ibis's
PySpark compiler with the rules it lacks for Spark (JSON arrays, filtered medians).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
from ibis.backends.pyspark import Backend as PySparkBackend

from cxloop.storage.backends import spark_compiler


class WarehouseIbis(PySparkBackend):  # type: ignore[misc]
    """Ibis on a Spark session whose tables are described by ``schema_of``."""

    compiler = spark_compiler.compiler

    schema_of: Callable[[str], ibis.Schema | None] = staticmethod(lambda name: None)
    before_query: Callable[[], None] = staticmethod(lambda: None)
    after_missing_file: Callable[[], None] = staticmethod(lambda: None)

    def execute(self, expr: Any, /, **kwargs: Any) -> Any:
        """Run ``expr``; once more, after ``after_missing_file``, when a file it read was
        gone (a writer in another process removed parts this reader's catalog named)."""
        try:
            return super().execute(expr, **kwargs)
        except Exception as exc:  # Spark's errors come as many kinds
            if not missing_file(exc):
                raise
        self.after_missing_file()
        return super().execute(expr, **kwargs)

    def _run_pre_execute_hooks(self, expr: Any) -> None:
        self.before_query()
        super()._run_pre_execute_hooks(expr)

    def raw_sql(self, query: Any, **kwargs: Any) -> Any:
        self.before_query()
        return super().raw_sql(query, **kwargs)

    def _register_in_memory_table(self, op: Any) -> None:
        data = op.data.to_pyarrow(op.schema)
        self._session.createDataFrame(data).createOrReplaceTempView(op.name)

    def get_schema(
        self, table_name: str, *, catalog: str | None = None, database: str | None = None
    ) -> ibis.Schema:
        known = self.schema_of(table_name) if catalog is None and database is None else None
        if known is not None:
            return known
        return super().get_schema(table_name, catalog=catalog, database=database)


def missing_file(error: BaseException) -> bool:
    """Whether Spark failed because a file or folder it was to read is not there."""
    text = str(error)
    signs = ("FILE_NOT_EXIST", "FileNotFoundException", "PATH_NOT_FOUND")
    return any(sign in text for sign in signs)


def connect(
    session: Any,
    schema_of: Callable[[str], ibis.Schema | None],
    before_query: Callable[[], None],
    after_missing_file: Callable[[], None] = lambda: None,
) -> WarehouseIbis:
    """An Ibis connection on ``session`` that asks ``schema_of`` for a table's schema first,
    calls ``before_query`` before it runs anything, and ``after_missing_file`` before it
    runs a query again that found a file gone."""
    ibis.pyspark  # noqa: B018 -- loading the backend through ibis registers its options
    connection = WarehouseIbis().connect(session)
    connection.schema_of = schema_of
    connection.before_query = before_query
    connection.after_missing_file = after_missing_file
    return connection
