"""The daily rollup's upkeep: full build, incremental refresh keyed on ``imported_at``,
staleness, privacy erasure, and which path ``kpi_report`` answers from."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pytest

from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema
from cxloop.understand.kpi import kpi_definition, kpi_report
from cxloop.understand.kpi.report import answers_from_rollup, report_from
from cxloop.understand.kpi.rollup import (
    forget_feedback,
    refresh_rollup,
    rollup_is_fresh,
    rollup_state,
)
from cxloop.understand.kpi.rollup_cells import ROLLUP_NAME
from kpi_tables import ts

COLUMNS = ["feedback_id", "ts", "team_id", "touchpoint", "nps", "csat", "ces", "imported_at"]
JAN1 = datetime(2026, 3, 1, tzinfo=UTC)
JAN2 = datetime(2026, 3, 2, tzinfo=UTC)


def add(wh: Warehouse, rows: list[tuple[object, ...]], imported_at: datetime | None) -> None:
    """Rows of (id, day, team, touchpoint, nps, csat, ces), imported at ``imported_at``."""
    records = [
        dict(zip(COLUMNS, (i, day and ts(day), team, tp, nps, csat, ces, imported_at), strict=True))
        for i, day, team, tp, nps, csat, ces in rows
    ]
    wh.append("feedback", pa.Table.from_pylist(records, schema=arrow_schema("feedback", COLUMNS)))


FIRST = [
    ("f1", "2026-01-05", "a", "billing", 10, 5, 2),
    ("f2", "2026-01-05", "a", "delivery", 3, 2, 6),
    ("f3", "2026-02-10", "b", "billing", 8, None, None),
]
LATER = [("f4", "2026-01-05", "a", "billing", 9, 4, 1), ("f5", "2026-04-01", "c", None, 0, 1, 7)]


def cells(wh: Warehouse, dimension: str = "all") -> dict[str, tuple[int, ...]]:
    """The cells of one dimension as ``day|=value`` (``day|-`` for a null value) → counts."""
    r = wh.table(ROLLUP_NAME)
    frame = wh.to_pandas(r.filter(r.dimension == dimension))
    out = {}
    for row in frame.itertuples():
        day, _, value = row.cell_id.split("|", 2)
        out[f"{day}|{value}"] = (
            row.nps_n, row.nps_promoters, row.nps_passives, row.nps_detractors,
            row.csat_n, row.csat_top2, row.ces_sum,
        )  # fmt: skip
    return out


def test_full_build_counts_every_answer(warehouse: Warehouse) -> None:
    add(warehouse, FIRST, JAN1)
    done = refresh_rollup(warehouse)
    assert (done.mode, done.rows_summed, done.feedback_rows) == ("full", 3, 3)
    assert cells(warehouse) == {
        "2026-01-05|-": (2, 1, 0, 1, 2, 1, 8),
        "2026-02-10|-": (1, 0, 1, 0, 0, 0, 0),
    }
    assert cells(warehouse, "team")["2026-01-05|=a"] == (2, 1, 0, 1, 2, 1, 8)
    state = rollup_state(warehouse)
    assert state is not None and state.feedback_rows == 3 and state.imported_through == JAN1


def test_appended_rows_are_summed_in_incrementally(warehouse: Warehouse) -> None:
    add(warehouse, FIRST, JAN1)
    refresh_rollup(warehouse)
    assert refresh_rollup(warehouse).mode == "fresh"
    add(warehouse, LATER, JAN2)
    assert not rollup_is_fresh(warehouse)
    done = refresh_rollup(warehouse)
    assert (done.mode, done.rows_summed, done.feedback_rows) == ("incremental", 2, 5)
    assert cells(warehouse)["2026-01-05|-"] == (3, 2, 0, 1, 3, 2, 9)
    assert cells(warehouse)["2026-04-01|-"] == (1, 0, 0, 1, 1, 0, 7)
    assert cells(warehouse, "touchpoint")["2026-04-01|-"] == (1, 0, 0, 1, 1, 0, 7)
    incremental = cells(warehouse)
    refresh_rollup(warehouse, full=True)
    assert cells(warehouse) == incremental
    assert rollup_is_fresh(warehouse)


@pytest.mark.parametrize("imported_at", [None, JAN1])
def test_rows_the_watermark_cannot_place_force_a_full_rebuild(
    warehouse: Warehouse, imported_at: datetime | None
) -> None:
    add(warehouse, FIRST, JAN2)
    refresh_rollup(warehouse)
    add(warehouse, LATER, imported_at)  # no import time, or one before the watermark
    assert not rollup_is_fresh(warehouse)
    assert refresh_rollup(warehouse).mode == "full"
    assert cells(warehouse)["2026-01-05|-"] == (3, 2, 0, 1, 3, 2, 9)


def test_a_delete_behind_its_back_makes_it_stale(warehouse: Warehouse) -> None:
    add(warehouse, FIRST, JAN1)
    refresh_rollup(warehouse)
    warehouse.delete("feedback", "feedback_id", ["f3"])
    assert not rollup_is_fresh(warehouse)
    assert not answers_from_rollup(warehouse, kpi_definition("nps"), None)
    assert kpi_report(warehouse, "nps").results[0].n == 2  # from the rows meanwhile
    assert refresh_rollup(warehouse).mode == "full"
    assert "2026-02-10|-" not in cells(warehouse)


def test_erasure_subtracts_the_rows_and_keeps_it_fresh(warehouse: Warehouse) -> None:
    add(warehouse, FIRST + LATER, JAN1)
    refresh_rollup(warehouse)
    with warehouse.transaction():  # what `cxloop erase` will do for a person's feedback
        assert forget_feedback(warehouse, ["f1", "f5", "unknown"]) == 2
        warehouse.delete("feedback", "feedback_id", ["f1", "f5"])
    assert rollup_is_fresh(warehouse)
    assert cells(warehouse)["2026-01-05|-"] == (2, 1, 0, 1, 2, 1, 7)
    assert "2026-04-01|-" not in cells(warehouse)  # its only answer is gone: no empty cell
    assert "2026-04-01|=c" not in cells(warehouse, "team")
    fresh = cells(warehouse)
    refresh_rollup(warehouse, full=True)
    assert cells(warehouse) == fresh


def test_report_answers_from_the_rollup_only_when_it_covers_and_is_fresh(
    warehouse: Warehouse,
) -> None:
    add(warehouse, FIRST + LATER, JAN1)
    nps, enps = kpi_definition("nps"), kpi_definition("enps")
    before = kpi_report(warehouse, "nps", by="team", period="month")
    assert not answers_from_rollup(warehouse, nps, "team")  # never built
    refresh_rollup(warehouse)
    assert answers_from_rollup(warehouse, nps, "team")
    assert not answers_from_rollup(warehouse, nps, "country")  # needs the customers join
    assert not answers_from_rollup(warehouse, enps, "team")  # not a feedback KPI
    assert kpi_report(warehouse, "nps", by="team", period="month") == before
    with pytest.raises(UsageError, match="does not cover 'nps' by 'country'"):
        report_from(warehouse, "nps", by="country", source="rollup")


def test_a_warehouse_without_the_rollup_tables_answers_from_rows(warehouse: Warehouse) -> None:
    add(warehouse, FIRST, JAN1)
    warehouse.ibis.raw_sql("DROP TABLE kpi_rollup_state")  # as at an older schema, read-only
    assert rollup_state(warehouse) is None and not rollup_is_fresh(warehouse)
    assert kpi_report(warehouse, "nps").results[0].n == 3


def test_a_row_without_ts_counts_in_the_whole_scope_as_from_the_rows(warehouse: Warehouse) -> None:
    add(warehouse, FIRST, JAN1)
    refresh_rollup(warehouse)
    add(warehouse, [("f9", None, "a", None, 10, 5, 1)], JAN2)
    assert refresh_rollup(warehouse).mode == "incremental"
    add(warehouse, [("f10", None, "b", None, 0, 1, 7)], datetime(2026, 3, 3, tzinfo=UTC))
    assert refresh_rollup(warehouse).mode == "incremental"
    assert cells(warehouse)["-|-"] == (2, 1, 0, 1, 2, 1, 8)
    for by in (None, "team"):
        raw = report_from(warehouse, "nps", by=by, source="raw")
        assert report_from(warehouse, "nps", by=by, source="rollup") == raw
