"""The perception gap as a Vega-Lite spec: per statement, the share agreeing among managers,
other employees and customers, as grouped horizontal bars with their 95% intervals.

Pure like :mod:`cxloop.share.charts`: rows in, a JSON-ready ``dict`` out; every label comes in
translated. Withheld (confidential) groups are simply not in the rows: the table beside the
chart says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from cxloop.share.charts import LEGEND_CONFIG, PALETTE, finished_spec

#: managers, other employees, customers: vermillion, orange, blue (Okabe & Ito)
GROUP_COLOURS = (PALETTE[5], PALETTE[1], PALETTE[0])
ROW_HEIGHT = 22


def perception_gap_chart(
    rows: Sequence[dict[str, Any]],
    *,
    groups: Sequence[str],
    statements: Sequence[str],
    share_title: str = "Share agreeing",
    statement_title: str = "Statement",
    group_title: str = "Who",
    interval_title: str = "95% interval",
    n_title: str = "Respondents",
    description: str = "Perception gap",
    locale: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Grouped horizontal bars: one band per statement, one bar per group, with error bars.

    Parameters
    ----------
    rows
        One per (statement, group) shown: ``statement``, ``group`` (labels), ``share``,
        ``low``, ``high`` (0..1) and ``n``.
    groups
        The group labels in order (managers, employees, customers): colours follow the order.
    statements
        The statement labels in order, top to bottom.

    Examples
    --------
    >>> spec = perception_gap_chart(
    ...     [{"statement": "They listen", "group": "Managers", "share": 0.56, "low": 0.3,
    ...       "high": 0.8, "n": 9}], groups=["Managers", "Employees", "Customers"],
    ...     statements=["They listen"])
    >>> spec["data"]["values"][0]["share"]
    0.56
    """
    values = [
        {**row, "interval": f"{100 * row['low']:.0f}–{100 * row['high']:.0f}%"} for row in rows
    ]
    data = alt.Data(values=values)
    y = alt.Y(
        "statement:N", sort=list(statements), title=None,
        axis=alt.Axis(labelLimit=220, ticks=False, domain=False, labelPadding=6),
    )  # fmt: skip
    offset = alt.YOffset("group:N", sort=list(groups), title=None)
    x_scale = alt.Scale(domain=[0, 1])
    colour = alt.Color(
        "group:N", title=group_title, sort=list(groups),
        scale=alt.Scale(domain=list(groups), range=list(GROUP_COLOURS[: len(groups)])),
        legend=alt.Legend(orient="bottom", direction="vertical"),
    )  # fmt: skip
    tooltip = [
        alt.Tooltip("statement:N", title=statement_title),
        alt.Tooltip("group:N", title=group_title),
        alt.Tooltip("share:Q", title=share_title, format=".0%"),
        alt.Tooltip("interval:N", title=interval_title),
        alt.Tooltip("n:Q", title=n_title),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.9})
        .encode(
            y=y,
            yOffset=offset,
            color=colour,
            tooltip=tooltip,
            x=alt.X("share:Q", title=share_title, scale=x_scale, axis=alt.Axis(format="%")),
        )
    )
    whiskers = (
        alt.Chart(data)
        .mark_rule(color="#111827", strokeWidth=1.2)
        .encode(y=y, yOffset=offset, x=alt.X("low:Q", scale=x_scale), x2="high:Q")
    )
    chart = alt.layer(bars, whiskers).properties(
        width="container",
        height=alt.Step(ROW_HEIGHT),
        description=description,
    )
    return finished_spec(chart, locale, legend=LEGEND_CONFIG)
