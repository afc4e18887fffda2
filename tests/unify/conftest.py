"""Fixtures that write small, hand-made rows into the test warehouse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cxloop.storage import Warehouse
from unify.rows import write_rows


@pytest.fixture
def add_records(warehouse: Warehouse) -> Callable[..., None]:
    """``add_records(record(...), record(...))`` appends source records."""

    def add(*rows: dict[str, Any]) -> None:
        write_rows(warehouse, "source_records", list(rows))

    return add


@pytest.fixture
def add_rows(warehouse: Warehouse) -> Callable[[str, list[dict[str, Any]]], None]:
    """``add_rows("events", [...])`` appends rows to any canonical table."""

    def add(table: str, rows: list[dict[str, Any]]) -> None:
        write_rows(warehouse, table, rows)

    return add
