"""How often each theme comes up in analysed feedback, by language and by sentiment.

The ``themes`` column of ``feedback_insights`` holds a JSON list. Rather than unnest it row by row,
the warehouse counts rows per distinct (language, sentiment, theme list), a few hundred groups
even for millions of rows, and the lists are expanded here.
"""

from __future__ import annotations

import json
from collections import Counter

import ibis.expr.types as ir
from pydantic import BaseModel

from cxloop.storage import Warehouse


class ThemeCount(BaseModel):
    """Feedback about one theme in one language with one sentiment."""

    theme: str
    language: str
    sentiment: str
    feedback: int


class ThemeSummary(BaseModel):
    """Theme counts over every analysed piece of feedback."""

    analysed: int
    uncovered: int
    counts: list[ThemeCount]

    def totals(self) -> dict[str, int]:
        """Feedback per theme, most frequent first."""
        totals: Counter[str] = Counter()
        for c in self.counts:
            totals[c.theme] += c.feedback
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    def by(self, theme: str, field: str) -> dict[str, int]:
        """Feedback about ``theme`` per ``language`` or per ``sentiment``."""
        out: Counter[str] = Counter()
        for c in self.counts:
            if c.theme == theme:
                out[getattr(c, field)] += c.feedback
        return dict(out)


def theme_groups(warehouse: Warehouse) -> ir.Table:
    """Rows of ``feedback_insights`` counted per language, sentiment label and theme list."""
    insights = warehouse.table("feedback_insights")
    return insights.group_by(
        language=insights.language.fill_null("und"),
        sentiment=insights.sentiment_label.fill_null("neutral"),
        themes=insights.themes.fill_null("[]"),
    ).aggregate(feedback=insights.count())


def theme_counts(warehouse: Warehouse) -> ThemeSummary:
    """Count analysed feedback per theme, language and sentiment.

    A piece of feedback with two themes counts once for each; ``uncovered`` is the feedback
    with no theme at all (what theme discovery looks at).

    Examples
    --------
    >>> summary = theme_counts(wh)
    >>> summary.totals()
    {'delivery': 812, 'billing': 430, ...}
    """
    counts: Counter[tuple[str, str, str]] = Counter()
    analysed = uncovered = 0
    for row in warehouse.to_pyarrow(theme_groups(warehouse)).to_pylist():
        n = int(row["feedback"])
        analysed += n
        themes = json.loads(row["themes"])
        if not themes:
            uncovered += n
        for theme in dict.fromkeys(themes):
            counts[(theme, row["language"], row["sentiment"])] += n
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1], kv[0][2]))
    return ThemeSummary(
        analysed=analysed,
        uncovered=uncovered,
        counts=[
            ThemeCount(theme=theme, language=language, sentiment=sentiment, feedback=n)
            for (theme, language, sentiment), n in ordered
        ],
    )
