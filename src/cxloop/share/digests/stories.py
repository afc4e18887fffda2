"""Customer stories for a team's digest: representative comments of the week, by theme.

The rule (docs/digests.md): the week's comments about the team (routed to it, or about the
touchpoint it owns) that text analysis has read are counted by theme; for each of the
:data:`MAX_THEMES` most mentioned themes the digest quotes the most positive comment
(``sentiment_label`` positive, highest ``sentiment``) as praise and the most negative one
(negative, lowest ``sentiment``) as a problem, so a theme shows both sides when it has both.
Ties go to comments of :data:`MIN_CHARS` to :data:`MAX_CHARS` characters, then the newest,
then the feedback id. A comment is quoted once. Only the redacted text is ever read, and it
is passed through the redactor again with the customer's name as a known name, so neither a
phone number, an e-mail address nor the customer's name reaches a digest.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel

from cxloop.storage import Warehouse
from cxloop.understand.text.redaction import PatternRedactor

MAX_THEMES = 3
MIN_CHARS, MAX_CHARS = 20, 400


class Verbatim(BaseModel):
    """One quoted comment (redacted)."""

    feedback_id: str
    text: str
    tone: str
    ts: datetime
    language: str | None = None


class ThemeStories(BaseModel):
    """A theme's mentions this week and the week before, with its quotes."""

    theme: str
    mentions: int
    previous_mentions: int
    praise: Verbatim | None = None
    problem: Verbatim | None = None


@dataclass(frozen=True)
class TeamScope:
    """Which feedback is a team's: routed to it, or about the touchpoint it owns."""

    team_id: str
    touchpoint: str | None = None

    def filter(self, feedback: ir.Table) -> ir.Table:
        mine = feedback.team_id == self.team_id
        if self.touchpoint:
            mine = mine | (feedback.touchpoint == self.touchpoint)
        return feedback.filter(mine)


def team_comments_expr(
    feedback: ir.Table,
    insights: ir.Table,
    customers: ir.Table,
    scope: TeamScope,
    since: datetime,
    until: datetime,
) -> ir.Table:
    """The analysed comments about a team in ``[since, until)`` with their sentiment, themes
    and the customer's name (for the redactor only)."""
    f = scope.filter(feedback)
    f = f.filter((f.ts >= since) & (f.ts < until))
    joined = f.join(insights, f.feedback_id == insights.feedback_id)
    joined = joined.filter(joined.redacted_text.notnull())
    people = customers.select(_cust=customers.customer_id, _name=customers.name)
    joined = joined.left_join(people, joined.customer_id == people._cust)
    return joined.select(
        feedback_id=joined.feedback_id,
        ts=joined.ts,
        language=ibis.coalesce(joined.language_right, joined.language),
        redacted_text=joined.redacted_text,
        sentiment=joined.sentiment,
        sentiment_label=joined.sentiment_label,
        themes=joined.themes,
        customer_name=joined._name,
    )


def theme_list(value: object) -> list[str]:
    """The themes of a stored JSON list (anything else: none)."""
    if not isinstance(value, str):
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return [str(t) for t in parsed if isinstance(t, str)] if isinstance(parsed, list) else []


def pick_stories(
    rows: list[dict[str, Any]],
    previous_counts: Counter[str],
    *,
    max_themes: int = MAX_THEMES,
    redactor: PatternRedactor | None = None,
) -> list[ThemeStories]:
    """Apply the module's rule to the week's comments (rows of :func:`team_comments_expr`).

    Examples
    --------
    >>> rows = [{"feedback_id": "F1", "ts": datetime(2026, 11, 30), "language": "en",
    ...          "redacted_text": "Delivery was fast and the driver was kind",
    ...          "sentiment": 0.9, "sentiment_label": "positive", "themes": '["delivery"]'}]
    >>> [s.praise.feedback_id for s in pick_stories(rows, Counter())]
    ['F1']
    """
    redactor = redactor or PatternRedactor()
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(set(theme_list(row.get("themes"))))
    ranked = sorted(counts, key=lambda t: (-counts[t], t))[:max_themes]
    used: set[str] = set()
    stories = []
    for theme in ranked:
        about = [r for r in rows if theme in theme_list(r.get("themes"))]
        praise = _best(about, "positive", used, redactor)
        problem = _best(about, "negative", used, redactor)
        stories.append(
            ThemeStories(
                theme=theme,
                mentions=counts[theme],
                previous_mentions=previous_counts.get(theme, 0),
                praise=praise,
                problem=problem,
            )
        )
    return stories


def _best(
    rows: list[dict[str, Any]], label: str, used: set[str], redactor: PatternRedactor
) -> Verbatim | None:
    sign = -1.0 if label == "positive" else 1.0
    candidates = [
        r for r in rows if r.get("sentiment_label") == label and r["feedback_id"] not in used
    ]
    if not candidates:
        return None

    def order(row: dict[str, Any]) -> tuple[float, bool, float, str]:
        length = len(row["redacted_text"] or "")
        score = row.get("sentiment")
        fitting = MIN_CHARS <= length <= MAX_CHARS
        return (sign * (score if score is not None else 0.0), not fitting,
                -row["ts"].timestamp(), row["feedback_id"])  # fmt: skip

    best = min(candidates, key=order)
    used.add(best["feedback_id"])
    language = best.get("language") or "und"
    names = [best["customer_name"]] if best.get("customer_name") else []
    text = redactor.redact_one(str(best["redacted_text"]), language, names)
    return Verbatim(
        feedback_id=best["feedback_id"],
        text=_shorten(" ".join(text.split())),
        tone="praise" if label == "positive" else "problem",
        ts=best["ts"],
        language=best.get("language"),
    )


def _shorten(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text[:MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",.;: ") + "…"


def customer_stories(
    wh: Warehouse, scope: TeamScope, since: datetime, until: datetime, previous_since: datetime
) -> list[ThemeStories]:
    """The team's stories of ``[since, until)``; theme mentions compared with
    ``[previous_since, since)``."""
    f, i, c = wh.table("feedback"), wh.table("feedback_insights"), wh.table("customers")
    rows = wh.to_pyarrow(team_comments_expr(f, i, c, scope, since, until)).to_pylist()
    before = wh.to_pyarrow(
        team_comments_expr(f, i, c, scope, previous_since, since).select("themes")
    ).to_pylist()
    previous: Counter[str] = Counter()
    for row in before:
        previous.update(set(theme_list(row["themes"])))
    return pick_stories(rows, previous)
