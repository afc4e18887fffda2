"""A cache of closed-loop metrics for the pages that show them on every load.

The Scorecard and every team page show the closed-loop section; computing it reads every
detractor answer, case and order (seconds on a large warehouse). A result is reused while the
row counts of the tables it reads stay the same, within the same hour: the metrics also depend
on the clock (an open case's time so far, an SLA still running), so an hour is the most a page
can lag behind.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from cxloop.domain.loop_metrics import LoopMetrics
from cxloop.storage import Warehouse
from cxloop.understand.closed_loop.metrics import loop_metrics

#: the tables closed-loop metrics read: a change of their row counts invalidates a result
SOURCES = ("feedback", "cases", "case_events", "orders", "teams")
_MAX_ENTRIES = 64
_CACHE: dict[tuple[object, ...], LoopMetrics] = {}
_LOCK = threading.Lock()


def cached_loop_metrics(
    wh: Warehouse,
    *,
    team: str | None = None,
    since: date | None = None,
    until: date | None = None,
    small_n: int,
    now: datetime | None = None,
) -> LoopMetrics:
    """:func:`~cxloop.understand.closed_loop.loop_metrics`, reused while its inputs and the
    hour stay the same.

    Examples
    --------
    >>> m = cached_loop_metrics(wh, team="delivery", small_n=30)  # doctest: +SKIP
    """
    counts = wh.counts()
    hour = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    key = (wh.url, team, since, until, small_n, hour, *(counts[t] for t in SOURCES))
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    result = loop_metrics(wh, team=team, since=since, until=until, small_n=small_n)
    with _LOCK:
        while len(_CACHE) >= _MAX_ENTRIES:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = result
    return result


def clear_loop_metrics_cache() -> None:
    """Forget every cached result (after an erasure, say)."""
    with _LOCK:
        _CACHE.clear()
