"""Prefetching: the same items in the same order, errors where they happened, a clean stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from cxloop.collect.prefetch import prefetched


def test_items_come_in_order_and_ahead_of_use() -> None:
    produced: list[int] = []

    def numbers() -> Iterator[int]:
        for i in range(20):
            produced.append(i)
            yield i

    out = []
    for i in prefetched(numbers(), depth=2):
        out.append(i)
    assert out == list(range(20)) and produced == out


def test_an_error_is_raised_where_its_item_would_have_come() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("row 3 is bad")

    seen = []
    with pytest.raises(ValueError, match="row 3 is bad"):
        for i in prefetched(failing()):
            seen.append(i)
    assert seen == [1, 2]


def test_stopping_early_closes_the_source_in_its_thread() -> None:
    closed = threading.Event()
    threads: list[str] = []

    def endless() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            threads.append(threading.current_thread().name)
            closed.set()

    with pytest.raises(RuntimeError):
        for i in prefetched(endless()):
            if i == 3:
                raise RuntimeError("the import failed")
    assert closed.is_set() and threads == ["cxloop-prefetch"]
    assert not any(t.name == "cxloop-prefetch" for t in threading.enumerate())
