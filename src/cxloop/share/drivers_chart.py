"""The importance × performance quadrant of key-driver analysis as a Vega-Lite spec.

Each driver is a point: its performance (share satisfied) across, its importance (Shapley value
of R²) up, with its 95% interval as a vertical rule; the drivers above the mean importance are
named beside their point (every one is in the tooltip and the table). Lines at the mean
performance and the mean importance split the plane into four quadrants, each labelled in a
corner: important and performing poorly ("fix first"), important and performing well ("keep
up"), less important and performing poorly ("lower priority"), less important and performing
well ("maintain").

Pure like :mod:`cxloop.share.charts`: rows in, a JSON-ready ``dict`` out; every label comes in
translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import altair as alt

from cxloop.share.charts import LEGEND_CONFIG, PALETTE, finished_spec

QUADRANTS = ("fix_first", "keep_up", "lower_priority", "maintain")
#: fix first: vermillion; keep up: bluish green; lower priority: grey; maintain: blue
QUADRANT_COLOURS = {
    "fix_first": PALETTE[5],
    "keep_up": PALETTE[2],
    "lower_priority": "#6B7280",
    "maintain": PALETTE[0],
}


def quadrant(importance: float, performance: float, mean_importance: float,
             mean_performance: float) -> str:  # fmt: skip
    """The quadrant of a driver: above the mean importance is important, at or above the mean
    performance performs well."""
    important = importance > mean_importance
    good = performance >= mean_performance
    if important:
        return "keep_up" if good else "fix_first"
    return "maintain" if good else "lower_priority"


def driver_quadrant_chart(
    rows: Sequence[dict[str, Any]],
    *,
    mean_importance: float,
    mean_performance: float,
    quadrant_labels: Mapping[str, str],
    importance_title: str = "Importance (share of R²)",
    performance_title: str = "Performance (share satisfied)",
    driver_title: str = "Driver",
    interval_title: str = "95% interval",
    quadrant_title: str = "Quadrant",
    description: str = "Importance by performance of each driver",
    locale: dict[str, Any] | None = None,
    height: int = 420,
) -> dict[str, Any]:
    """A scatter of drivers with lines at the means and a label in each quadrant's corner.

    Parameters
    ----------
    rows
        One per driver: ``driver`` (label), ``importance``, ``low``, ``high`` (its interval,
        may be None), ``performance`` (0..1) and ``quadrant`` (a key of :data:`QUADRANTS`).
    quadrant_labels
        Quadrant key → its translated label.

    Examples
    --------
    >>> spec = driver_quadrant_chart(
    ...     [{"driver": "delivery", "importance": 0.1, "low": 0.05, "high": 0.15,
    ...       "performance": 0.4, "quadrant": "fix_first"}], mean_importance=0.05,
    ...     mean_performance=0.6, quadrant_labels={q: q for q in QUADRANTS})
    >>> spec["layer"][0]["mark"]["type"]
    'rule'
    """
    top = max([mean_importance * 2] + [r.get("high") or r["importance"] for r in rows]) * 1.08
    values = [
        {**row, "quadrant_label": quadrant_labels[row["quadrant"]],
         "interval": "" if row.get("low") is None else
         f"{row['low']:.3f}–{row['high']:.3f}"}
        for row in rows
    ]  # fmt: skip
    data = alt.Data(values=values)
    x = alt.X("performance:Q", title=performance_title, scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%"))  # fmt: skip
    y = alt.Y("importance:Q", title=importance_title, scale=alt.Scale(domain=[0, top]))
    colour = alt.Color(
        "quadrant_label:N", title=quadrant_title,
        scale=alt.Scale(domain=[quadrant_labels[q] for q in QUADRANTS],
                        range=[QUADRANT_COLOURS[q] for q in QUADRANTS]),
        legend=alt.Legend(orient="bottom", direction="horizontal"),
    )  # fmt: skip
    tooltip = [
        alt.Tooltip("driver:N", title=driver_title),
        alt.Tooltip("importance:Q", title=importance_title, format=".3f"),
        alt.Tooltip("interval:N", title=interval_title),
        alt.Tooltip("performance:Q", title=performance_title, format=".0%"),
        alt.Tooltip("quadrant_label:N", title=quadrant_title),
    ]
    means = alt.Data(values=[{"importance": mean_importance, "performance": mean_performance}])
    mean_rule = alt.Chart(means).mark_rule(color="#9CA3AF", strokeDash=[4, 4], strokeWidth=1)
    vertical = mean_rule.encode(x="performance:Q")
    horizontal = mean_rule.encode(y="importance:Q")
    intervals = (
        alt.Chart(data).transform_filter("datum.low != null")
        .mark_rule(strokeWidth=1.5, opacity=0.6)
        .encode(x=x, y=alt.Y("low:Q", scale=alt.Scale(domain=[0, top])), y2="high:Q",
                color=colour)
    )  # fmt: skip
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    label_mark = alt.Chart(data).mark_text(align="left", dx=7, dy=-7, fontSize=11, color="#1F2937")
    # only the drivers above the mean importance are named: the rest crowd the floor
    names = label_mark.transform_filter(f"datum.importance > {mean_importance!r}").encode(
        x=x, y=y, text="driver:N"
    )
    corners = [
        {"quadrant": quadrant_labels["fix_first"], "performance": 0.01, "importance": top,
         "align": "left"},
        {"quadrant": quadrant_labels["keep_up"], "performance": 0.99, "importance": top,
         "align": "right"},
        {"quadrant": quadrant_labels["lower_priority"], "performance": 0.01, "importance": 0,
         "align": "left"},
        {"quadrant": quadrant_labels["maintain"], "performance": 0.99, "importance": 0,
         "align": "right"},
    ]  # fmt: skip
    corner_layers = []
    for corner in corners:
        baseline: Literal["top", "bottom"] = "top" if corner["importance"] else "bottom"
        corner_layers.append(
            alt.Chart(alt.Data(values=[corner]))
            .mark_text(align=corner["align"], baseline=baseline, fontSize=12, fontWeight="bold",
                       color="#6B7280", dy=4 if baseline == "top" else -4)
            .encode(x=alt.X("performance:Q", scale=alt.Scale(domain=[0, 1])),
                    y=alt.Y("importance:Q", scale=alt.Scale(domain=[0, top])),
                    text="quadrant:N")
        )  # fmt: skip
    chart = alt.layer(vertical, horizontal, *corner_layers, intervals, points, names).properties(
        width="container", height=height, description=description
    )
    return finished_spec(chart, locale, legend=LEGEND_CONFIG, view_stroke="#E5E7EB")
