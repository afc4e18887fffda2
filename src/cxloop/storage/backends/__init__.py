"""Backend specifics, one module per engine; chosen by the warehouse URL's scheme."""

from __future__ import annotations

from cxloop.errors import ConfigError
from cxloop.storage.backends.base import Backend


def backend_for_url(
    url: str,
    *,
    read_only: bool = False,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
) -> Backend:
    """Connect to the warehouse that ``url`` names (``memory_limit`` and ``temp_directory``:
    see :func:`~cxloop.storage.warehouse.open_warehouse`)."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "duckdb":
        from cxloop.storage.backends.duckdb import DuckDBBackend

        return DuckDBBackend.connect(
            url, read_only=read_only, memory_limit=memory_limit, temp_directory=temp_directory
        )
    if scheme in ("postgresql", "postgres"):
        from cxloop.storage.backends.postgres import PostgresBackend

        return PostgresBackend.connect(url, read_only=read_only)
    raise ConfigError(
        f"warehouse URL {url!r}: unsupported scheme {scheme!r} (expected duckdb:///PATH or postgresql://HOST/DATABASE)"
    )


__all__ = ["Backend", "backend_for_url"]
