"""Recent keys on DuckDB: claims within a window, seeding from ``imported_at``, pruning, and
a check whose rows scanned do not grow with the table."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa
import pytest

from cxloop.storage import open_warehouse
from cxloop.storage.backends.duckdb_recent_keys import RECENT_KEYS, RecentKeys

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


@pytest.fixture
def warehouse():
    with open_warehouse("duckdb:///:memory:") as wh:
        yield wh


def stored_events(warehouse, ids: list[str], imported_at: datetime) -> None:
    n = len(ids)
    warehouse.append(
        "events",
        pa.table(
            {
                "event_id": ids,
                "type": ["track"] * n,
                "imported_at": pa.array([imported_at] * n, pa.timestamp("us", tz="UTC")),
            }
        ),
    )


def test_a_claimed_key_is_not_new_again_within_the_window(warehouse) -> None:
    assert warehouse.claim_keys("events", ["web:a", "web:b"], window=DAY, now=NOW) == {
        "web:a",
        "web:b",
    }
    later = NOW + timedelta(hours=23)
    assert warehouse.claim_keys("events", ["web:b", "web:c", "web:c"], window=DAY, now=later) == {
        "web:c"
    }


def test_a_rolled_back_claim_is_forgotten(warehouse) -> None:
    with pytest.raises(RuntimeError), warehouse.transaction():
        assert warehouse.claim_keys("events", ["web:a"], window=DAY, now=NOW) == {"web:a"}
        raise RuntimeError("the group commit failed")
    assert warehouse.claim_keys("events", ["web:a"], window=DAY, now=NOW) == {"web:a"}


def test_a_key_older_than_the_window_is_pruned_and_new_again(warehouse) -> None:
    warehouse.claim_keys("events", ["web:a"], window=DAY, now=NOW)
    later = NOW + DAY + timedelta(minutes=2)
    assert warehouse.claim_keys("events", ["web:a"], window=DAY, now=later) == {"web:a"}
    assert warehouse.backend.recent_keys.held("events") == 1


def test_keys_stored_before_the_side_table_are_seeded_by_prefix(warehouse) -> None:
    stored_events(warehouse, ["web:recent"], NOW - timedelta(hours=1))
    stored_events(warehouse, ["web:old"], NOW - timedelta(days=30))
    stored_events(warehouse, ["app:recent"], NOW - timedelta(hours=1))
    claimed = warehouse.claim_keys(
        "events", ["web:recent", "web:old", "web:new"], window=DAY, now=NOW
    )
    # the recent one was stored already; the one older than the window is outside it
    assert claimed == {"web:old", "web:new"}
    # only the prefix claimed was seeded
    assert warehouse.backend.recent_keys.held("events") == 3
    assert warehouse.claim_keys("events", ["app:recent"], window=DAY, now=NOW) == set()


def test_tables_keep_their_own_keys(warehouse) -> None:
    warehouse.claim_keys("events", ["web:a"], window=DAY, now=NOW)
    assert warehouse.claim_keys("orders", ["web:a"], window=DAY, now=NOW) == {"web:a"}


class ProfiledConnection:
    """Runs statements on a DuckDB connection and adds up the rows each one scanned."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.rows_scanned = 0
        self.tables: set[str] = set()

    def execute(self, sql: str, params: Any = None) -> Any:
        result = self.raw.execute(sql, params)
        if not sql.lstrip().upper().startswith("SET"):
            profile = json.loads(self.raw.get_profiling_information(format="json"))
            self.rows_scanned += int(profile.get("cumulative_rows_scanned", 0))
            self._tables(profile)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def _tables(self, node: dict) -> None:
        table = node.get("extra_info", {}).get("Table")
        if table and node.get("operator_rows_scanned"):
            self.tables.add(str(table).rsplit(".", 1)[-1])
        for child in node.get("children", []):
            self._tables(child)


def rows_scanned_by_a_claim(old_rows: int) -> tuple[int, set[str]]:
    """Rows scanned by claiming 200 keys, 20 of them retries, with ``old_rows`` events
    stored 30 days ago and 1,000 in the window."""
    with open_warehouse("duckdb:///:memory:") as wh:
        raw = wh.backend.raw
        raw.execute(
            "INSERT INTO events (event_id, type, imported_at) SELECT 'web:old-' || i, 'track', "
            "?::TIMESTAMPTZ FROM range(?) t(i)",
            [NOW - timedelta(days=30), old_rows],
        )
        raw.execute(
            "INSERT INTO events (event_id, type, imported_at) SELECT 'web:new-' || i, 'track', "
            "?::TIMESTAMPTZ FROM range(1000) t(i)",
            [NOW - timedelta(hours=1)],
        )
        wh.claim_keys("events", ["web:first"], window=DAY, now=NOW)  # seeds 'web:' once
        raw.execute("PRAGMA enable_profiling = 'no_output'")
        raw.execute(
            'SET custom_profiling_settings = \'{"CUMULATIVE_ROWS_SCANNED": "true", '
            '"OPERATOR_ROWS_SCANNED": "true", "EXTRA_INFO": "true"}\''
        )
        profiled = ProfiledConnection(raw)
        recent = RecentKeys(profiled)  # type: ignore[arg-type]
        recent._pruned_at = NOW
        keys = [f"web:new-{i}" for i in range(20)] + [f"web:batch-{i}" for i in range(180)]
        claimed = recent.claim("events", "event_id", pa.array(keys), NOW, DAY)
        raw.execute("PRAGMA disable_profiling")
        assert len(claimed) == 180
        return profiled.rows_scanned, profiled.tables


def test_rows_scanned_by_the_check_do_not_grow_with_the_table() -> None:
    small, small_tables = rows_scanned_by_a_claim(10_000)
    large, large_tables = rows_scanned_by_a_claim(1_000_000)  # about 8 row groups
    assert "events" not in small_tables | large_tables
    assert RECENT_KEYS in large_tables
    assert large == small
    assert large < 2_000  # the 1,001 keys held and the 200 of the batch


def test_the_default_check_on_other_backends_looks_at_every_row(warehouse) -> None:
    """What Postgres and Spark do, run here through the base class's default."""
    from cxloop.storage.backends.base import Backend

    stored_events(warehouse, ["web:a"], NOW - timedelta(days=30))
    keys = pa.array(["web:a", "web:b"])
    fresh = Backend.claim_keys(warehouse.backend, "events", "event_id", keys, NOW, DAY)
    assert fresh == {"web:b"}


def test_rows_deleted_by_key_are_forgotten_as_erasure_requires(warehouse) -> None:
    stored_events(warehouse, ["web:a", "web:b"], NOW - timedelta(hours=1))
    assert warehouse.claim_keys("events", ["web:a", "web:b"], window=DAY, now=NOW) == set()
    assert warehouse.delete("events", "event_id", ["web:a"]) == 1
    assert warehouse.backend.recent_keys.held("events") == 1
    assert warehouse.claim_keys("events", ["web:a", "web:b"], window=DAY, now=NOW) == {"web:a"}
