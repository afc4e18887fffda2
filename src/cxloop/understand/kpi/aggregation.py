"""Scored rows → sufficient statistics per cell, as Ibis expressions (pure, no I/O)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import ibis
import ibis.expr.types as ir

from cxloop.errors import UsageError
from cxloop.understand.kpi.definitions import KpiDefinition, TableGetter, with_country
from cxloop.understand.kpi.duckdb_time import epoch_us, make_timestamp
from cxloop.understand.kpi.segment_rows import with_segment

Period = Literal["day", "week", "month", "quarter"]
PERIOD_UNITS: dict[str, str] = {"day": "D", "week": "W", "month": "M", "quarter": "Q"}


def utc_timestamp(ts: ir.Value, *, duckdb: bool = False) -> ir.Value:
    """``ts`` as a naive UTC timestamp. On DuckDB through epoch microseconds: a plain cast of
    a TIMESTAMPTZ goes through the ICU time-zone code and is several times slower over
    millions of rows (see benchmarks/kpi_speed.py); elsewhere the portable cast."""
    if duckdb:
        return make_timestamp(epoch_us(ts))  # type: ignore[arg-type]
    return ts.cast("timestamp")


def _ts(value: date) -> ir.Value:
    return ibis.literal(datetime(value.year, value.month, value.day), type="timestamp")


def cell_statistics(
    definition: KpiDefinition,
    table: TableGetter,
    *,
    dimension: str | None = None,
    period: Period | None = None,
    start: date | None = None,
    end: date | None = None,
    current_from: date | None = None,
    duckdb: bool = False,
) -> ir.Table:
    """Sufficient statistics of ``definition`` per cell, over rows with ``start <= ts < end``.

    Cells are the values of ``dimension`` (column ``grp``), of the ``period`` the row falls in
    (column ``period_start``), and — when ``current_from`` is given — ``window``: ``"current"``
    for rows from ``current_from`` on, ``"previous"`` before it.

    Columns: ``n`` and, by shape, ``promoters``/``detractors`` (nps), ``successes``
    (proportion), ``total``/``total_sq`` (mean) or, for a survival KPI, one row per distinct
    duration ``x`` and ``event`` (see :func:`survival_statistics`), and ``respondents``
    (distinct employees) for a confidential KPI. ``duckdb`` picks a faster but DuckDB-only way
    to read timestamps (:func:`utc_timestamp`).
    """
    rows = definition.scored_rows(table)
    if dimension == "country":  # joined only when asked for: a join over every row costs
        rows = with_country(rows, table)
    elif dimension == "segment":  # a row once per segment its customer was in at its time
        rows = with_segment(rows, table("segment_members"))
    ts = utc_timestamp(rows.ts, duckdb=duckdb)
    if start is not None:
        rows = rows.filter(ts >= _ts(start))
    if end is not None:
        rows = rows.filter(ts < _ts(end))
    keys: dict[str, ir.Value] = {}
    if dimension is not None:
        keys["grp"] = rows[definition.column(dimension)].cast("string")
    if period is not None:
        keys["period_start"] = ts.truncate(PERIOD_UNITS[period]).cast("date")
    if current_from is not None:
        keys["window"] = ibis.ifelse(ts >= _ts(current_from), "current", "previous")
    rows = rows.mutate(**keys)
    names = list(keys)
    if definition.customer_rollup in ("retained", "churned"):
        return _retention(rows, names, period, churn=definition.customer_rollup == "churned")
    if definition.customer_rollup is not None:
        by_customer = rows.group_by([*names, "customer_id"])
        if definition.customer_rollup == "sum":
            rows = by_customer.aggregate(x=rows.x.sum())
        else:
            rows = by_customer.aggregate(x=(rows.count() >= 2).cast("int64"))
    if definition.shape == "survival":
        return survival_statistics(rows, names)
    x = rows.x
    if definition.shape == "nps":
        metrics = {
            "n": x.count(),
            "promoters": (x >= 9).cast("int64").sum(),
            "detractors": (x <= 6).cast("int64").sum(),
        }
    elif definition.shape == "proportion":
        metrics = {"n": x.count(), "successes": x.cast("int64").sum()}
    else:
        xf = x.cast("float64")
        metrics = {"n": x.count(), "total": xf.sum(), "total_sq": (xf * xf).sum()}
    if definition.confidential:
        # a pulse without an employee id is one more respondent of its own
        anonymous = rows.employee_id.isnull().cast("int64").sum()
        metrics["respondents"] = rows.employee_id.nunique() + anonymous.fill_null(0)
    return rows.group_by(names).aggregate(**metrics) if names else rows.aggregate(**metrics)


_STEP = {
    "day": ibis.interval(days=1),
    "week": ibis.interval(days=7),
    "month": ibis.interval(months=1),
    "quarter": ibis.interval(months=3),
}


def _retention(rows: ir.Table, names: list[str], period: Period | None, *, churn: bool) -> ir.Table:
    """Customers active in one period (or the previous window) followed into the next.

    The cell of period P counts the customers active in the period before P (``n``) and those
    of them active in P (``successes``; for churn, those not active). Without a period the
    ``window`` key splits the rows: the base is the previous window, the cell is ``current``.
    """
    active = rows.select(*names, "customer_id").distinct()
    follow = [k for k in names if k not in ("period_start", "window")]
    if period is not None:
        base = active.mutate(next_start=(active.period_start + _STEP[period]).cast("date"))
        # no cell for the period after the last one with data: nobody could have come back yet
        base = base.filter(base.next_start <= active.period_start.max())
        later = active.select(*follow, "customer_id", "period_start", seen=ibis.literal(1))
        on = [base.customer_id == later.customer_id, base.next_start == later.period_start]
        keys = {"period_start": base.next_start}
    elif "window" in names:
        base = active.filter(active.window == "previous")
        later = active.filter(active.window == "current").select(
            *follow, "customer_id", seen=ibis.literal(1)
        )
        on = [base.customer_id == later.customer_id]
        keys = {"window": ibis.literal("current")}
    else:
        raise UsageError("retention and churn compare two periods: give --period or --since")
    on += [base[k] == later[k] for k in follow]
    joined = base.left_join(later, on)
    seen = joined.seen.fill_null(0).cast("int64")
    cells = joined.mutate(
        **{k: joined[k] for k in follow}, **keys, kept=1 - seen if churn else seen
    )
    return cells.group_by([*follow, *keys]).aggregate(n=cells.count(), successes=cells.kept.sum())


def survival_statistics(rows: ir.Table, names: list[str]) -> ir.Table:
    """Durations reduced to counts: per cell, ``n`` rows for each duration ``x`` (hours,
    rounded to the minute) and ``event`` (1: resolved, 0: censored). The Kaplan-Meier estimate
    needs every distinct time, but no more: thousands of cases make a few hundred rows."""
    minutes = (rows.x * 60).round().cast("int64")
    rows = rows.mutate(x=minutes.cast("float64") / 60, event=rows.event.cast("int64"))
    return rows.group_by([*names, "x", "event"]).aggregate(n=rows.count())
