"""Cached reads: reused while the tables read are unchanged, computed afresh after any write
(append, upsert, update in place, delete), once for concurrent readers, never past their age."""

from __future__ import annotations

import threading
import time

import pyarrow as pa
import pytest

from cxloop.storage import Warehouse
from cxloop.storage.read_cache import ReadCache, cached_read


def add_teams(warehouse: Warehouse, *ids: str) -> None:
    warehouse.append("teams", pa.Table.from_pylist([{"team_id": i, "name": i} for i in ids]))


def team_names(warehouse: Warehouse, calls: list[int]) -> list[str]:
    def compute() -> list[str]:
        calls.append(1)
        teams = warehouse.table("teams")
        return sorted(warehouse.to_pyarrow(teams.select("name"))["name"].to_pylist())

    return cached_read(warehouse, ["teams"], ("team_names",), compute)


def test_a_result_is_reused_until_a_table_it_reads_changes(warehouse: Warehouse) -> None:
    add_teams(warehouse, "a", "b")
    calls: list[int] = []
    assert team_names(warehouse, calls) == ["a", "b"]
    assert team_names(warehouse, calls) == ["a", "b"]
    assert len(calls) == 1, "the second read is served from the cache"
    warehouse.append(
        "events", pa.Table.from_pylist([{"event_id": "e1", "source": "web", "type": "track"}])
    )
    assert team_names(warehouse, calls) == ["a", "b"] and len(calls) == 1, (
        "a write to a table the result does not read keeps it"
    )
    add_teams(warehouse, "c")
    assert team_names(warehouse, calls) == ["a", "b", "c"] and len(calls) == 2


def test_changes_that_keep_the_row_count_are_seen(warehouse: Warehouse) -> None:
    add_teams(warehouse, "a", "b")
    calls: list[int] = []
    team_names(warehouse, calls)
    warehouse.update("teams", "team_id", ["a"], {"name": "renamed"})
    assert team_names(warehouse, calls) == ["b", "renamed"]
    warehouse.replace("teams", pa.Table.from_pylist([{"team_id": "b", "name": "upserted"}]))
    assert team_names(warehouse, calls) == ["renamed", "upserted"]
    assert len(calls) == 3


def test_a_delete_is_seen(warehouse: Warehouse) -> None:
    add_teams(warehouse, "a", "b")
    calls: list[int] = []
    team_names(warehouse, calls)
    warehouse.delete("teams", "team_id", ["a"])
    assert team_names(warehouse, calls) == ["b"]


def test_keys_keep_results_apart(warehouse: Warehouse) -> None:
    assert cached_read(warehouse, ["teams"], ("x", 1), lambda: "one") == "one"
    assert cached_read(warehouse, ["teams"], ("x", 2), lambda: "two") == "two"
    assert cached_read(warehouse, ["teams"], ("x", 1), lambda: "again") == "one"


def test_an_old_result_is_not_reused(warehouse: Warehouse) -> None:
    assert cached_read(warehouse, ["teams"], "k", lambda: 1) == 1
    assert cached_read(warehouse, ["teams"], "k", lambda: 2, max_age_s=60) == 1
    time.sleep(0.02)
    assert cached_read(warehouse, ["teams"], "k", lambda: 3, max_age_s=0.01) == 3


def test_concurrent_readers_compute_once(warehouse: Warehouse) -> None:
    calls: list[int] = []
    started = threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return "done"

    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(cached_read(warehouse, ["teams"], "s", slow))
        )
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["done"] * 4 and len(calls) == 1


def test_a_failed_computation_is_not_kept(warehouse: Warehouse) -> None:
    def fail() -> str:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cached_read(warehouse, ["teams"], "f", fail)
    assert cached_read(warehouse, ["teams"], "f", lambda: "ok") == "ok"


def test_the_cache_holds_a_bounded_number_of_results() -> None:
    cache = ReadCache(max_entries=2)
    for key in "abc":
        cache.put(key, key)
    assert cache.get("a", 60) == (False, None)
    assert cache.get("c", 60) == (True, "c")
