"""Property: every survey KPI × dimension × period summed from the daily rollup equals the
same KPI computed from the feedback rows, on random small tables built by two imports (a full
build, then an incremental refresh)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cxloop.storage import Warehouse, open_warehouse
from cxloop.storage.schema import arrow_schema
from cxloop.understand.kpi import kpi_definition
from cxloop.understand.kpi.aggregation import cell_statistics
from cxloop.understand.kpi.report import report_from
from cxloop.understand.kpi.rollup import refresh_rollup, rollup_is_fresh
from cxloop.understand.kpi.rollup_cells import (
    ROLLUP_DIMENSIONS,
    ROLLUP_KPIS,
    ROLLUP_NAME,
    rollup_cell_statistics,
)

FIRST_DAY = datetime(2025, 12, 20, tzinfo=UTC)  # the days cross a month, quarter and year
PERIODS = (None, "day", "week", "month", "quarter")
COLUMNS = ["feedback_id", "ts", "team_id", "touchpoint", "channel", "source", "language",
           "nps", "csat", "ces", "imported_at"]  # fmt: skip


def _maybe(values: list[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.sampled_from(values))


ROW = st.tuples(
    st.integers(0, 100 * 24 * 60 - 1),  # minutes after FIRST_DAY: about 100 days
    _maybe(["a", "b", "c"]),
    _maybe(["billing", "delivery"]),
    _maybe(["email", "chat"]),
    _maybe(["survey", "app"]),
    _maybe(["en", "es", ""]),
    st.one_of(st.none(), st.integers(0, 10)),
    st.one_of(st.none(), st.integers(1, 5)),
    st.one_of(st.none(), st.integers(1, 7)),
)


@pytest.fixture(scope="module")
def wh() -> Iterator[Warehouse]:
    with open_warehouse("duckdb:///:memory:") as warehouse:
        yield warehouse


def _load(wh: Warehouse, rows: list[tuple[Any, ...]], first: int, imported_at: datetime) -> None:
    records = []
    for i, (minute, *rest) in enumerate(rows):
        values = (f"f{first + i}", FIRST_DAY + timedelta(minutes=minute), *rest, imported_at)
        records.append(dict(zip(COLUMNS, values, strict=True)))
    if records:
        schema = arrow_schema("feedback", COLUMNS)
        wh.append("feedback", pa.Table.from_pylist(records, schema=schema))


def _reset(wh: Warehouse) -> None:
    for table in ("feedback", ROLLUP_NAME, "kpi_rollup_state"):
        wh.ibis.raw_sql(f"DELETE FROM {table}")


def _sorted(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    frame = frame[frame["n"] > 0]
    records = frame.astype(object).where(frame.notna(), None)
    return sorted(
        (
            tuple((c, v) for c, v in zip(records.columns, row, strict=True))
            for row in records.values
        ),
        key=repr,
    )


@pytest.mark.parametrize("period", PERIODS)
@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking, 50 queries a try, is slow
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    first=st.lists(ROW, max_size=40),
    second=st.lists(ROW, max_size=15),
    since_day=st.one_of(st.none(), st.integers(0, 99)),
    days=st.integers(1, 60),
)
def test_rollup_equals_rows(wh: Warehouse, period, first, second, since_day, days) -> None:  # type: ignore[no-untyped-def]
    _reset(wh)
    _load(wh, first, 0, datetime(2026, 1, 1, tzinfo=UTC))
    refresh_rollup(wh)
    _load(wh, second, len(first), datetime(2026, 1, 2, tzinfo=UTC))
    done = refresh_rollup(wh)
    assert done.mode == ("fresh" if not second else "incremental" if first else "full")
    assert rollup_is_fresh(wh)
    since = None if since_day is None else FIRST_DAY.date() + timedelta(days=since_day)
    until = None if since is None else since + timedelta(days=days)
    previous = None if since is None else since - timedelta(days=days)
    rollup = wh.table(ROLLUP_NAME)
    for name in ROLLUP_KPIS:
        definition = kpi_definition(name)
        for dimension in (None, *ROLLUP_DIMENSIONS):
            scope: dict[str, Any] = {"dimension": dimension, "period": period}
            if since is not None and period is None:  # as kpi_report: a window compared
                scope |= {"start": previous, "end": until, "current_from": since}
            elif since is not None:
                scope |= {"start": since, "end": until}
            raw = wh.to_pandas(cell_statistics(definition, wh.table, duckdb=True, **scope))
            summed = wh.to_pandas(rollup_cell_statistics(definition, rollup, **scope))
            assert _sorted(summed) == _sorted(raw), (name, dimension, period, scope)
    # and one whole report end to end, intervals and tests included
    query: dict[str, Any] = {"by": "team", "period": period, "since": since, "until": until}
    assert report_from(wh, "nps", source="rollup", **query) == report_from(
        wh, "nps", source="raw", **query
    )


def test_the_property_sees_cells_of_every_kind(wh: Warehouse) -> None:
    """The comparison above is not vacuous: a table with answers gives cells on both paths."""
    _reset(wh)
    _load(wh, [(60, "a", "billing", "email", "survey", "en", 9, 4, 2)], 0, datetime.now(UTC))
    refresh_rollup(wh)
    definition = kpi_definition("csat_mean")
    raw = wh.to_pandas(cell_statistics(definition, wh.table, dimension="team", period="day"))
    summed = wh.to_pandas(
        rollup_cell_statistics(definition, wh.table(ROLLUP_NAME), dimension="team", period="day")
    )
    assert _sorted(raw) == _sorted(summed)
    assert _sorted(raw) == [
        (("grp", "a"), ("period_start", pd.Timestamp(2025, 12, 20)), ("n", 1), ("total", 4.0),
         ("total_sq", 16.0)),
    ]  # fmt: skip
