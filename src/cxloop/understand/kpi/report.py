"""Run a KPI query through the warehouse and attach intervals, tests and small-n flags."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxloop.domain.kpi import KpiInfo, KpiReport, KpiResult
from cxloop.errors import UsageError
from cxloop.understand.confidentiality import DEFAULT_MIN_GROUP_N, suppressed_groups
from cxloop.understand.kpi import statistics as st
from cxloop.understand.kpi.aggregation import PERIOD_UNITS, Period, cell_statistics
from cxloop.understand.kpi.definitions import KPIS, KpiDefinition, check_dimension, kpi_definition

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

DEFAULT_SMALL_N = 30
ALPHA = 0.05
_TESTS = {
    "nps": "two-sample z-test on the NPS difference (trinomial variance)",
    "proportion": "pooled two-proportion z-test",
    "mean": "Welch's t-test",
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
    expr = cell_statistics(
        definition, wh.table, dimension=by, period=period,
        start=previous_since or since, end=until, current_from=previous_since and since,
        duckdb=wh.ibis.name == "duckdb",
    )  # fmt: skip
    frame = wh.to_pandas(expr)
    results = _results(definition, frame, by=by, period=period, compare=previous_since is not None,
                       small_n=small_n, min_group_n=min_group_n)  # fmt: skip
    return KpiReport(
        kpi=name, dimension=by, period=period, since=since, until=until,
        previous_since=previous_since, small_n_threshold=small_n, results=results,
    )  # fmt: skip


def kpi_frame(wh: Warehouse, name: str, **options: Any) -> pd.DataFrame:
    """:func:`kpi_report` as a pandas DataFrame, one row per cell (for notebooks)."""
    report = kpi_report(wh, name, **options)
    return pd.DataFrame([r.model_dump() for r in report.results])


def _stats(definition: KpiDefinition, row: Any) -> tuple[float, ...]:
    if definition.shape == "nps":
        return (float(row.n), float(row.promoters), float(row.detractors))
    if definition.shape == "proportion":
        return (float(row.n), float(row.successes))
    return (float(row.n), float(row.total), float(row.total_sq))


def _value_and_interval(shape: str, s: tuple[float, ...]) -> tuple[float, float, float]:
    n = s[0]
    if n <= 0:
        return (math.nan, math.nan, math.nan)
    if shape == "nps":
        low, high = st.nps_interval(*s)
        return (100 * (s[1] - s[2]) / n, low, high)
    if shape == "proportion":
        low, high = st.wilson_interval(s[1], n)
        return (s[1] / n, low, high)
    low, high = st.mean_interval(*s)
    return (s[1] / n, low, high)


def _p_value(shape: str, current: tuple[float, ...], previous: tuple[float, ...]) -> float:
    if shape == "nps":
        return st.nps_change_test(current, previous)  # type: ignore[arg-type]
    if shape == "proportion":
        return st.proportion_change_test(current, previous)  # type: ignore[arg-type]
    return st.mean_change_test(current, previous)  # type: ignore[arg-type]


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
    frame = frame[frame["n"] > 0] if len(frame) else frame
    if "grp" not in frame:
        frame = frame.assign(grp=None)
    stats_of: dict[tuple[Any, Any, str], tuple[float, ...]] = {}
    respondents: dict[tuple[Any, Any, str], int] = {}
    for row in frame.itertuples(index=False):
        window = getattr(row, "window", "current")
        start = getattr(row, "period_start", None)
        day = None if start is None or pd.isna(start) else pd.Timestamp(start).date()
        stats_of[(row.grp, day, window)] = _stats(definition, row)
        if definition.confidential:
            respondents[(row.grp, day, window)] = int(row.respondents)
    hidden = _hidden_cells(respondents, min_group_n, breakdown=by is not None)
    cells = sorted(
        (k for k in stats_of if k[2] == "current"),
        key=lambda k: (str(k[0]), k[1] if k[1] is not None else date.min),
    )
    results = []
    for grp, start, _ in cells:
        current = stats_of[(grp, start, "current")]
        if period is not None and start is not None:
            previous = stats_of.get((grp, previous_period_start(start, period), "current"))
        else:
            previous = stats_of.get((grp, start, "previous")) if compare else None
        group = None if grp is None or pd.isna(grp) else str(grp)
        if (grp, start, "current") in hidden:
            results.append(
                KpiResult(
                    kpi=definition.name,
                    value=None,
                    n=int(current[0]),
                    small_n=True,
                    dimension=by,
                    group=group,
                    period_start=start,
                    suppressed=hidden[(grp, start, "current")],
                )
            )
            continue
        if period is not None and start is not None:
            previous_key = (grp, previous_period_start(start, period), "current")
        else:
            previous_key = (grp, start, "previous")
        if previous_key in hidden:
            previous = None
        value, low, high = _value_and_interval(definition.shape, current)
        result = KpiResult(
            kpi=definition.name, value=_num(value), n=int(current[0]),
            ci_low=_num(low), ci_high=_num(high), small_n=current[0] < small_n,
            dimension=by, group=group, period_start=start,
        )  # fmt: skip
        if previous is not None:
            prev_value = _value_and_interval(definition.shape, previous)[0]
            result.previous_value = _num(prev_value)
            result.previous_n = int(previous[0])
            result.change = _num(value - prev_value)
            result.p_value = _num(_p_value(definition.shape, current, previous))
            result.test = _TESTS[definition.shape]
        results.append(result)
    tested = [r for r in results if r.p_value is not None]
    q_values = st.benjamini_hochberg([r.p_value for r in tested])  # type: ignore[misc]
    for r, q in zip(tested, q_values, strict=True):
        r.q_value = _num(q) if len(tested) > 1 else r.p_value
        r.significant = bool(r.q_value is not None and r.q_value < ALPHA)
    return results


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
