"""Results of read queries, reused while the tables they read are unchanged.

A dashboard page at 1M customers reads millions of rows to draw numbers that change only when
data arrive. :func:`cached_read` keeps such a result under a key made of the caller's own key
and the **data version** of the tables it reads (:meth:`Warehouse.data_version`): each table's
row count and how many times this process has written to it. Any append, delete, update or
upsert through the warehouse (an import, the collector, a text analysis, a privacy erasure)
changes the version, so the next read computes afresh; the counts also catch rows that another
process added or deleted (a Postgres server shared with CLI jobs). A change in place made by
another process keeps the counts: a result is therefore never reused after ``max_age_s``
seconds (default five minutes).

Concurrent readers who miss the same key wait for the first one's result instead of running
the same query side by side (eight clients opening the same page at once run it once).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from cxloop.storage.warehouse import Warehouse

T = TypeVar("T")
#: results kept per warehouse (least recently used ones go first)
MAX_ENTRIES = 256
#: the longest a result is reused, in seconds
MAX_AGE_S = 300.0


class ReadCache:
    """One warehouse's cached results, safe to share between threads."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, max_age_s: float) -> tuple[bool, Any]:
        """``(True, result)`` for a result stored under ``key`` less than ``max_age_s`` ago."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry[0] > max_age_s:
                return False, None
            self._entries.move_to_end(key)
            self.hits += 1
            return True, entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def computing(self, key: Hashable) -> threading.Lock:
        """The lock that the first reader missing ``key`` holds while it computes."""
        with self._lock:
            return self._computing.setdefault(key, threading.Lock())

    def done(self, key: Hashable) -> None:
        with self._lock:
            self._computing.pop(key, None)

    def clear(self) -> None:
        """Forget every result."""
        with self._lock:
            self._entries.clear()


def cached_read(
    wh: Warehouse,
    tables: Iterable[str],
    key: Hashable,
    compute: Callable[[], T],
    *,
    max_age_s: float = MAX_AGE_S,
) -> T:
    """``compute()``, or its result stored for ``key`` while ``tables`` keep their data version.

    Parameters
    ----------
    wh
        The warehouse ``compute`` reads.
    tables
        Every canonical table ``compute`` reads: a write to any of them makes a stored result
        stale. Leaving one out shows stale numbers, so list them generously.
    key
        What else the result depends on (the function's name and its arguments; the date or
        hour when it depends on the clock). Hashable.
    compute
        Runs the queries. Its result is shared between callers: treat it as read-only.
    max_age_s
        The longest a result is reused, in seconds.

    Examples
    --------
    >>> volume = cached_read(wh, ["feedback"], ("weekly", "language"),
    ...                      lambda: weekly_feedback_volume(wh))  # doctest: +SKIP
    """
    cache = wh.read_cache
    full_key = (key, wh.data_version(tables))
    found, value = cache.get(full_key, max_age_s)
    if found:
        return value  # type: ignore[no-any-return]
    try:
        with cache.computing(full_key):
            found, value = cache.get(full_key, max_age_s)  # another reader computed it meanwhile
            if found:
                return value  # type: ignore[no-any-return]
            cache.misses += 1
            result = compute()
            cache.put(full_key, result)
    finally:
        cache.done(full_key)
    return result
