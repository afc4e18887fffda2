"""What the Feedback explorer returns: a piece of feedback with its insights, a page of them,
the choices of the filters, and who may see what (:class:`Visibility`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cxloop.domain.access import Role
from cxloop.share.feedback_filters import FeedbackFilters


@dataclass(frozen=True)
class Visibility:
    """What the caller may see: the original text (admins) and customer names (agents up)."""

    original_text: bool = False
    customer_names: bool = False

    @classmethod
    def for_role(cls, role: Role) -> Visibility:
        """Admins see the original text; agents and up see customer names."""
        return cls(original_text=role.allows(Role.ADMIN), customer_names=role.allows(Role.AGENT))


#: what a caller sees unless it is given more: the redacted text, no customer names
REDACTED_ONLY = Visibility()


class FeedbackInsight(BaseModel):
    """What text analytics found in a piece of feedback (a row of ``feedback_insights``)."""

    language: str | None = Field(default=None, description="Detected language (ISO 639-1; und).")
    sentiment: float | None = Field(default=None, description="Score from -1 (negative) to 1.")
    sentiment_label: str | None = Field(default=None, description="negative, neutral or positive.")
    themes: list[str] = Field(default_factory=list)
    intent: str | None = Field(default=None, description="need, issue, gap, praise or question.")
    redacted_text: str | None = Field(
        default=None, description="The text with personal data replaced."
    )
    analyser: str | None = None
    analysed_at: datetime | None = None


class FeedbackEntry(BaseModel):
    """One piece of customer voice with its insights."""

    feedback_id: str
    ts: datetime | None = None
    source: str | None = None
    kind: str | None = None
    channel: str | None = None
    touchpoint: str | None = None
    team_id: str | None = None
    team_name: str | None = None
    survey_id: str | None = None
    customer_id: str | None = None
    customer_name: str | None = Field(
        default=None, description="Agents and up only (null for viewers)."
    )
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    rating: float | None = None
    language: str | None = Field(
        default=None, description="The detected language where analysed, else the one given."
    )
    text: str | None = Field(
        default=None,
        description="The original text: admins only. Every other role gets null here and "
        "reads insight.redacted_text.",
    )
    has_text: bool = Field(
        default=True,
        description="Whether the piece carries a comment. A score alone (false) has nothing "
        "to analyse: its insight stays null and it never waits for analysis.",
    )
    insight: FeedbackInsight | None = Field(
        default=None, description="Null until analysed, and always without a comment."
    )


class FeedbackPage(BaseModel):
    """A page of feedback matching the filters, newest first."""

    total: int = Field(description="Pieces of feedback matching, on every page.")
    limit: int
    offset: int
    filters: FeedbackFilters
    items: list[FeedbackEntry]


class FilterOptions(BaseModel):
    """The values the explorer's filters can take in this warehouse."""

    languages: list[str]
    themes: list[str]
    touchpoints: list[str]
    teams: list[tuple[str, str]] = Field(description="(team_id, name) pairs.")


def entry_from_row(row: dict[str, Any]) -> FeedbackEntry:
    """A :class:`FeedbackEntry` from a row of :func:`feedback_with_insights_expr`."""
    insight = None
    if row.get("analysed"):
        insight = FeedbackInsight(
            language=row.get("insight_language"),
            sentiment=row.get("sentiment"),
            sentiment_label=row.get("sentiment_label"),
            themes=parse_themes(row.get("themes")),
            intent=row.get("intent"),
            redacted_text=row.get("redacted_text"),
            analyser=row.get("analyser"),
            analysed_at=row.get("analysed_at"),
        )
    fields = {name: row.get(name) for name in FeedbackEntry.model_fields if name != "insight"}
    return FeedbackEntry.model_validate({**fields, "insight": insight})


def parse_themes(value: object) -> list[str]:
    """The themes of the stored JSON list (anything else: none).

    >>> parse_themes('["delivery", "价格"]')
    ['delivery', '价格']
    """
    if not isinstance(value, str):
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return (
        [str(item) for item in parsed if isinstance(item, str)] if isinstance(parsed, list) else []
    )
