"""Group commit: many concurrent requests, one transaction per group, all or nothing."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait

import pytest

from cxloop.access.keys import add_key, verify_key
from cxloop.collect.collector import Collector, CollectorOptions
from cxloop.collect.group_commit import GroupCommitWriter, WriterStopped
from cxloop.domain.access import KeyKind
from cxloop.errors import WarehouseError


def test_concurrent_submits_all_complete_in_few_groups() -> None:
    groups: list[list[int]] = []

    def commit(items: list[int]) -> int:
        time.sleep(0.005)  # a transaction takes a while: requests queue up meanwhile
        groups.append(items)
        return len(items)

    writer = GroupCommitWriter(commit, max_group=64, max_wait_s=0.002)
    writer.start()
    with ThreadPoolExecutor(32) as pool:
        futures = list(pool.map(writer.submit, range(500)))
        results = [f.result(timeout=10) for f in futures]
    writer.stop()
    assert sorted(i for g in groups for i in g) == list(range(500))
    assert len(groups) < 250 and max(len(g) for g in groups) <= 64
    assert writer.stats.groups == len(groups) and writer.stats.items == 500
    # every request learns the result of its own group's commit
    assert sum(1 / r for r in results) == pytest.approx(len(groups))


def test_a_failed_commit_fails_every_request_of_its_group() -> None:
    calls = []

    def commit(items: list[str]) -> None:
        calls.append(list(items))
        if "bad" in items:
            raise OSError("disk full")

    writer = GroupCommitWriter(commit, max_wait_s=0.2)
    writer.start()
    group = [writer.submit(x) for x in ("a", "bad", "c")]
    for future in group:
        with pytest.raises(OSError, match="disk full"):
            future.result(timeout=5)
    assert calls == [["a", "bad", "c"]]
    assert writer.submit("d").result(timeout=5) is None  # the writer carries on
    writer.stop()
    assert writer.stats.failed_groups == 1


def test_stop_commits_what_is_queued_then_refuses() -> None:
    done: list[int] = []
    gate = threading.Event()

    def commit(items: list[int]) -> None:
        gate.wait(5)
        done.extend(items)

    writer = GroupCommitWriter(commit, max_group=10, max_wait_s=0)
    writer.start()
    futures = [writer.submit(i) for i in range(35)]
    stopper = threading.Thread(target=writer.stop)
    stopper.start()
    gate.set()
    stopper.join(10)
    assert all(f.done() and f.exception() is None for f in futures)
    assert sorted(done) == list(range(35))
    with pytest.raises(WriterStopped):
        writer.submit(99).result(timeout=1)


def test_a_writer_not_started_refuses() -> None:
    writer = GroupCommitWriter(lambda items: None)
    assert isinstance(writer.submit(1).exception(timeout=1), WriterStopped)


def body(i: int, *, identify: bool = False) -> bytes:
    batch = [{"type": "track", "userId": f"u{i}", "event": "Clicked", "messageId": f"t{i}"}]
    if identify:
        batch.append(
            {"type": "identify", "userId": f"u{i}", "anonymousId": f"a{i}", "messageId": f"i{i}"}
        )
    return json.dumps({"batch": batch}).encode()


def collector_for(warehouse, **options) -> Collector:
    verify = lambda text: verify_key(warehouse, text, KeyKind.WRITE)  # noqa: E731
    return Collector(warehouse, verify, options=CollectorOptions(**options))


@pytest.fixture
def write_key(warehouse):
    key, _ = add_key(warehouse, "write", source="web")
    return key


def test_one_transaction_per_group_on_a_real_warehouse(warehouse, write_key) -> None:
    commits = []
    real_commit = warehouse.backend.commit

    def counting_commit() -> None:
        commits.append(threading.current_thread().name)
        real_commit()

    warehouse.backend.commit = counting_commit  # type: ignore[method-assign]
    collector = collector_for(warehouse, max_wait_s=0.005)
    collector.start()
    with ThreadPoolExecutor(16) as pool:
        futures = list(
            pool.map(lambda i: collector.accept("batch", body(i), write_key), range(200))
        )
        wait(futures, timeout=30)
    collector.stop()
    assert all(f.exception() is None for f in futures)
    assert warehouse.counts()["events"] == 200
    assert collector.writer is not None
    assert len(commits) == collector.writer.stats.groups < 100
    assert set(commits) == {"cxloop-group-commit"}


def test_an_injected_failure_writes_nothing_of_the_group(warehouse, write_key, monkeypatch) -> None:
    real_append = warehouse.append

    def failing_append(table, data, **options):
        if table == "identity_links":
            raise WarehouseError("injected failure")
        return real_append(table, data, **options)

    monkeypatch.setattr(warehouse, "append", failing_append)
    collector = collector_for(warehouse, max_wait_s=0.2)
    collector.start()
    with ThreadPoolExecutor(8) as pool:
        futures = list(
            pool.map(
                lambda i: collector.accept("batch", body(i, identify=True), write_key), range(8)
            )
        )
        wait(futures, timeout=30)
    assert all(isinstance(f.exception(), WarehouseError) for f in futures)
    assert collector.writer is not None and collector.writer.stats.failed_groups < 8
    counts = warehouse.counts()
    assert (counts["events"], counts["source_records"], counts["identity_links"]) == (0, 0, 0)
    monkeypatch.setattr(warehouse, "append", real_append)
    assert collector.accept("batch", body(1, identify=True), write_key).result(timeout=10)
    collector.stop()
    assert warehouse.counts()["events"] == 2


def test_without_group_commit_each_request_commits_in_its_own_thread(warehouse, write_key) -> None:
    collector = collector_for(warehouse, group_commit=False)
    collector.start()
    future = collector.accept("batch", body(1), write_key)
    assert future.done() and future.result().requests == 1
    collector.stop()
    assert warehouse.counts()["events"] == 1
