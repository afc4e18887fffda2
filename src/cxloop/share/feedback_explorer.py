"""The Feedback explorer's queries: feedback with its insights, customer and team, filtered,
searched and paged; one piece of feedback; the choices the filters offer; the theme ×
sentiment counts of the heat map; and what unhappy customers talk about.

Functions named ``*_expr`` only build Ibis expressions (no I/O); the others run them on a
:class:`~cxloop.storage.Warehouse` and return plain data.

Who sees what is decided by the caller and passed in as :class:`Visibility`: the original text
is selected only for admins (everyone else gets the PII-redacted copy, and their search looks
only in that copy), customer names only for roles that may open the customer pages.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd

from cxloop.errors import NotFoundError, UsageError
from cxloop.share.feedback_entries import (
    REDACTED_ONLY,
    FeedbackEntry,
    FeedbackInsight,
    FeedbackPage,
    FilterOptions,
    Visibility,
    entry_from_row,
    parse_themes,
)
from cxloop.share.feedback_filters import SENTIMENTS, FeedbackFilters, filter_conditions
from cxloop.storage import Warehouse
from cxloop.understand.text.analyse_feedback import has_text
from cxloop.understand.text.theme_contrast import (
    ThemeContrast,
    compare_themes,
    nps_groups_expr,
    theme_list,
    theme_mentions_expr,
    themes_by_group_expr,
)

MAX_LIMIT = 100
MAX_ID_LENGTH = 300

__all__ = [
    "REDACTED_ONLY", "FeedbackEntry", "FeedbackInsight", "FeedbackPage", "FilterOptions",
    "Visibility", "entry_from_row", "feedback_with_insights_expr", "filter_options",
    "filtered_feedback_expr", "get_feedback", "list_feedback", "parse_themes",
    "theme_sentiment_expr", "theme_sentiment_matrix", "unhappy_themes",
]  # fmt: skip


_FEEDBACK_COLUMNS = (
    "feedback_id", "ts", "source", "kind", "channel", "touchpoint", "team_id", "survey_id",
    "customer_id", "nps", "csat", "ces", "rating",
)  # fmt: skip
_INSIGHT_COLUMNS = ("sentiment", "sentiment_label", "intent", "redacted_text", "analyser")


def feedback_with_insights_expr(
    feedback: ir.Table,
    insights: ir.Table,
    customers: ir.Table | None = None,
    teams: ir.Table | None = None,
    visibility: Visibility = REDACTED_ONLY,
) -> ir.Table:
    """Feedback left-joined with its insights, its customer's name and its team's name.

    Columns: those of :class:`FeedbackEntry` (``text`` only with ``original_text``,
    ``customer_name`` only with ``customer_names``), ``insight_language``, ``themes`` (the
    stored JSON), ``theme_list`` (the themes as an array of strings), ``analysed_at`` and
    ``analysed`` (true where the feedback has insights, null otherwise); ``has_text`` is false
    for a score without a comment, which has nothing to analyse. Without
    ``customers`` or ``teams`` the names are left out (null): counting needs neither join.
    """
    i = insights.select(
        "feedback_id",
        *_INSIGHT_COLUMNS,
        "themes",
        "analysed_at",
        insight_language=insights.language,
        analysed=ibis.literal(True),
    )
    joined = feedback.left_join(i, "feedback_id")
    names = False
    if customers is not None and visibility.customer_names:
        names = True
        c = customers.select(_customer_id="customer_id", customer_name="name")
        joined = joined.left_join(c, joined.customer_id == c._customer_id)
    if teams is not None:
        t = teams.select(_team_id="team_id", team_name="name")
        joined = joined.left_join(t, joined.team_id == t._team_id)
    language = ibis.coalesce(joined.insight_language.nullif("und"), joined.language)
    columns: dict[str, Any] = {name: joined[name] for name in _FEEDBACK_COLUMNS}
    columns |= {name: joined[name] for name in _INSIGHT_COLUMNS}
    columns |= {
        "team_name": joined.team_name if teams is not None else ibis.null(dt.string),
        "language": language,
        "insight_language": joined.insight_language,
        "themes": joined.themes,
        "theme_list": theme_list(joined.themes),
        "analysed_at": joined.analysed_at,
        "analysed": joined.analysed,
        "has_text": has_text(joined.text),
    }
    if visibility.original_text:
        columns["text"] = joined.text
    if names:
        columns["customer_name"] = joined.customer_name
    return joined.select(**columns)


def _joined(warehouse: Warehouse, visibility: Visibility, *, names: bool = True) -> ir.Table:
    """The joined feedback; without ``names`` (for counting) no customer or team join."""
    return feedback_with_insights_expr(
        warehouse.table("feedback"),
        warehouse.table("feedback_insights"),
        warehouse.table("customers") if names else None,
        warehouse.table("teams") if names else None,
        visibility,
    )


def filtered_feedback_expr(
    joined: ir.Table, filters: FeedbackFilters, visibility: Visibility, timezone: str = "UTC"
) -> ir.Table:
    """``joined`` narrowed by ``filters``; the search looks in the text the caller may see."""
    column = "text" if visibility.original_text else "redacted_text"
    conditions = filter_conditions(joined, filters, search_column=column, timezone=timezone)
    return joined.filter(*conditions) if conditions else joined


def list_feedback(
    warehouse: Warehouse,
    filters: FeedbackFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    *,
    visibility: Visibility = REDACTED_ONLY,
    timezone: str = "UTC",
) -> FeedbackPage:
    """A page of feedback matching ``filters``, newest first, with insights.

    Parameters
    ----------
    warehouse
        The warehouse.
    filters
        What to show (default: everything).
    limit, offset
        At most ``limit`` (1 to 100) pieces after skipping ``offset``.
    visibility
        Whether the caller may see the original text and customer names.
    timezone
        The time zone whose days ``date_from`` and ``date_to`` mean.

    Examples
    --------
    >>> page = list_feedback(wh, FeedbackFilters(sentiment="negative", q="late"))  # doctest: +SKIP
    >>> page.items[0].insight.sentiment_label  # doctest: +SKIP
    'negative'
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise UsageError("offset cannot be negative")
    filters = filters or FeedbackFilters()
    # the ids of the page from as narrow a table as the filters allow (feedback alone when no
    # filter reads the insights), then only their rows joined with everything; the ids stay
    # in the query (never literals: a stored id may hold any character)
    matching = _matching_expr(warehouse, filters, visibility, timezone)
    newest = [ibis.desc("ts"), "feedback_id"]
    keys = matching.order_by(newest).select("feedback_id").limit(limit, offset=offset)
    # narrow both sides to the page before the joins: joining first and then keeping the page
    # makes the engine hash every piece of feedback and every insight (seconds at 5M rows)
    feedback = warehouse.table("feedback").join(keys, "feedback_id")
    insights = warehouse.table("feedback_insights")
    insights = insights.filter(insights.feedback_id.isin(feedback.feedback_id))
    customers = warehouse.table("customers")
    customers = customers.filter(customers.customer_id.isin(feedback.customer_id))
    page = feedback_with_insights_expr(
        feedback, insights, customers, warehouse.table("teams"), visibility
    ).order_by(newest)
    rows = warehouse.to_pyarrow(page.drop("theme_list")).to_pylist()
    if len(rows) < limit and (rows or offset == 0):
        total = offset + len(rows)  # the last page: no need to count
    else:
        total = int(warehouse.to_pyarrow(matching.count()).as_py() or 0)
    items = [entry_from_row(row) for row in rows]
    return FeedbackPage(total=total, limit=limit, offset=offset, filters=filters, items=items)


#: filters that read ``feedback_insights`` (the language is the detected one where known)
_INSIGHT_FILTERS = ("language", "sentiment", "theme", "intent")


def _matching_expr(
    warehouse: Warehouse, filters: FeedbackFilters, visibility: Visibility, timezone: str
) -> ir.Table:
    """The feedback matching ``filters`` (at least ``feedback_id`` and ``ts``), joined with
    its insights only if some filter needs them."""
    needs_insights = any(getattr(filters, name) for name in _INSIGHT_FILTERS) or (
        bool(filters.q.strip()) and not visibility.original_text
    )
    if needs_insights:
        narrow = _joined(warehouse, visibility, names=False)
        return filtered_feedback_expr(narrow, filters, visibility, timezone)
    feedback = warehouse.table("feedback")
    conditions = filter_conditions(feedback, filters, search_column="text", timezone=timezone)
    return feedback.filter(*conditions) if conditions else feedback


def get_feedback(
    warehouse: Warehouse, feedback_id: str, *, visibility: Visibility = REDACTED_ONLY
) -> FeedbackEntry:
    """One piece of feedback with its insights; :class:`NotFoundError` if there is none."""
    missing = NotFoundError(f"no feedback with id {feedback_id[:80]!r}")
    if "\x00" in feedback_id or len(feedback_id) > MAX_ID_LENGTH:
        raise missing
    joined = _joined(warehouse, visibility)
    rows = warehouse.to_pyarrow(
        joined.filter(joined.feedback_id == feedback_id).drop("theme_list").limit(1)
    ).to_pylist()
    if not rows:
        raise missing
    return entry_from_row(rows[0])


def filter_options(warehouse: Warehouse) -> FilterOptions:
    """The languages, themes, touchpoints and teams present, for the filter form's choices."""
    feedback = warehouse.table("feedback")
    insights = warehouse.table("feedback_insights")
    detected = insights.filter(insights.language != "und").select("language")
    languages = ibis.union(feedback.select("language"), detected, distinct=True)
    languages = languages.filter(languages.language.notnull())
    touchpoints = feedback.select("touchpoint").filter(feedback.touchpoint.notnull()).distinct()
    themes = themes_by_group_expr(insights.filter(insights.themes.notnull()).select("themes"))
    teams = warehouse.table("teams").select("team_id", "name")

    def values(expr: ir.Table, column: str) -> list[str]:
        return sorted(str(v) for v in warehouse.to_pyarrow(expr)[column].to_pylist())

    team_rows = warehouse.to_pyarrow(teams).to_pylist()
    return FilterOptions(
        languages=values(languages, "language"),
        themes=values(themes, "theme"),
        touchpoints=values(touchpoints, "touchpoint"),
        teams=sorted(
            ((r["team_id"], r["name"] or r["team_id"]) for r in team_rows), key=lambda p: p[1]
        ),
    )


def theme_sentiment_expr(filtered: ir.Table) -> ir.Table:
    """Analysed pieces of feedback per theme and sentiment: ``theme``, ``sentiment_label``,
    ``count`` (a piece with two themes counts under both)."""
    analysed = filtered.filter(filtered.analysed.notnull(), filtered.sentiment_label.notnull())
    counts = themes_by_group_expr(analysed.select("themes", "sentiment_label"), "sentiment_label")
    return counts.rename(count="n")


def theme_sentiment_matrix(
    warehouse: Warehouse,
    filters: FeedbackFilters | None = None,
    *,
    visibility: Visibility = REDACTED_ONLY,
    timezone: str = "UTC",
) -> pd.DataFrame:
    """The heat map's numbers: one row per theme, one column per sentiment (negative,
    neutral, positive) and ``total``; themes with the most feedback first."""
    filters = filters or FeedbackFilters()
    joined = _joined(warehouse, visibility, names=False)
    found = filtered_feedback_expr(joined, filters, visibility, timezone)
    counts = warehouse.to_pandas(theme_sentiment_expr(found))
    matrix = counts.pivot_table(
        index="theme", columns="sentiment_label", values="count", aggfunc="sum", fill_value=0
    ).reindex(columns=list(SENTIMENTS), fill_value=0)
    matrix = matrix.astype("int64")
    matrix.columns.name = None
    matrix["total"] = matrix.sum(axis=1)
    return matrix.sort_values(["total"], ascending=False, kind="stable").rename_axis("theme")


def unhappy_themes(
    warehouse: Warehouse,
    filters: FeedbackFilters | None = None,
    *,
    visibility: Visibility = REDACTED_ONLY,
    timezone: str = "UTC",
) -> ThemeContrast:
    """What unhappy customers talk about: every theme's share among detractors (NPS 0–6)
    against promoters (9–10), among the analysed feedback the filters select (the NPS band
    filter is left out, since both groups are needed)."""
    filters = (filters or FeedbackFilters()).without("nps_band")
    joined = _joined(warehouse, visibility, names=False)
    found = filtered_feedback_expr(joined, filters, visibility, timezone)
    groups = dict(warehouse.to_pyarrow(nps_groups_expr(found)).to_pandas().itertuples(index=False))
    mentions: dict[str, list[int]] = {}
    for group, theme, n in warehouse.to_pandas(theme_mentions_expr(found)).itertuples(index=False):
        mentions.setdefault(str(theme), [0, 0])[0 if group == "detractor" else 1] = int(n)
    return compare_themes(
        {theme: (d, p) for theme, (d, p) in mentions.items()},
        int(groups.get("detractor", 0)),
        int(groups.get("promoter", 0)),
    )
