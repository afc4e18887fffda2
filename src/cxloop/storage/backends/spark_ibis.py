"""The Ibis connection of a Spark warehouse: Ibis's PySpark backend, told each table's
schema by the warehouse catalog.

Spark's ``TIMESTAMP`` is an instant shown in the session's time zone (UTC here), which Ibis
would read back as a timestamp without a zone; the catalog's schema says ``timestamp('UTC')``,
as the DuckDB warehouse's columns do, so results come back as UTC-aware values on every
backend. Reading the schema from the catalog also spares a JVM round trip per table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
from ibis.backends.pyspark import Backend as PySparkBackend


class WarehouseIbis(PySparkBackend):  # type: ignore[misc]
    """Ibis on a Spark session whose tables are described by ``schema_of``."""

    schema_of: Callable[[str], ibis.Schema | None] = staticmethod(lambda name: None)

    def get_schema(
        self, table_name: str, *, catalog: str | None = None, database: str | None = None
    ) -> ibis.Schema:
        known = self.schema_of(table_name) if catalog is None and database is None else None
        if known is not None:
            return known
        return super().get_schema(table_name, catalog=catalog, database=database)


def connect(session: Any, schema_of: Callable[[str], ibis.Schema | None]) -> WarehouseIbis:
    """An Ibis connection on ``session`` that asks ``schema_of`` for a table's schema first."""
    ibis.pyspark  # noqa: B018 -- loading the backend through ibis registers its options
    connection = WarehouseIbis().connect(session)
    connection.schema_of = schema_of
    return connection
