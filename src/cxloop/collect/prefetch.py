"""Produce the next items of an iterator in a background thread while the current one is used.

An import reads a batch, then coerces and inserts it; reading (pyarrow's parsers) and inserting
(DuckDB) both release the GIL, so reading the next batch while the current one is inserted
puts an otherwise idle core to work. At most ``depth`` items wait, ready, besides the one being
produced and the one being used, so memory stays bounded by a few batches.

Examples
--------
>>> list(prefetched(iter(range(5))))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_POLL_S = 0.05


def prefetched(items: Iterator[T], *, depth: int = 1) -> Iterator[T]:
    """Yield the items of ``items`` in order, each produced ahead in a background thread.

    An exception raised while producing an item is raised here, in the consumer, where that
    item would have come. Stopping early (``close()``, an exception in the consumer) stops the
    producer after the item it is working on and closes ``items`` in its thread.
    """
    ready: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(entry: tuple[str, object]) -> bool:
        while not stop.is_set():
            try:
                ready.put(entry, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand_over(("item", item)):
                    return
            hand_over(("end", None))
        except BaseException as exc:  # handed to the consumer, which raises it
            hand_over(("error", exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    producer = threading.Thread(target=produce, name="cxloop-prefetch", daemon=True)
    producer.start()
    try:
        while True:
            kind, value = ready.get()
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        producer.join()
