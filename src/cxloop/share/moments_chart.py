"""Moments of truth as a Vega-Lite spec: per touchpoint, the NPS effect of a bad experience
as a dot with its 95% interval, largest loss on top, against a line at zero.

Pure like :mod:`cxloop.share.charts`: rows in, a JSON-ready ``dict`` out; labels come in
translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from cxloop.share.charts import PALETTE, finished_spec

ROW_HEIGHT = 28


def moments_of_truth_chart(
    rows: Sequence[dict[str, Any]],
    *,
    effect_title: str = "NPS points after a bad experience",
    touchpoint_title: str = "Touchpoint",
    interval_title: str = "95% interval",
    exposed_title: str = "Answers after a bad experience",
    description: str = "Moments of truth",
    locale: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Dots with interval whiskers, one row per touchpoint in the order given.

    Parameters
    ----------
    rows
        One per touchpoint: ``touchpoint`` (label), ``effect``, ``low``, ``high`` (NPS points)
        and ``exposed``.

    Examples
    --------
    >>> spec = moments_of_truth_chart([{"touchpoint": "Delivery", "effect": -2.1, "low": -2.5,
    ...                                 "high": -1.7, "exposed": 200}])
    >>> spec["layer"][0]["mark"]["type"]
    'rule'
    """
    values = [{**row, "interval": f"{row['low']:+.2f} … {row['high']:+.2f}"} for row in rows]
    data = alt.Data(values=values)
    order = [row["touchpoint"] for row in rows]
    y = alt.Y("touchpoint:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=200, ticks=False, domain=False, labelPadding=6))  # fmt: skip
    tooltip = [
        alt.Tooltip("touchpoint:N", title=touchpoint_title),
        alt.Tooltip("effect:Q", title=effect_title, format="+.2f"),
        alt.Tooltip("interval:N", title=interval_title),
        alt.Tooltip("exposed:Q", title=exposed_title, format=","),
    ]
    zero = (
        alt.Chart(alt.Data(values=[{"zero": 0}]))
        .mark_rule(color="#6B7280", strokeDash=[4, 3])
        .encode(x="zero:Q")
    )
    whiskers = (
        alt.Chart(data)
        .mark_rule(color="#111827", strokeWidth=1.5)
        .encode(y=y, x=alt.X("low:Q", title=effect_title), x2="high:Q", tooltip=tooltip)
    )
    dots = (
        alt.Chart(data)
        .mark_circle(size=90, color=PALETTE[5], opacity=1)
        .encode(y=y, x="effect:Q", tooltip=tooltip)
    )
    chart = alt.layer(zero, whiskers, dots).properties(
        width="container", height=alt.Step(ROW_HEIGHT), description=description
    )
    return finished_spec(chart, locale)
