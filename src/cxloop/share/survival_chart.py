"""Time to close as a survival curve: the Kaplan-Meier share of cases still open against the
hours since they were opened, as a step line with its 95% band. Pure: points in, a JSON-ready
Vega-Lite ``dict`` out."""

from __future__ import annotations

from typing import Any

import altair as alt

from cxloop.share.chart_layers import dashed_rule, line_with_band
from cxloop.share.charts import finished_spec


def survival_chart(
    points: list[dict[str, Any]],
    *,
    hours_title: str = "Hours since the case was opened",
    open_title: str = "Share of cases still open",
    interval_title: str = "95% interval",
    at_risk_title: str = "Cases still open",
    description: str = "Time to close",
    median: float | None = None,
    median_title: str = "Median",
    locale: dict[str, Any] | None = None,
    height: int = 240,
) -> dict[str, Any]:
    """A step line of ``still_open`` over ``hours`` with a band from ``ci_low`` to
    ``ci_high``; a dashed rule at the median when it is reached.

    Examples
    --------
    >>> spec = survival_chart([{"hours": 0.0, "still_open": 1.0, "ci_low": 1.0, "ci_high": 1.0,
    ...                         "at_risk": 10}, {"hours": 5.0, "still_open": 0.4,
    ...                         "ci_low": 0.2, "ci_high": 0.7, "at_risk": 10}], median=5.0)
    >>> len(spec["layer"])
    3
    """
    data = alt.Data(values=points)
    x = alt.X("hours:Q", title=hours_title, axis=alt.Axis(format=",d", labelOverlap="greedy"))
    y_axis = alt.Axis(format=".0%")
    tooltip = [
        alt.Tooltip("hours:Q", title=hours_title, format=",.1f"),
        alt.Tooltip("still_open:Q", title=open_title, format=".1%"),
        alt.Tooltip("ci_low:Q", title=f"{interval_title} ↓", format=".1%"),
        alt.Tooltip("ci_high:Q", title=f"{interval_title} ↑", format=".1%"),
        alt.Tooltip("at_risk:Q", title=at_risk_title, format=",d"),
    ]
    layers: list[Any] = line_with_band(
        alt.Chart(data).encode(x=x), value="still_open", low="ci_low", high="ci_high",
        title=open_title, axis=y_axis, scale=alt.Scale(domain=[0, 1]), tooltip=tooltip,
        interpolate="step-after", stroke_width=2,
    )  # fmt: skip
    if median is not None:
        tip = alt.Tooltip("median:Q", title=median_title, format=",.1f")
        layers.append(dashed_rule("median", median, channel="x", tooltip=tip))
    chart = alt.layer(*layers).properties(width="container", height=height, description=description)
    return finished_spec(chart, locale)
