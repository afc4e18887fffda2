"""Layers that several chart specs share: a line over its interval band and a dashed
reference rule (every spec then ends with :func:`cxloop.share.charts.finished_spec`)."""

from __future__ import annotations

from typing import Any

import altair as alt

from cxloop.share.charts import PALETTE


def line_with_band(
    base: alt.Chart,
    *,
    value: str,
    low: str,
    high: str,
    title: str,
    axis: alt.Axis,
    tooltip: list[alt.Tooltip],
    scale: alt.Scale | None = None,
    interpolate: str | None = None,
    point: bool = False,
    stroke_width: float | None = None,
) -> list[alt.Chart]:
    """A band from ``low`` to ``high`` (light) under a line of ``value``, on ``base``'s x.

    ``axis`` and ``scale`` set the y axis (the band carries them); ``interpolate``
    (``step-after`` for a survival curve) applies to both layers.
    """
    shape: dict[str, Any] = {} if interpolate is None else {"interpolate": interpolate}
    y_low: dict[str, Any] = {"title": title, "axis": axis}
    if scale is not None:
        y_low["scale"] = scale
    band = base.mark_area(opacity=0.2, color=PALETTE[0], **shape).encode(
        y=alt.Y(f"{low}:Q", **y_low), y2=f"{high}:Q"
    )
    marks: dict[str, Any] = {"color": PALETTE[0], **shape}
    if point:
        marks["point"] = True
    if stroke_width is not None:
        marks["strokeWidth"] = stroke_width
    line = base.mark_line(**marks).encode(y=alt.Y(f"{value}:Q", title=title), tooltip=tooltip)
    return [band, line]


def dashed_rule(
    field: str, value: float, *, channel: str, tooltip: alt.Tooltip, **extra: Any
) -> alt.Chart:
    """A dashed rule at ``value`` across the chart: ``channel`` ``"y"`` draws it horizontally
    (a target), ``"x"`` vertically (a median); ``extra`` goes into its one data row."""
    return (
        alt.Chart(alt.Data(values=[{field: value, **extra}]))
        .mark_rule(strokeDash=[6, 4], color=PALETTE[5], strokeWidth=2)
        .encode(**{channel: f"{field}:Q"}, tooltip=[tooltip])
    )
