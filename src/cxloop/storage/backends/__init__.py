"""Backend specifics, one module per engine; chosen by the warehouse URL's scheme."""

from __future__ import annotations

from collections.abc import Mapping

from cxloop.errors import ConfigError
from cxloop.storage.backends.base import Backend


def backend_for_url(
    url: str,
    *,
    read_only: bool = False,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
    options: Mapping[str, str] | None = None,
    retired_kept_s: float | None = None,
) -> Backend:
    """Connect to the warehouse that ``url`` names (``memory_limit``, ``temp_directory`` and
    ``retired_kept_s``: see :func:`~cxloop.storage.warehouse.open_warehouse`); ``options`` are
    engine settings (for Spark: ``spark.master`` and any other Spark setting; other engines
    ignore them)."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "duckdb":
        from cxloop.storage.backends.duckdb import DuckDBBackend

        return DuckDBBackend.connect(
            url, read_only=read_only, memory_limit=memory_limit, temp_directory=temp_directory
        )
    if scheme in ("postgresql", "postgres"):
        from cxloop.storage.backends.postgres import PostgresBackend

        return PostgresBackend.connect(url, read_only=read_only)
    if scheme == "spark":
        from cxloop.storage.backends.spark import SparkBackend

        return SparkBackend.connect(
            url, read_only=read_only, options=options, retired_kept_s=retired_kept_s
        )
    raise ConfigError(
        f"warehouse URL {url!r}: unsupported scheme {scheme!r} "
        "(expected duckdb:///PATH, postgresql://HOST/DATABASE or spark:///PATH)"
    )


__all__ = ["Backend", "backend_for_url"]
