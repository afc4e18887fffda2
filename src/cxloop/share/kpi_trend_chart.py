"""A KPI's trend as a Vega-Lite spec: the value per period as a line, its 95% interval as a
band, the target (if any) as a dashed rule. Pure: rows in, a JSON-ready ``dict`` out."""

from __future__ import annotations

from typing import Any

import altair as alt

from cxloop.share.chart_layers import dashed_rule, line_with_band
from cxloop.share.charts import finished_spec


def kpi_trend_chart(
    rows: list[dict[str, Any]],
    *,
    period_title: str = "Period",
    value_title: str = "Value",
    interval_title: str = "95% interval",
    n_title: str = "n",
    description: str = "KPI trend",
    value_format: str = ".1f",
    target: float | None = None,
    target_title: str = "Target",
    locale: dict[str, Any] | None = None,
    date_format: str = "%b %Y",
    height: int = 240,
) -> dict[str, Any]:
    """Line, interval band and target rule for one KPI over periods.

    Parameters
    ----------
    rows
        One dict per period: ``period_start`` (ISO date), ``value``, ``ci_low``, ``ci_high``,
        ``n`` (periods with no value are left out of the line and the band).
    value_format
        d3 number format of the values (``.0%`` for shares, ``.1f`` for NPS).
    target
        Drawn as a dashed horizontal rule when given.

    Examples
    --------
    >>> spec = kpi_trend_chart([{"period_start": "2026-01-01", "value": 31.0, "ci_low": 25.0,
    ...                          "ci_high": 37.0, "n": 400}], target=40)
    >>> len(spec["layer"])
    3
    """
    values = [r for r in rows if r.get("value") is not None]
    data = alt.Data(values=values)
    # a tick on each period's first day (and no in-between ticks that name no period)
    ticks = [
        alt.DateTime(year=int(d[:4]), month=int(d[5:7]), date=int(d[8:10]), utc=True)
        for d in (str(r["period_start"]) for r in values)
    ]
    # dates are read as UTC days (utc time unit), so no time zone moves a period's label
    x = alt.X(
        "period_start:T", title=period_title, timeUnit="utcyearmonthdate",
        axis=alt.Axis(format=date_format, labelAngle=0, labelOverlap="greedy", values=ticks),
    )  # fmt: skip
    tooltip = [
        alt.Tooltip("period_start:T", timeUnit="utcyearmonthdate", title=period_title, format="%x"),
        alt.Tooltip("value:Q", title=value_title, format=value_format),
        alt.Tooltip("ci_low:Q", title=f"{interval_title} ↓", format=value_format),
        alt.Tooltip("ci_high:Q", title=f"{interval_title} ↑", format=value_format),
        alt.Tooltip("n:Q", title=n_title, format=",d"),
    ]
    layers: list[Any] = line_with_band(
        alt.Chart(data).encode(x=x), value="value", low="ci_low", high="ci_high",
        title=value_title, axis=alt.Axis(format=value_format), tooltip=tooltip, point=True,
    )  # fmt: skip
    if target is not None:
        tip = alt.Tooltip("target:Q", title=target_title, format=value_format)
        layers.append(dashed_rule("target", target, channel="y", tooltip=tip, label=target_title))
    chart = alt.layer(*layers).properties(width="container", height=height, description=description)
    return finished_spec(chart, locale)
