"""Splink's match-weight waterfall as a Vega-Lite spec: the prior, then each comparison's
match weight added in turn, then the total, against the match threshold.

Pure like :mod:`cxloop.share.charts`: steps in, a JSON-ready ``dict`` out. Bars run
horizontally, one per step, so long comparison names fit on a phone's width; every label and
title comes in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt

from cxloop.share.charts import PALETTE, finished_spec

StepKind = Literal["prior", "comparison", "total"]
#: bar colours: evidence for a match, evidence against, the prior and the total
UP, DOWN, ENDS = PALETTE[0], PALETTE[5], "#374151"
#: pixels per step
ROW_HEIGHT = 30


@dataclass(frozen=True)
class WaterfallStep:
    """One bar: the prior, a comparison, or the total; ``weight`` in bits (log2 odds)."""

    label: str
    weight: float
    kind: StepKind = "comparison"


def waterfall_rows(steps: Sequence[WaterfallStep]) -> list[dict[str, Any]]:
    """Each step with where its bar starts and ends: the prior and the total run from 0,
    a comparison from the running sum before it to the running sum after it.

    Examples
    --------
    >>> rows = waterfall_rows([WaterfallStep("Prior", -13.0, "prior"),
    ...                        WaterfallStep("Name", 10.0), WaterfallStep("Total", -3.0, "total")])
    >>> [(r["start"], r["end"]) for r in rows]
    [(0.0, -13.0), (-13.0, -3.0), (0.0, -3.0)]
    """
    rows, running = [], 0.0
    for order, step in enumerate(steps):
        if step.kind == "comparison":
            start, end = running, running + step.weight
        else:
            start, end = 0.0, step.weight
        running = end
        rows.append(
            {
                "order": order,
                "step": step.label,
                "kind": step.kind,
                "weight": round(step.weight, 4),
                "start": round(start, 4),
                "end": round(end, 4),
                "label_at": round(max(start, end), 4),
            }
        )
    return rows


def match_weight_waterfall_chart(
    steps: Sequence[WaterfallStep],
    threshold_weight: float,
    *,
    weight_title: str = "Match weight",
    axis_title: str = "Match weight (dashed line: the threshold)",
    step_title: str = "Step",
    up_label: str = "For a match",
    down_label: str = "Against a match",
    ends_label: str = "Prior and total",
    threshold_label: str = "Threshold",
    running_title: str = "Running total",
    description: str = "Match-weight waterfall",
    locale: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Horizontal waterfall bars, one per step, with a dashed rule at the threshold.

    Parameters
    ----------
    steps
        The prior first, the comparisons, the total last (see :class:`WaterfallStep`).
    threshold_weight
        The match threshold as a match weight: pairs whose total reaches it link.
    weight_title, axis_title, step_title, up_label, down_label, ends_label, threshold_label,
    running_title
        Axis, legend and tooltip texts, translated.
    description
        The chart's text description (the SVG's ``aria-label``).
    locale
        A Vega locale (:func:`cxloop.share.charts.chart_locale`) for numbers.

    Returns
    -------
    dict
        A Vega-Lite spec with its data inline.

    Examples
    --------
    >>> spec = match_weight_waterfall_chart(
    ...     [WaterfallStep("Prior", -13.3, "prior"), WaterfallStep("E-mail", 15.4),
    ...      WaterfallStep("Total", 2.1, "total")], 3.17)
    >>> [row["end"] for row in spec["layer"][1]["data"]["values"]]
    [-13.3, 2.1, 2.1]
    """
    rows = waterfall_rows(steps)
    direction = {"prior": ends_label, "total": ends_label}
    for row in rows:
        row["direction"] = direction.get(row["kind"]) or (
            up_label if row["weight"] >= 0 else down_label
        )
    order = [row["step"] for row in rows]
    ends = [abs(threshold_weight), *(abs(r["start"]) for r in rows), *(abs(r["end"]) for r in rows)]
    bound = max(ends) or 1.0
    y = alt.Y(
        "step:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=150, ticks=False, domain=False),
    )
    x_scale = alt.Scale(domain=[-bound * 1.1, bound * 1.25], nice=True)
    tooltip = [
        alt.Tooltip("step:N", title=step_title),
        alt.Tooltip("weight:Q", title=weight_title, format="+.2f"),
        alt.Tooltip("end:Q", title=running_title, format="+.2f"),
    ]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        y=y,
        x=alt.X("start:Q", title=axis_title, scale=x_scale),
        x2="end:Q",
        color=alt.Color(
            "direction:N",
            title=None,
            scale=alt.Scale(domain=[up_label, down_label, ends_label], range=[UP, DOWN, ENDS]),
            legend=alt.Legend(orient="bottom", direction="horizontal", columns=3),
        ),
        tooltip=tooltip,
    )
    values = base.mark_text(align="left", dx=4, fontSize=11, color="#111827").encode(
        y=y, x=alt.X("label_at:Q", scale=x_scale), text=alt.Text("weight:Q", format="+.2f")
    )
    threshold = (
        alt.Chart(alt.Data(values=[{"threshold": round(threshold_weight, 4)}]))
        .mark_rule(strokeDash=[6, 4], color="#111827", strokeWidth=1.5)
        .encode(
            x=alt.X("threshold:Q", scale=x_scale),
            tooltip=[alt.Tooltip("threshold:Q", title=threshold_label, format="+.2f")],
        )
    )
    zero = (
        alt.Chart(alt.Data(values=[{"zero": 0}]))
        .mark_rule(color="#9ca3af")
        .encode(x=alt.X("zero:Q", scale=x_scale))
    )
    chart = alt.layer(zero, bars, values, threshold).properties(
        width="container", height=ROW_HEIGHT * max(1, len(rows)), description=description
    )
    # its legend has no title to size
    legend = {"labelFontSize": 12, "labelLimit": 200}
    return finished_spec(chart, locale, legend=legend)
