"""A KPI's trend as a Vega-Lite spec: the value per period as a line, its 95% interval as a
band, the target (if any) as a dashed rule. Pure: rows in, a JSON-ready ``dict`` out."""

from __future__ import annotations

from typing import Any

import altair as alt

from cxloop.share.charts import FONT, PALETTE


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
    base = alt.Chart(data).encode(x=x)
    band = base.mark_area(opacity=0.2, color=PALETTE[0]).encode(
        y=alt.Y("ci_low:Q", title=value_title, axis=alt.Axis(format=value_format)),
        y2="ci_high:Q",
    )
    line = base.mark_line(point=True, color=PALETTE[0]).encode(
        y=alt.Y("value:Q", title=value_title), tooltip=tooltip
    )
    layers: list[Any] = [band, line]
    if target is not None:
        rule = (
            alt.Chart(alt.Data(values=[{"target": target, "label": target_title}]))
            .mark_rule(strokeDash=[6, 4], color=PALETTE[5], strokeWidth=2)
            .encode(
                y="target:Q",
                tooltip=[alt.Tooltip("target:Q", title=target_title, format=value_format)],
            )
        )
        layers.append(rule)
    chart = alt.layer(*layers).properties(width="container", height=height, description=description)
    config: dict[str, Any] = {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#374151"},
    }
    if locale is not None:
        config["locale"] = locale
    spec: dict[str, Any] = chart.to_dict()
    spec["config"] = {**spec.get("config", {}), **config}
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec
