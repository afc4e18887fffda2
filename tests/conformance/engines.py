"""The engines the conformance suite runs on, and where each keeps a warehouse.

Adding an engine is one entry in :data:`ENGINES` (with the marker that says what it needs)
and, unless it is Spark, one branch in :func:`warehouse_url`: the Spark branch is there,
waiting for ``tests/spark_engine.py`` (``spark_warehouse(tmp_path) -> ContextManager[str]``)
and the entry ``pytest.param("spark", marks=pytest.mark.spark)``. DuckDB is the reference:
every other engine's answers are compared with its answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REFERENCE = "duckdb"
ENGINES = [
    REFERENCE,
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("spark", marks=[pytest.mark.spark, pytest.mark.xdist_group("spark")]),
]


@contextmanager
def warehouse_url(engine: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty warehouse on ``engine``, kept while the block runs.

    DuckDB: a file in ``tmp_path``. Postgres: a new database on this session's throwaway
    server (tests/postgres_server.py), which fails the test with the reason when it cannot
    start.
    """
    if engine == "duckdb":
        yield f"duckdb:///{tmp_path / 'conformance.duckdb'}"
    elif engine == "postgres":
        from postgres_server import PostgresUnavailable, session_server

        try:
            server = session_server()
        except PostgresUnavailable as exc:
            pytest.fail(f"PostgreSQL test server: {exc}", pytrace=False)
        yield server.new_database("conformance")
    elif engine == "spark":
        from spark_engine import spark_warehouse  # type: ignore[import-not-found]

        with spark_warehouse(tmp_path) as url:
            yield url
    else:
        raise ValueError(f"unknown conformance engine {engine!r}")
