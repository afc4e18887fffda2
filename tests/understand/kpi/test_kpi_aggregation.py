"""The portable timestamp path and DuckDB's fast one give the same cells."""

from __future__ import annotations

from datetime import date

import pytest

import cxloop
from cxloop.storage import Warehouse
from cxloop.understand.kpi import KPIS
from cxloop.understand.kpi.aggregation import cell_statistics
from kpi_tables import add_feedback

ROWS = [
    ("2025-12-31", "a", "billing", 10, 5, 2),
    ("2026-01-01", "a", "billing", 9, 4, 3),
    ("2026-03-31", "b", "delivery", 3, 2, 6),
    ("2026-04-01", "b", "delivery", 7, 1, 6),
]


@pytest.mark.parametrize("period", ["day", "week", "month", "quarter"])
@pytest.mark.parametrize("name", ["nps", "csat", "ces"])
def test_fast_and_portable_timestamps_agree(warehouse: Warehouse, period: str, name: str) -> None:
    add_feedback(warehouse, ROWS)
    frames = [
        warehouse.to_pandas(
            cell_statistics(KPIS[name], warehouse.table, dimension="team", period=period,  # type: ignore[arg-type]
                            start=date(2025, 12, 31), end=date(2026, 4, 1), duckdb=fast)
        ).sort_values(["grp", "period_start"], ignore_index=True)
        for fast in (False, True)
    ]  # fmt: skip
    assert frames[0].equals(frames[1])
    assert frames[0]["n"].sum() == 3  # end is excluded


def test_the_python_api_exports_the_kpi_functions(warehouse: Warehouse) -> None:
    add_feedback(warehouse, ROWS)
    assert cxloop.kpi_report(warehouse, "nps").results[0].n == 4
    assert "nps" in {k.name for k in cxloop.list_kpis()}
    assert len(cxloop.kpi_frame(warehouse, "csat", by="team")) == 2
