"""Time to close as a survival curve: the Kaplan-Meier share of cases still open against the
hours since they were opened, as a step line with its 95% band. Pure: points in, a JSON-ready
Vega-Lite ``dict`` out."""

from __future__ import annotations

from typing import Any

import altair as alt

from cxloop.share.charts import FONT, PALETTE


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
    base = alt.Chart(data).encode(x=x)
    band = base.mark_area(opacity=0.2, color=PALETTE[0], interpolate="step-after").encode(
        y=alt.Y("ci_low:Q", title=open_title, axis=y_axis, scale=alt.Scale(domain=[0, 1])),
        y2="ci_high:Q",
    )
    line = base.mark_line(color=PALETTE[0], interpolate="step-after", strokeWidth=2).encode(
        y=alt.Y("still_open:Q", title=open_title), tooltip=tooltip
    )
    layers: list[Any] = [band, line]
    if median is not None:
        rule = (
            alt.Chart(alt.Data(values=[{"median": median}]))
            .mark_rule(strokeDash=[6, 4], color=PALETTE[5], strokeWidth=2)
            .encode(
                x="median:Q", tooltip=[alt.Tooltip("median:Q", title=median_title, format=",.1f")]
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
