"""The theme × sentiment heat map as a Vega-Lite spec (data, not a picture).

Pure, like :mod:`cxloop.share.charts`: the counts of
:func:`cxloop.share.feedback_explorer.theme_sentiment_matrix` in, a JSON-ready ``dict`` out;
titles and labels come in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import altair as alt
import pandas as pd

from cxloop.share.charts import finished_spec
from cxloop.share.feedback_filters import SENTIMENTS

#: the most themes a heat map shows (the most mentioned ones)
MAX_THEMES = 20
#: a sequential blue scale: darker is more, and it reads the same with colour-vision deficiency
SCHEME: Final = "blues"


def theme_sentiment_heatmap(
    matrix: pd.DataFrame,
    *,
    sentiment_labels: Sequence[str] = SENTIMENTS,
    theme_title: str = "Theme",
    sentiment_title: str = "Sentiment",
    count_title: str = "Pieces of feedback",
    description: str = "Pieces of feedback per theme and sentiment",
    locale: dict[str, Any] | None = None,
    max_themes: int = MAX_THEMES,
) -> dict[str, Any]:
    """One row per theme, one column per sentiment, each cell coloured by its count and
    labelled with it.

    Parameters
    ----------
    matrix
        Index ``theme``; columns ``negative``, ``neutral``, ``positive`` (counts), in the order
        the rows are drawn (the most mentioned theme first). Extra columns are ignored.
    sentiment_labels
        How the three sentiments are named on the axis, in the order negative, neutral,
        positive.
    theme_title, sentiment_title, count_title, description
        Axis, legend and tooltip titles; the chart's text description.
    locale
        A Vega locale (see :func:`cxloop.share.charts.chart_locale`).
    max_themes
        Only the first ``max_themes`` rows are drawn.

    Returns
    -------
    dict
        A Vega-Lite spec with its data inline.

    Examples
    --------
    >>> frame = pd.DataFrame(
    ...     {"negative": [3], "neutral": [0], "positive": [1]}, index=pd.Index(["delivery"])
    ... )
    >>> spec = theme_sentiment_heatmap(frame)
    >>> [row["count"] for row in spec["data"]["values"]]
    [3, 0, 1]
    """
    shown = matrix.head(max_themes)
    themes = [str(theme) for theme in shown.index]
    labels = list(sentiment_labels)
    rows: list[dict[str, Any]] = [
        {"theme": theme, "sentiment": label, "count": int(shown.loc[theme_key, code])}
        for theme, theme_key in zip(themes, shown.index, strict=True)
        for code, label in zip(SENTIMENTS, labels, strict=True)
    ]
    highest: int = max((int(row["count"]) for row in rows), default=0)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X(
            "sentiment:N",
            sort=labels,
            title=sentiment_title,
            axis=alt.Axis(orient="top", labelAngle=0, ticks=False, domain=False),
        ),
        y=alt.Y(
            "theme:N", sort=themes, title=theme_title, axis=alt.Axis(ticks=False, domain=False)
        ),
        tooltip=[
            alt.Tooltip("theme:N", title=theme_title),
            alt.Tooltip("sentiment:N", title=sentiment_title),
            alt.Tooltip("count:Q", title=count_title, format=",d"),
        ],
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(
            "count:Q",
            title=count_title,
            scale=alt.Scale(scheme=SCHEME, domain=[0, max(highest, 1)]),
            legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=160),
        )
    )
    numbers = base.mark_text(fontSize=13, fontWeight=600).encode(
        text=alt.Text("count:Q", format=",d"),
        # dark text on pale cells, white on dark ones (both above 4.5:1 contrast)
        color=alt.condition(
            alt.datum.count > highest * 0.55, alt.value("#ffffff"), alt.value("#111827")
        ),
    )
    chart = (cells + numbers).properties(
        width="container", height=max(60, 34 * len(themes)), description=description
    )
    # a colour gradient: no label limit to set
    legend = {"labelFontSize": 12, "titleFontSize": 12}
    return finished_spec(chart, locale, legend=legend, axis={"labelLimit": 160})
