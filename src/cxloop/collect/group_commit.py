"""Group commit: one writer thread turns many concurrent requests into one transaction.

Each request is submitted as an item and gets a :class:`~concurrent.futures.Future`. The writer
takes every queued item (up to ``max_group``), waiting at most ``max_wait_s`` after the oldest
one arrived for more to join, calls ``commit(items)`` once, and then resolves every future of the
group: with the commit's result, or, if it raised, with that exception, since a commit is all
or nothing. A caller acknowledges its request only when its future has a result, so an
acknowledged request is always committed.

Examples
--------
>>> groups = []
>>> writer = GroupCommitWriter(groups.append)
>>> writer.start()
>>> futures = [writer.submit(i) for i in range(3)]
>>> [f.result(timeout=5) for f in futures] == [None] * 3
True
>>> writer.stop()
>>> sorted(i for group in groups for i in group)
[0, 1, 2]
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger("cxloop.collect")


class WriterStopped(RuntimeError):
    """The writer is not running (not started yet, or shutting down)."""


@dataclass
class GroupCommitStats:
    groups: int = 0
    items: int = 0
    failed_groups: int = 0
    largest_group: int = 0


class GroupCommitWriter(Generic[T]):
    """A writer thread that commits queued items in groups; see the module docstring."""

    def __init__(
        self,
        commit: Callable[[list[T]], object],
        *,
        max_group: int = 512,
        max_wait_s: float = 0.002,
        name: str = "cxloop-group-commit",
    ) -> None:
        self._commit = commit
        self.max_group = max_group
        self.max_wait_s = max_wait_s
        self.name = name
        self.stats = GroupCommitStats()
        self._queue: deque[tuple[T, Future[object], float]] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stopping

    def start(self) -> None:
        with self._cond:
            if self._thread is not None:
                raise RuntimeError("the writer has already been started")
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def submit(self, item: T) -> Future[object]:
        """Queue ``item``; the future resolves once its group is committed (or has failed)."""
        future: Future[object] = Future()
        with self._cond:
            if self._thread is None or self._stopping:
                future.set_exception(WriterStopped("the collector is not accepting writes"))
                return future
            self._queue.append((item, future, time.monotonic()))
            self._cond.notify()
        return future

    def stop(self, timeout: float | None = 30.0) -> None:
        """Commit everything already queued, then end the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _next_group(self) -> list[tuple[T, Future[object], float]] | None:
        with self._cond:
            while not self._queue:
                if self._stopping:
                    return None
                self._cond.wait()
            deadline = self._queue[0][2] + self.max_wait_s
            while len(self._queue) < self.max_group and not self._stopping:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            size = min(len(self._queue), self.max_group)
            return [self._queue.popleft() for _ in range(size)]

    def _run(self) -> None:
        while (group := self._next_group()) is not None:
            live = [(item, f) for item, f, _ in group if f.set_running_or_notify_cancel()]
            if live:
                self._commit_group(live)

    def _commit_group(self, group: list[tuple[T, Future[object]]]) -> None:
        try:
            result = self._commit([item for item, _ in group])
        except BaseException as exc:
            self.stats.failed_groups += 1
            log.exception("group commit of %d requests failed; none was stored", len(group))
            for _, future in group:
                future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        self.stats.groups += 1
        self.stats.items += len(group)
        self.stats.largest_group = max(self.stats.largest_group, len(group))
        for _, future in group:
            future.set_result(result)
