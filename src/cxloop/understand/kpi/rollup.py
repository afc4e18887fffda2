"""Keep the daily rollup of feedback (``kpi_feedback_daily``) in step with ``feedback``.

The rollup's state row (``kpi_rollup_state``) records how many feedback rows it counts and
the latest ``imported_at`` among them (the watermark). The rollup is **fresh** when
``feedback`` still has that many rows and none imported after the watermark; only then does
:func:`~cxloop.understand.kpi.kpi_report` answer from it. :func:`refresh_rollup` brings it up
to date: rows imported after the watermark are summed into the cells of their days
(incremental: the work is in proportion to the new rows); anything else that changed the row
count (rows without ``imported_at``, rows deleted by something else than
:func:`forget_feedback`) makes it rebuild the rollup in full.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from ibis.common.exceptions import TableNotFound

from cxloop.storage.schema import arrow_schema
from cxloop.understand.kpi.rollup_cells import (
    ROLLUP_NAME,
    ROLLUP_VERSION,
    daily_cells,
    merge_cells,
)

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

STATE_TABLE = "kpi_rollup_state"
_EPOCH = ibis.literal(datetime(1, 1, 1, tzinfo=UTC), type="timestamp('UTC')")
RefreshMode = Literal["fresh", "incremental", "full"]


@dataclass(frozen=True)
class RollupState:
    """What the rollup counts: ``feedback_rows`` rows, imported up to ``imported_through``."""

    version: int
    feedback_rows: int
    imported_through: datetime | None
    refreshed_at: datetime
    mode: str


@dataclass(frozen=True)
class RollupRefresh:
    """What a refresh did: ``mode`` (fresh: nothing to do), the feedback rows it summed, the
    cells it wrote, the feedback rows the rollup now counts, and the time it took."""

    mode: RefreshMode
    rows_summed: int
    cells_written: int
    feedback_rows: int
    seconds: float


def _timestamp(value: object) -> datetime | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(value).tz_convert(UTC).to_pydatetime()  # type: ignore[arg-type]


def rollup_state(wh: Warehouse) -> RollupState | None:
    """The stored state of the rollup; None when it was never built (or the warehouse's
    schema predates it)."""
    try:
        state = wh.table(STATE_TABLE)
    except TableNotFound:  # a read-only warehouse at an older schema version
        return None
    frame = wh.to_pandas(state.filter(state.rollup == ROLLUP_NAME))
    if frame.empty:
        return None
    row = frame.iloc[0]
    return RollupState(
        version=int(row["version"]),
        feedback_rows=int(row["feedback_rows"]),
        imported_through=_timestamp(row["imported_through"]),
        refreshed_at=_timestamp(row["refreshed_at"]) or datetime.now(UTC),
        mode=str(row["mode"]),
    )


def _feedback_since(wh: Warehouse, through: datetime | None) -> tuple[int, int]:
    """Rows of ``feedback``, and rows of it imported after ``through`` (with any
    ``imported_at`` when ``through`` is None). Both are cheap on DuckDB: the row count is
    kept, and row groups imported before ``through`` are skipped on their min/max."""
    f = wh.table("feedback")
    newer = f.filter(f.imported_at > through if through is not None else f.imported_at.notnull())
    expr = f.aggregate(rows=f.count()).cross_join(newer.aggregate(newer=newer.count()))
    frame = wh.to_pandas(expr)
    return int(frame["rows"].iloc[0]), int(frame["newer"].iloc[0])


def _is_fresh(state: RollupState | None, rows: int, newer: int) -> bool:
    return (
        state is not None
        and state.version == ROLLUP_VERSION
        and state.feedback_rows == rows
        and newer == 0
    )


def _watermark(wh: Warehouse, after: datetime | None = None) -> datetime | None:
    """The latest ``imported_at`` of ``feedback`` (looking only past ``after`` when given)."""
    f = wh.table("feedback")
    if after is not None:
        f = f.filter(f.imported_at > after)
    return _timestamp(wh.to_pandas(f.aggregate(through=f.imported_at.max()))["through"].iloc[0])


def rollup_is_fresh(wh: Warehouse) -> bool:
    """Whether the rollup counts exactly the rows ``feedback`` holds now (see the module).

    One query (the state row beside the two counts, the watermark as a scalar subquery): it
    runs in under a millisecond on 10M rows, and every query costs Ibis more than that to
    compile, so the number of queries is what this check's time is made of.
    """
    try:
        state = wh.table(STATE_TABLE)
    except TableNotFound:  # a read-only warehouse at an older schema version
        return False
    mine = state.filter(state.rollup == ROLLUP_NAME)
    through = mine.imported_through.max().as_scalar()
    f = wh.table("feedback")
    newer = f.filter(f.imported_at > through.fill_null(_EPOCH))  # no watermark: any import time
    expr = mine.select("version", "feedback_rows").cross_join(
        f.aggregate(rows=f.count()).cross_join(newer.aggregate(newer=newer.count()))
    )
    frame = wh.to_pandas(expr)
    if frame.empty:
        return False
    row = frame.iloc[0]
    return (
        int(row["version"]) == ROLLUP_VERSION
        and int(row["feedback_rows"]) == int(row["rows"])
        and int(row["newer"]) == 0
    )


def refresh_rollup(wh: Warehouse, *, full: bool = False) -> RollupRefresh:
    """Bring the rollup up to date with ``feedback``, incrementally when it can; rebuild it in
    full with ``full`` (``cxloop kpi rebuild-rollup``). One transaction: a failed refresh
    leaves the rollup as it was.

    Examples
    --------
    >>> refresh_rollup(wh).mode  # doctest: +SKIP
    'incremental'
    """
    started = time.perf_counter()
    duckdb = wh.ibis.name == "duckdb"
    with wh.transaction():
        state = rollup_state(wh)
        through = state.imported_through if state is not None else None
        rows, newer = _feedback_since(wh, through)
        if not full and _is_fresh(state, rows, newer):
            return RollupRefresh("fresh", 0, 0, rows, time.perf_counter() - started)
        feedback = wh.table("feedback")
        incremental = (
            not full
            and state is not None
            and state.version == ROLLUP_VERSION
            and through is not None
            and state.feedback_rows + newer == rows
        )
        if incremental:
            cells = daily_cells(feedback.filter(feedback.imported_at > through), duckdb=duckdb)
            rollup = wh.table(ROLLUP_NAME)
            touched = rollup.filter(rollup.cell_id.isin(cells.cell_id))
            data = _arrow(wh, merge_cells(touched, cells))
            wh.replace(ROLLUP_NAME, data)
            summed, through = newer, _watermark(wh, through)
        else:
            _clear(wh)
            data = _arrow(wh, daily_cells(feedback, duckdb=duckdb))
            wh.append(ROLLUP_NAME, data, keys_known_new=True)
            summed, through = rows, _watermark(wh)
        _write_state(wh, rows, through, "incremental" if incremental else "full")
    mode: RefreshMode = "incremental" if incremental else "full"
    return RollupRefresh(mode, summed, data.num_rows, rows, time.perf_counter() - started)


def forget_feedback(wh: Warehouse, feedback_ids: Sequence[str]) -> int:
    """Take rows of ``feedback`` out of the rollup before they are deleted (privacy erasure).

    Call it in the transaction that deletes the rows, before the delete: it subtracts their
    answers from the cells of their days and lowers the row count, so the rollup stays fresh
    and exact. A rollup that was not fresh is left alone (the next refresh rebuilds it in
    full, as the row count no longer matches). Returns the rows taken out.
    """
    if not feedback_ids:
        return 0
    with wh.transaction():
        state = rollup_state(wh)
        if state is None or not _is_fresh(state, *_feedback_since(wh, state.imported_through)):
            return 0
        rows = state.feedback_rows
        ids = ibis.memtable(pa.table({"feedback_id": pa.array(list(feedback_ids), pa.string())}))
        feedback = wh.table("feedback")
        gone = feedback.filter(feedback.feedback_id.isin(ids.feedback_id))
        count = int(wh.to_pandas(gone.aggregate(n=gone.count()))["n"].iloc[0])
        if count == 0:
            return 0
        cells = daily_cells(gone, duckdb=wh.ibis.name == "duckdb")
        rollup = wh.table(ROLLUP_NAME)
        touched = rollup.filter(rollup.cell_id.isin(cells.cell_id))
        merged = merge_cells(touched, cells, sign=(1, -1))
        data = _arrow(wh, merged)
        keep = pc.or_(
            pc.or_(pc.greater(data["nps_n"], 0), pc.greater(data["csat_n"], 0)),
            pc.greater(data["ces_n"], 0),
        )
        emptied = data.filter(pc.invert(keep))["cell_id"].to_pylist()
        wh.delete(ROLLUP_NAME, "cell_id", emptied)
        wh.replace(ROLLUP_NAME, data.filter(keep))
        # the watermark stays: the rows left were imported no later than it
        _write_state(wh, rows - count, state.imported_through, "erased")
    return count


def _arrow(wh: Warehouse, expr: ibis.Table) -> pa.Table:
    data = wh.to_pyarrow(expr)
    return data.select(arrow_schema(ROLLUP_NAME).names).cast(arrow_schema(ROLLUP_NAME))


def _clear(wh: Warehouse) -> None:
    rollup = wh.table(ROLLUP_NAME)
    dimensions = wh.to_pandas(rollup.select("dimension").distinct())["dimension"].tolist()
    wh.delete(ROLLUP_NAME, "dimension", [str(d) for d in dimensions])


def _write_state(wh: Warehouse, rows: int, through: datetime | None, mode: str) -> None:
    row = {
        "rollup": ROLLUP_NAME,
        "version": ROLLUP_VERSION,
        "feedback_rows": rows,
        "imported_through": through,
        "refreshed_at": datetime.now(UTC),
        "mode": mode,
    }
    wh.replace(STATE_TABLE, pa.Table.from_pylist([row], schema=arrow_schema(STATE_TABLE)))
