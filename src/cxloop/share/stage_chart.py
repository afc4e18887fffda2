"""The chart of lifecycle stages or ladder rungs over monthly snapshots (a Vega-Lite spec)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from cxloop.share.charts import LEGEND_CONFIG, PALETTE, finished_spec


def stage_history_chart(
    distribution: pd.DataFrame,
    *,
    stages: Sequence[str],
    snapshot_title: str = "Month",
    count_title: str = "Customers",
    stage_title: str = "Stage",
    description: str = "Customers per stage and month",
    locale: dict[str, Any] | None = None,
    date_format: str = "%b %Y",
    height: int = 240,
) -> dict[str, Any]:
    """Stacked bars: customers per stage at each snapshot, stages stacked in ``stages`` order.

    Parameters
    ----------
    distribution
        Columns ``snapshot`` (a date), ``stage`` (the label to show) and ``customers``.
    stages
        The labels in ladder or lifecycle order; they keep their colours in every language.

    Examples
    --------
    >>> import datetime
    >>> frame = pd.DataFrame({"snapshot": [datetime.date(2026, 1, 1)], "stage": ["new"],
    ...                       "customers": [4]})
    >>> stage_history_chart(frame, stages=["new"])["data"]["values"][0]["customers"]
    4
    """
    rows = [
        {"snapshot": pd.Timestamp(s).date().isoformat(), "stage": str(g), "customers": int(n),
         "order": list(stages).index(g) if g in stages else len(stages)}
        for s, g, n in zip(distribution["snapshot"], distribution["stage"],
                           distribution["customers"], strict=True)
    ]  # fmt: skip
    order = list(stages)
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X(
                "snapshot:O",
                timeUnit="utcyearmonthdate",
                title=snapshot_title,
                axis=alt.Axis(format=date_format, labelAngle=0, labelOverlap="greedy"),
            ),
            y=alt.Y("sum(customers):Q", title=count_title, stack="zero"),
            color=alt.Color(
                "stage:N",
                title=stage_title,
                sort=order,
                scale=alt.Scale(domain=order, range=list(PALETTE)),
                legend=alt.Legend(orient="bottom", direction="horizontal", columns=3),
            ),
            order=alt.Order("order:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip(
                    "snapshot:T", timeUnit="utcyearmonthdate", title=snapshot_title, format="%x"
                ),
                alt.Tooltip("stage:N", title=stage_title),
                alt.Tooltip("sum(customers):Q", title=count_title, format=",d"),
            ],
        )
        .properties(width="container", height=height, description=description)
    )
    return finished_spec(chart, locale, legend=LEGEND_CONFIG)
