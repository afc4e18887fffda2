"""The daily rollup of feedback as Ibis expressions (pure, no I/O).

``kpi_feedback_daily`` holds, per UTC day and per value of one breakdown dimension, the counts
every survey KPI is computed from: for NPS n, promoters, passives, detractors; for CSAT n, the
top-2-box count, Σx and Σx²; for CES n, Σx and Σx². The answers are integers, so every sum is
exact and a KPI summed from the rollup equals the KPI computed from the rows.

Each row of ``feedback`` is counted once per dimension (``dimension = "all"`` for the whole
scope, ``value`` null), like SQL's grouping sets: a KPI query breaks down by at most one
dimension, and cells of one dimension stay few (days × values) where a full cube of five
dimensions could hold as many cells as there are rows.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from cxloop.understand.kpi.aggregation import PERIOD_UNITS, Period, utc_timestamp
from cxloop.understand.kpi.definitions import KpiDefinition

#: the rollup's definition; a different number makes a stored rollup stale (rebuilt in full)
ROLLUP_VERSION = 1
ROLLUP_NAME = "kpi_feedback_daily"
ALL = "all"
#: breakdown dimension → feedback column; ``country`` needs the customers join: not rolled up
ROLLUP_DIMENSIONS: dict[str, str] = {
    "touchpoint": "touchpoint",
    "channel": "channel",
    "team": "team_id",
    "language": "language",
    "source": "source",
}
#: survey KPI → the prefix of its columns in the rollup
ROLLUP_KPIS: dict[str, str] = {"nps": "nps", "csat": "csat", "csat_mean": "csat", "ces": "ces"}
COUNT_COLUMNS = (
    "nps_n", "nps_promoters", "nps_passives", "nps_detractors",
    "csat_n", "csat_top2", "csat_sum", "csat_sum_sq",
    "ces_n", "ces_sum", "ces_sum_sq",
)  # fmt: skip


def _flag(condition: ir.BooleanValue) -> ir.IntegerValue:
    return ibis.ifelse(condition, 1, 0).cast("int64")  # a null answer counts 0


def _counts(rows: ir.Table) -> dict[str, ir.Value]:
    nps, csat, ces = rows.nps.cast("int64"), rows.csat.cast("int64"), rows.ces.cast("int64")
    return {
        "nps_n": nps.count(),
        "nps_promoters": _flag(nps >= 9).sum(),
        "nps_passives": _flag((nps > 6) & (nps < 9)).sum(),
        "nps_detractors": _flag(nps <= 6).sum(),
        "csat_n": csat.count(),
        "csat_top2": _flag(csat >= 4).sum(),
        "csat_sum": csat.sum().fill_null(0),
        "csat_sum_sq": (csat * csat).sum().fill_null(0),
        "ces_n": ces.count(),
        "ces_sum": ces.sum().fill_null(0),
        "ces_sum_sq": (ces * ces).sum().fill_null(0),
    }


def cell_id(day: ir.Value, dimension: ir.Value, value: ir.Value) -> ir.StringValue:
    """The key of a cell: ``day|dimension|=value`` (``-`` for a null value or day: a row
    without ``ts`` is counted in no period but in the whole scope, as from the rows)."""
    shown = ibis.ifelse(value.isnull(), "-", "=" + value.fill_null(""))
    return day.cast("string").fill_null("-") + "|" + dimension + "|" + shown


def daily_cells(feedback: ir.Table, *, duckdb: bool = False) -> ir.Table:
    """The rollup rows of ``feedback`` (all of it or a filtered part), one per day × cell.

    Rows without any of the three survey answers are left out: they count in no survey KPI.
    """
    f = feedback.filter(feedback.nps.notnull() | feedback.csat.notnull() | feedback.ces.notnull())
    day = utc_timestamp(f.ts, duckdb=duckdb).truncate("D").cast("date")
    dimensions = {name: f[column].cast("string") for name, column in ROLLUP_DIMENSIONS.items()}
    base = f.select(day=day, nps=f.nps, csat=f.csat, ces=f.ces, **dimensions)
    # one group-by per grouping set, each straight from the rows: measured faster than
    # grouping by day × all five dimensions first and summing those (3.3 s against 5.9 s on
    # 2M rows, two busy cores)
    parts = []
    for name in (ALL, *ROLLUP_DIMENSIONS):
        value = ibis.null("string") if name == ALL else base[name]
        grouped = base.group_by(day=base.day, value=value).aggregate(**_counts(base))
        parts.append(grouped.mutate(dimension=ibis.literal(name)))
    cells = ibis.union(*parts)
    return cells.select(
        cell_id=cell_id(cells.day, cells.dimension, cells.value),
        day=cells.day, dimension=cells.dimension, value=cells.value,
        **{c: cells[c] for c in COUNT_COLUMNS},
    )  # fmt: skip


def merge_cells(*parts: ir.Table, sign: tuple[int, ...] | None = None) -> ir.Table:
    """Cells of the same key summed over ``parts``, each multiplied by its ``sign`` (default
    +1). A cell whose answers were all subtracted is kept, with zero counts."""
    signs = sign or (1,) * len(parts)
    signed = [
        p.select(
            "cell_id",
            "day",
            "dimension",
            "value",
            **{c: (p[c] * s).cast("int64") for c in COUNT_COLUMNS},
        )
        for p, s in zip(parts, signs, strict=True)
    ]
    union = ibis.union(*signed)
    return union.group_by(["cell_id", "day", "dimension", "value"]).aggregate(
        **{c: union[c].sum().cast("int64") for c in COUNT_COLUMNS}
    )


def _date(value: date) -> ir.Value:
    return ibis.literal(value, type="date")


def rollup_cell_statistics(
    definition: KpiDefinition,
    rollup: ir.Table,
    *,
    dimension: str | None = None,
    period: Period | None = None,
    start: date | None = None,
    end: date | None = None,
    current_from: date | None = None,
) -> ir.Table:
    """What :func:`~cxloop.understand.kpi.aggregation.cell_statistics` gives for a survey KPI,
    summed from the rollup: the same cells, columns and numbers."""
    prefix = ROLLUP_KPIS[definition.name]
    r = rollup.filter(rollup.dimension == (dimension or ALL), rollup[f"{prefix}_n"] > 0)
    if start is not None:
        r = r.filter(r.day >= _date(start))
    if end is not None:
        r = r.filter(r.day < _date(end))
    keys: dict[str, ir.Value] = {}
    if dimension is not None:
        keys["grp"] = r.value
    if period is not None:
        keys["period_start"] = r.day.truncate(PERIOD_UNITS[period]).cast("date")
    if current_from is not None:
        keys["window"] = ibis.ifelse(r.day >= _date(current_from), "current", "previous")
    r = r.mutate(**keys)
    n = r[f"{prefix}_n"].sum()
    if definition.shape == "nps":
        metrics = {"n": n, "promoters": r.nps_promoters.sum(), "detractors": r.nps_detractors.sum()}
    elif definition.shape == "proportion":
        metrics = {"n": n, "successes": r.csat_top2.sum()}
    else:
        metrics = {
            "n": n,
            "total": r[f"{prefix}_sum"].sum().cast("float64"),
            "total_sq": r[f"{prefix}_sum_sq"].sum().cast("float64"),
        }
    return r.group_by(list(keys)).aggregate(**metrics) if keys else r.aggregate(**metrics)


def covers(definition: KpiDefinition, dimension: str | None) -> bool:
    """Whether the rollup holds what ``definition`` broken down by ``dimension`` needs."""
    return definition.name in ROLLUP_KPIS and (dimension is None or dimension in ROLLUP_DIMENSIONS)
