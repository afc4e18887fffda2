"""Charts as data: Vega-Lite specs built with Altair from DataFrames.

Every function here is pure (a DataFrame in, a JSON-ready ``dict`` out, no I/O), so the same
spec can be drawn by the dashboard in the browser, written into a static report, or turned
into a PNG with vl-convert. Titles and labels come in as arguments, already translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

#: Okabe & Ito's palette: told apart by people with any common colour-vision deficiency
#: (its pale yellow last, as it stands out least against white)
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
    "#F0E442",
)
FONT = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', "
    "'WenQuanYi Micro Hei', sans-serif"
)
#: the axis and legend text every chart shares
AXIS_CONFIG = {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#374151"}
LEGEND_CONFIG = {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 200}
_D3_LOCALES = {"en": "en-US", "es": "es-ES", "zh": "zh-CN"}
#: how each UI language writes a day on a time axis (d3-time-format)
_AXIS_DATE_FORMATS = {"en": "%b %-d", "es": "%-d %b", "zh": "%-m月%-d日"}


@cache
def chart_locale(language: str) -> dict[str, Any]:
    """Vega's number and time locale for a UI language (``en``, ``es``, ``zh``): month names,
    decimal and thousands separators on axes and tooltips."""
    name = _D3_LOCALES.get(language, "en-US")
    return {
        "number": vl_convert.get_format_locale(name),  # type: ignore[arg-type]
        "time": vl_convert.get_time_format_locale(name),  # type: ignore[arg-type]
    }


def finished_spec(
    chart: alt.TopLevelMixin,
    locale: dict[str, Any] | None,
    *,
    legend: Mapping[str, Any] | None = None,
    axis: Mapping[str, Any] | None = None,
    view_stroke: str | None = None,
) -> dict[str, Any]:
    """``chart`` as a Vega-Lite dict in the house style: every chart ends here.

    Parameters
    ----------
    chart
        The Altair chart (a single view or a layer) to finish.
    locale
        A Vega locale (see :func:`chart_locale`) for numbers and dates; None leaves Vega's own.
    legend
        The legend configuration (usually :data:`LEGEND_CONFIG`); None when the chart has no
        legend to style.
    axis
        Settings added to :data:`AXIS_CONFIG` (a wider ``labelLimit``, say).
    view_stroke
        The colour of a frame around the plot; None draws none.

    Returns
    -------
    dict
        The spec with the house font, axes and legend, the locale when given, and a width that
        fits its container.

    Examples
    --------
    >>> spec = finished_spec(alt.Chart(alt.Data(values=[{"x": 1}])).mark_point(), None)
    >>> spec["autosize"]
    {'type': 'fit-x', 'contains': 'padding'}
    """
    config: dict[str, Any] = {
        "font": FONT,
        "view": {"stroke": view_stroke},
        "axis": {**AXIS_CONFIG, **(axis or {})},
    }
    if legend is not None:
        config["legend"] = dict(legend)
    if locale is not None:
        config["locale"] = locale
    spec: dict[str, Any] = chart.to_dict()
    spec["config"] = {**spec.get("config", {}), **config}
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def axis_date_format(language: str) -> str:
    """The d3 time format for a day on a time axis: Jan 5 · 5 ene · 1月5日."""
    return _AXIS_DATE_FORMATS.get(language, _AXIS_DATE_FORMATS["en"])


def feedback_volume_chart(
    volume: pd.DataFrame,
    *,
    week_title: str = "Week",
    count_title: str = "Pieces of feedback",
    group_title: str = "Language",
    description: str = "Pieces of feedback per week",
    groups: Sequence[str] | None = None,
    locale: dict[str, Any] | None = None,
    date_format: str = "%b %-d",
    height: int = 260,
) -> dict[str, Any]:
    """Stacked weekly bars of feedback volume, one colour per group (language or kind).

    Parameters
    ----------
    volume
        Columns ``week`` (the Monday starting the week, a date), ``group`` (the label to show)
        and ``count``: what :func:`cxloop.share.overview.weekly_feedback_volume` returns, with
        its group codes turned into labels.
    week_title, count_title, group_title
        Axis, legend and tooltip titles.
    description
        The chart's text description (Vega puts it on the SVG as its ``aria-label``).
    groups
        The groups in the order their colours are given (default: sorted). Pass a fixed order
        so that a group keeps its colour whatever the labels' language.
    locale
        A Vega locale (see :func:`chart_locale`) for dates and numbers.
    date_format
        The d3 time format of the week labels on the axis (see :func:`axis_date_format`).

    Returns
    -------
    dict
        A Vega-Lite spec with its data inline.

    Examples
    --------
    >>> weeks = [pd.Timestamp("2026-01-05")]
    >>> frame = pd.DataFrame({"week": weeks, "group": ["English"], "count": [3]})
    >>> spec = feedback_volume_chart(frame)
    >>> spec["data"]["values"][0]["count"]
    3
    """
    rows = [
        {
            "week": pd.Timestamp(week).date().isoformat(),
            "group": "" if group is None else str(group),
            "count": int(count),
        }
        for week, group, count in zip(volume["week"], volume["group"], volume["count"], strict=True)
    ]
    present = {row["group"] for row in rows}
    order = [g for g in (groups or sorted(present)) if g in present]
    order += sorted(present - set(order))
    rows += _empty_weeks(rows, order[0] if order else "")
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            # one band per week, so every bar has its label's place under it
            x=alt.X(
                "week:O",
                timeUnit="utcyearmonthdate",
                title=week_title,
                axis=alt.Axis(
                    format=date_format,
                    labelAngle=0,
                    labelOverlap="greedy",
                    labelSeparation=10,
                    ticks=False,
                ),
                scale=alt.Scale(paddingInner=0.2),
            ),
            y=alt.Y("sum(count):Q", title=count_title, stack="zero"),
            color=alt.Color(
                "group:N",
                title=group_title,
                sort=order,
                scale=alt.Scale(domain=order, range=list(PALETTE)),
                # three columns fit a phone's width; more groups wrap onto more rows
                legend=alt.Legend(orient="bottom", direction="horizontal", columns=3),
            ),
            tooltip=[
                alt.Tooltip("week:T", timeUnit="utcyearmonthdate", title=week_title, format="%x"),
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip("sum(count):Q", title=count_title, format=",d"),
            ],
        )
        .properties(width="container", height=height, description=description)
    )
    return finished_spec(chart, locale, legend=LEGEND_CONFIG)


def _empty_weeks(rows: list[dict[str, Any]], group: str) -> list[dict[str, Any]]:
    """Zero rows for the weeks between the first and the last that have no row, so that a
    quiet week shows as a gap rather than vanishing from the axis."""
    have = {date.fromisoformat(row["week"]) for row in rows}
    if not have:
        return []
    filler, week, last = [], min(have), max(have)
    while week < last:
        week += timedelta(days=7)
        if week not in have:
            filler.append({"week": week.isoformat(), "group": group, "count": 0})
    return filler
