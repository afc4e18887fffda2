"""Recent keys on DuckDB: a small indexed side table that de-duplicates within a window.

The collector must skip an event whose id it already stored (a retried batch adds nothing),
and must do so at a cost that does not grow with ``events``. An ``ANTI JOIN`` on
``events.event_id`` reads the whole table on every group commit (1.28 s a batch with 50M
events stored). Instead, the keys appended through :func:`claim_keys` in the last ``window``
are kept in ``cxloop_recent_keys``, whose primary key is an ART index: claiming a batch is one
``INSERT … ON CONFLICT DO NOTHING RETURNING``, a few index probes per key, whatever the size of
``events`` (measured: 16–28 ms for 240 keys with 0, 200k or 2M keys held).

- Keys are grouped by **prefix**, their text up to and including the first ``:`` (the source,
  for the collector's ``<source>:<messageId>``; the whole table for keys without one). The
  first time a prefix is claimed, the table's rows with that prefix whose ``imported_at`` is
  within the window are copied in (one scan of the table, once), so keys stored before the
  side table existed are de-duplicated too.
- Keys older than the window are deleted now and then (:data:`PRUNE_EVERY`): a retry that
  comes later than the window is stored again, as with Segment's 24-hour de-duplication.
- The side table holds keys and times only; it is not a canonical table (like an index, it
  is rebuilt from ``imported_at`` if lost: drop it and the next claim seeds it again). Keys
  whose rows are deleted through :meth:`~cxloop.storage.Warehouse.delete` (erasure) are
  deleted from it too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pyarrow as pa

RECENT_KEYS = "cxloop_recent_keys"
SEEDED_PREFIXES = "cxloop_recent_key_prefixes"
#: the shortest time between two prunes of keys older than the window
PRUNE_EVERY = timedelta(minutes=1)
_CLAIMED = "cxloop_claimed_keys"


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def key_prefix(key: str) -> str:
    """The part of ``key`` up to and including its first ``:`` ('' when it has none).

    Examples
    --------
    >>> key_prefix("web:m-1"), key_prefix("no-source")
    ('web:', '')
    """
    head, sep, _ = key.partition(":")
    return head + sep if sep else ""


class RecentKeys:
    """The side table of one DuckDB connection; see the module docstring."""

    def __init__(self, raw: duckdb.DuckDBPyConnection) -> None:
        self.raw = raw
        self._pruned_at: datetime | None = None

    def claim(
        self, table: str, key: str, keys: pa.Array, now: datetime, window: timedelta
    ) -> set[str]:
        """Record ``keys`` (distinct, not null) as seen at ``now``; return those that were
        not already recorded for ``table`` within ``window``. Runs in the caller's
        transaction, so a rolled-back write un-claims its keys."""
        self._ensure()
        cutoff = now - window
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self.raw.execute(f"DELETE FROM {RECENT_KEYS} WHERE seen_at < ?", [cutoff])
            self._pruned_at = now
        prefixes = {key_prefix(k) for k in keys.to_pylist()}
        for prefix in sorted(prefixes):
            self._seed(table, key, prefix, cutoff)
        # a registered view keeps its Arrow data until the transaction ends: a few thousand
        # keys at most here (one group commit), unlike an import's batches
        self.raw.register(_CLAIMED, pa.table({"key": keys}))
        try:
            rows = self.raw.execute(
                f"INSERT INTO {RECENT_KEYS} SELECT ?, key, ? FROM {_CLAIMED} "
                "ON CONFLICT DO NOTHING RETURNING key",
                [table, now],
            ).fetchall()
        finally:
            self.raw.unregister(_CLAIMED)
        return {row[0] for row in rows}

    def _ensure(self) -> None:
        """Create the side tables if missing (every time: a rolled-back first claim takes
        their creation with it)."""
        self.raw.execute(
            f"CREATE TABLE IF NOT EXISTS {RECENT_KEYS} (tbl VARCHAR NOT NULL, "
            "key VARCHAR NOT NULL, seen_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (tbl, key))"
        )
        self.raw.execute(
            f"CREATE TABLE IF NOT EXISTS {SEEDED_PREFIXES} (tbl VARCHAR NOT NULL, "
            "prefix VARCHAR NOT NULL, seeded_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (tbl, prefix))"
        )

    def _seed(self, table: str, key: str, prefix: str, cutoff: datetime) -> None:
        """Copy in the keys with ``prefix`` that ``table`` received within the window, once
        per prefix ('' seeds every key)."""
        done = self.raw.execute(
            f"SELECT count(*) FROM {SEEDED_PREFIXES} WHERE tbl = ? AND (prefix = ? OR prefix = '')",
            [table, prefix],
        ).fetchone()
        if done and done[0]:
            return
        k = quote(key)
        match = f"starts_with({k}, ?) AND " if prefix else ""
        self.raw.execute(
            f"INSERT INTO {RECENT_KEYS} SELECT ?, {k}, max(imported_at) FROM {quote(table)} "
            f"WHERE {match}imported_at >= ? AND {k} IS NOT NULL GROUP BY {k} "
            "ON CONFLICT DO NOTHING",
            [table, *([prefix] if prefix else []), cutoff],
        )
        self.raw.execute(
            f"INSERT INTO {SEEDED_PREFIXES} VALUES (?, ?, now()) ON CONFLICT DO NOTHING",
            [table, prefix],
        )

    def forget(self, table: str, keys: list[str]) -> None:
        """Delete ``keys`` of ``table`` (erasure: no id of an erased person's rows is kept)."""
        if not keys:
            return
        exists = self.raw.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [RECENT_KEYS]
        ).fetchone()
        if exists and exists[0]:
            self.raw.execute(
                f"DELETE FROM {RECENT_KEYS} WHERE tbl = ? AND key IN (SELECT unnest(?))",
                [table, keys],
            )

    def held(self, table: str) -> int:
        """How many keys of ``table`` are held now."""
        self._ensure()
        row = self.raw.execute(
            f"SELECT count(*) FROM {RECENT_KEYS} WHERE tbl = ?", [table]
        ).fetchone()
        return int(row[0]) if row else 0
