"""An in-memory DuckDB for transforming batches before they reach the warehouse.

Imports coerce and validate every batch here, whatever the warehouse backend is, so the checks
behave the same on DuckDB, Postgres and Spark.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from cxloop.storage.arrow_chunks import in_parallel_chunks


class ScratchEngine:
    """Runs SQL over Arrow data in a private in-memory DuckDB, with times in UTC."""

    def __init__(self, threads: int | None = None) -> None:
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET TimeZone = 'UTC'")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")

    def query(self, sql: str, **tables: pa.Table | pa.RecordBatch) -> pa.Table:
        """Run ``sql`` with each keyword bound as a table of that name; return Arrow."""
        for name, data in tables.items():
            self._con.register(name, in_parallel_chunks(data))
        try:
            return self._con.execute(sql).to_arrow_table()
        finally:
            for name in tables:
                self._con.unregister(name)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> ScratchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
