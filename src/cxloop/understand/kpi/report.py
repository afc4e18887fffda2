"""Run a KPI query through the warehouse and attach intervals, tests and small-n flags."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from cxloop.domain.kpi import KpiInfo, KpiReport, KpiResult
from cxloop.errors import UsageError
from cxloop.understand.confidentiality import DEFAULT_MIN_GROUP_N, suppressed_groups
from cxloop.understand.kpi import statistics as st
from cxloop.understand.kpi.aggregation import PERIOD_UNITS, Period, cell_statistics
from cxloop.understand.kpi.definitions import KPIS, KpiDefinition, check_dimension, kpi_definition
from cxloop.understand.kpi.rollup import rollup_is_fresh
from cxloop.understand.kpi.rollup_cells import ROLLUP_NAME, covers, rollup_cell_statistics
from cxloop.understand.kpi.segment_rows import SEGMENT_NOTE
from cxloop.understand.kpi.survival import Durations, km_median, logrank_p_value

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

Source = Literal["auto", "raw", "rollup"]
DEFAULT_SMALL_N = 30
ALPHA = 0.05
_TESTS = {
    "nps": "two-sample z-test on the NPS difference (trinomial variance)",
    "proportion": "pooled two-proportion z-test",
    "mean": "Welch's t-test",
    "survival": "log-rank test (the change is the difference of Kaplan-Meier medians)",
}


def previous_period_start(start: date, period: str) -> date:
    """The first day of the period before the one starting on ``start``."""
    if period == "day":
        return start - timedelta(days=1)
    if period == "week":
        return start - timedelta(days=7)
    months = 1 if period == "month" else 3
    index = start.year * 12 + start.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def list_kpis() -> list[KpiInfo]:
    """Every KPI in the library with its formula and breakdown dimensions."""
    return [
        KpiInfo(
            name=d.name, title=d.title, shape=d.shape, table=d.table, formula=d.formula,
            unit=d.unit, dimensions=list(d.dimensions),
        )
        for d in KPIS.values()
    ]  # fmt: skip


def kpi_report(
    wh: Warehouse,
    name: str,
    *,
    by: str | None = None,
    period: Period | None = None,
    since: date | None = None,
    until: date | None = None,
    small_n: int = DEFAULT_SMALL_N,
    min_group_n: int = DEFAULT_MIN_GROUP_N,
) -> KpiReport:
    """Compute KPI ``name``, optionally by a dimension and/or per period.

    Without ``period``: one value per cell over ``since <= ts < until``; when ``since`` is given
    the cell is compared with the window of the same length just before it. With ``period``:
    a trend, each period compared with the period before it. When more than one cell is tested,
    the p-values are adjusted with Benjamini-Hochberg and ``significant`` uses the q-value.

    A KPI of employee answers (eNPS) withholds every cell with fewer distinct respondents than
    ``min_group_n`` (and, in a breakdown, the cells hidden with it): see
    :func:`cxloop.understand.confidentiality.suppressed_groups`.

    Examples
    --------
    >>> report = kpi_report(wh, "nps", by="team", since=date(2026, 1, 1))  # doctest: +SKIP
    """
    return report_from(
        wh, name, by=by, period=period, since=since, until=until, small_n=small_n,
        min_group_n=min_group_n,
    )  # fmt: skip


def report_from(
    wh: Warehouse,
    name: str,
    *,
    by: str | None = None,
    period: Period | None = None,
    since: date | None = None,
    until: date | None = None,
    small_n: int = DEFAULT_SMALL_N,
    min_group_n: int = DEFAULT_MIN_GROUP_N,
    source: Source = "auto",
) -> KpiReport:
    """:func:`kpi_report` from a chosen ``source``: ``"auto"`` (the daily rollup when it covers
    the query and is fresh, else the rows), ``"raw"`` (always the rows) or ``"rollup"`` (the
    rollup, an error when it does not cover the query; for tests and benchmarks)."""
    definition = kpi_definition(name)
    if by is not None:
        check_dimension(definition, by)
    if period is not None and period not in PERIOD_UNITS:
        raise UsageError(f"unknown period {period!r}; valid periods: {', '.join(PERIOD_UNITS)}")
    if since is not None and until is not None and until <= since:
        raise UsageError(f"--until ({until}) must be after --since ({since})")
    previous_since = None
    if period is None and since is not None:
        end = until or date.today() + timedelta(days=1)
        previous_since = since - (end - since)
    scope = {
        "dimension": by, "period": period, "start": previous_since or since, "end": until,
        "current_from": previous_since and since,
    }  # fmt: skip
    with wh.lock:  # no write between the freshness check and the query
        if answers_from_rollup(wh, definition, by, source):
            rollup = wh.table(ROLLUP_NAME)
            expr = rollup_cell_statistics(definition, rollup, **scope)  # type: ignore[arg-type]
        else:
            duckdb = wh.ibis.name == "duckdb"
            expr = cell_statistics(definition, wh.table, duckdb=duckdb, **scope)  # type: ignore[arg-type]
        frame = wh.to_pandas(expr)
    results = _results(definition, frame, by=by, period=period, compare=previous_since is not None,
                       small_n=small_n, min_group_n=min_group_n)  # fmt: skip
    return KpiReport(
        kpi=name, dimension=by, period=period, since=since, until=until,
        previous_since=previous_since, small_n_threshold=small_n, results=results,
        note=SEGMENT_NOTE if by == "segment" else None,
    )  # fmt: skip


def answers_from_rollup(
    wh: Warehouse, definition: KpiDefinition, by: str | None, source: Source = "auto"
) -> bool:
    """Whether a query of ``definition`` by ``by`` is answered from the daily rollup."""
    if source == "raw":
        return False
    # a view that filters the rows (a segment's goals) cannot read the whole table's rollup
    if not covers(definition, by) or getattr(wh, "rows_filtered", False):
        if source == "rollup":
            raise UsageError(f"the daily rollup does not cover {definition.name!r} by {by!r}")
        return False
    return source == "rollup" or rollup_is_fresh(wh)


def kpi_frame(wh: Warehouse, name: str, **options: Any) -> pd.DataFrame:
    """:func:`kpi_report` as a pandas DataFrame, one row per cell (for notebooks)."""
    report = kpi_report(wh, name, **options)
    return pd.DataFrame([r.model_dump() for r in report.results])


_STAT_COLUMNS = {
    "nps": ("n", "promoters", "detractors"),
    "proportion": ("n", "successes"),
    "mean": ("n", "total", "total_sq"),
    "survival": ("n", "durations"),
}


def _value_and_interval(shape: str, s: tuple[Any, ...]) -> tuple[float, float, float]:
    n = s[0]
    if n <= 0:
        return (math.nan, math.nan, math.nan)
    if shape == "survival":
        median, low, high = km_median(s[1])
        return tuple(math.nan if v is None else v for v in (median, low, high))  # type: ignore[return-value]
    if shape == "nps":
        low, high = st.nps_interval(*s)
        return (100 * (s[1] - s[2]) / n, low, high)
    if shape == "proportion":
        low, high = st.wilson_interval(s[1], n)
        return (s[1] / n, low, high)
    low, high = st.mean_interval(*s)
    return (s[1] / n, low, high)


def _p_value(shape: str, current: tuple[Any, ...], previous: tuple[Any, ...]) -> float:
    if shape == "survival":
        return logrank_p_value(current[1], previous[1])
    if shape == "nps":
        return st.nps_change_test(current, previous)  # type: ignore[arg-type]
    if shape == "proportion":
        return st.proportion_change_test(current, previous)  # type: ignore[arg-type]
    return st.mean_change_test(current, previous)  # type: ignore[arg-type]


def _survival_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Survival counts (a row per cell, duration and outcome) → a row per cell with ``n`` and
    ``durations`` (:class:`Durations`)."""
    keys = [c for c in ("grp", "period_start", "window") if c in frame]
    rows: list[dict[str, Any]] = []
    grouped = frame.groupby(keys, dropna=False, sort=False) if keys else [((), frame)]
    for key, part in grouped:
        part = part.sort_values(["x", "event"])
        durations = Durations(
            tuple(map(float, part["x"])), tuple(map(int, part["event"])),
            tuple(map(int, part["n"])),
        )  # fmt: skip
        values = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(keys, values, strict=True)), "n": durations.n,
                     "durations": durations})  # fmt: skip
    return pd.DataFrame(rows, columns=[*keys, "n", "durations"])


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _results(
    definition: KpiDefinition,
    frame: pd.DataFrame,
    *,
    by: str | None,
    period: str | None,
    compare: bool,
    small_n: int,
    min_group_n: int = DEFAULT_MIN_GROUP_N,
) -> list[KpiResult]:
    if definition.shape == "survival":
        frame = _survival_cells(frame)
    frame = frame[frame["n"] > 0] if len(frame) else frame
    rows = len(frame)
    # columns read once as plain lists: a thousand cells cost milliseconds, not tens of them
    groups = list(frame["grp"]) if "grp" in frame else [None] * rows
    windows = list(frame["window"]) if "window" in frame else ["current"] * rows
    starts: list[Any] = [None] * rows
    if "period_start" in frame:
        starts = [None if s is None or pd.isna(s) else pd.Timestamp(s).date()
                  for s in frame["period_start"]]  # fmt: skip
    stats = [
        list(frame[c]) if c == "durations" else list(map(float, frame[c]))
        for c in _STAT_COLUMNS[definition.shape]
    ]
    per_cell = zip(*stats, strict=True)
    stats_of: dict[tuple[Any, Any, str], tuple[float, ...]] = {
        (grp, day, window): cell
        for grp, day, window, cell in zip(groups, starts, windows, per_cell, strict=True)
    }
    respondents: dict[tuple[Any, Any, str], int] = {}
    if definition.confidential:
        respondents = {
            key: int(n)
            for key, n in zip(
                zip(groups, starts, windows, strict=True), frame["respondents"], strict=True
            )
        }
    hidden = _hidden_cells(respondents, min_group_n, breakdown=by is not None)
    cells = sorted(
        (k for k in stats_of if k[2] == "current"),
        key=lambda k: (str(k[0]), k[1] if k[1] is not None else date.min),
    )
    fields: list[dict[str, Any]] = []
    for grp, start, _ in cells:
        current = stats_of[(grp, start, "current")]
        group = None if grp is None or pd.isna(grp) else str(grp)
        if (grp, start, "current") in hidden:  # too few employees: n shown, nothing else
            fields.append({
                "kpi": definition.name, "value": None, "n": int(current[0]), "small_n": True,
                "dimension": by, "group": group, "period_start": start,
                "suppressed": hidden[(grp, start, "current")],
            })  # fmt: skip
            continue
        if period is not None and start is not None:
            previous_key = (grp, previous_period_start(start, period), "current")
        else:
            previous_key = (grp, start, "previous")
        previous = None
        if (period is not None and start is not None) or compare:
            previous = None if previous_key in hidden else stats_of.get(previous_key)
        value, low, high = _value_and_interval(definition.shape, current)
        cell: dict[str, Any] = {
            "kpi": definition.name, "value": _num(value), "n": int(current[0]),
            "ci_low": _num(low), "ci_high": _num(high), "small_n": current[0] < small_n,
            "dimension": by, "group": group, "period_start": start,
        }  # fmt: skip
        if definition.shape == "survival":
            cell["events"] = current[1].event_count  # type: ignore[attr-defined]
        if previous is not None:
            prev_value = _value_and_interval(definition.shape, previous)[0]
            cell["previous_value"] = _num(prev_value)
            cell["previous_n"] = int(previous[0])
            cell["change"] = _num(value - prev_value)
            cell["p_value"] = _num(_p_value(definition.shape, current, previous))
            cell["test"] = _TESTS[definition.shape]
        fields.append(cell)
    tested = [c for c in fields if c.get("p_value") is not None]
    q_values = st.benjamini_hochberg([c["p_value"] for c in tested])
    for c, q in zip(tested, q_values, strict=True):
        c["q_value"] = _num(q) if len(tested) > 1 else c["p_value"]
        c["significant"] = bool(c["q_value"] is not None and c["q_value"] < ALPHA)
    return [KpiResult(**c) for c in fields]


def _hidden_cells(
    respondents: dict[tuple[Any, Any, str], int], min_group_n: int, *, breakdown: bool
) -> dict[tuple[Any, Any, str], Any]:
    """Cells of employee answers to withhold: per period and window, across the breakdown's
    groups (whose total is the unbroken KPI, so complementary suppression applies)."""
    slices: dict[tuple[Any, str], dict[Any, int]] = {}
    for (grp, day, window), n in respondents.items():
        slices.setdefault((day, window), {})[grp] = n
    hidden: dict[tuple[Any, Any, str], Any] = {}
    for (day, window), sizes in slices.items():
        for grp, reason in suppressed_groups(sizes, min_group_n, total_shown=breakdown).items():
            hidden[(grp, day, window)] = reason
    return hidden
