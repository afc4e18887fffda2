"""The filters of the Feedback explorer, and the Ibis conditions they become.

A :class:`FeedbackFilters` is validated once (pydantic: a wrong sentiment, band or date names
its field) and turned into boolean Ibis expressions over the joined feedback table that
:func:`cxloop.share.feedback_explorer.feedback_with_insights_expr` builds. User text only ever
becomes Ibis literals (and, for the search, a regular expression with every character escaped),
never SQL text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import reduce
from typing import Literal
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cxloop.understand.text.parts import Intent, SentimentLabel
from cxloop.unify.search import accented_forms

NpsBand = Literal["detractor", "passive", "promoter"]
CsatBand = Literal["dissatisfied", "neutral", "satisfied"]
CesBand = Literal["difficult", "neutral", "easy"]

#: score bands, inclusive: NPS 0–10, CSAT 1–5, CES 1–7 (7 = very easy)
NPS_BANDS: dict[str, tuple[int, int]] = {
    "detractor": (0, 6),
    "passive": (7, 8),
    "promoter": (9, 10),
}
CSAT_BANDS: dict[str, tuple[int, int]] = {
    "dissatisfied": (1, 2),
    "neutral": (3, 3),
    "satisfied": (4, 5),
}
CES_BANDS: dict[str, tuple[int, int]] = {"difficult": (1, 3), "neutral": (4, 4), "easy": (5, 7)}
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
INTENTS: tuple[str, ...] = ("need", "issue", "gap", "praise", "question")

MAX_QUERY_LENGTH = 200
#: the most words of a search that are matched (the rest is ignored)
MAX_WORDS = 8
_LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


class FeedbackFilters(BaseModel):
    """What to show of the feedback; every field left empty means "any".

    Examples
    --------
    >>> FeedbackFilters(sentiment="negative", nps_band="detractor").active()
    ['sentiment', 'nps_band']
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    q: str = Field(
        default="",
        max_length=MAX_QUERY_LENGTH,
        description="Words the text contains, each anywhere in it (case and accents aside; "
        "Chinese matches any substring).",
    )
    language: str | None = Field(
        default=None,
        pattern=_LANGUAGE,
        description="Language code (ISO 639-1: en, es, zh): the detected one, else the one "
        "the feedback came with.",
    )
    sentiment: SentimentLabel | None = None
    theme: str | None = Field(default=None, min_length=1, max_length=100)
    intent: Intent | None = None
    touchpoint: str | None = Field(default=None, min_length=1, max_length=100)
    team: str | None = Field(default=None, min_length=1, max_length=100, description="A team id.")
    nps_band: NpsBand | None = Field(default=None, description="NPS 0–6, 7–8 or 9–10.")
    csat_band: CsatBand | None = Field(default=None, description="CSAT 1–2, 3 or 4–5.")
    ces_band: CesBand | None = Field(default=None, description="CES 1–3, 4 or 5–7 (7: very easy).")
    date_from: date | None = Field(default=None, description="First day (inclusive).")
    date_to: date | None = Field(default=None, description="Last day (inclusive).")

    @field_validator("q", "language", "theme", "touchpoint", "team", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # a NUL cannot be in any stored value, and some databases refuse it in a literal
        return value.replace("\x00", "") if isinstance(value, str) else value

    @model_validator(mode="after")
    def _dates_in_order(self) -> FeedbackFilters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must not be after date_to")
        return self

    def active(self) -> list[str]:
        """The names of the filters that narrow the list."""
        return [name for name in type(self).model_fields if getattr(self, name) not in (None, "")]

    def without(self, *names: str) -> FeedbackFilters:
        """The same filters with ``names`` cleared."""
        return self.model_copy(
            update={name: type(self).model_fields[name].default for name in names}
        )


def fold(text: str) -> str:
    """``text`` lower-cased, without accents, with runs of spaces made one.

    >>> fold("  Llegó  TARDE ")
    'llego tarde'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", bare).lower().split())


_ACCENTED = accented_forms()


def word_pattern(word: str) -> str:
    """A regular expression that finds a folded word anywhere in lower-case text, each bare
    letter also matching its accented forms.

    >>> bool(re.search(word_pattern("llego"), "la entrega llegó tarde"))
    True
    >>> bool(re.search(word_pattern("a.b"), "axb"))
    False
    """
    parts = []
    for ch in word:
        accented = _ACCENTED.get(ch)
        parts.append(f"[{ch}{accented}]" if accented else re.escape(ch))
    return "".join(parts)


def search_words(q: str) -> list[str]:
    """The words of a search, folded (at most :data:`MAX_WORDS`)."""
    return fold(q).split()[:MAX_WORDS]


def text_matches(column: ir.StringValue, q: str) -> ir.BooleanValue | None:
    """Every word of ``q`` is somewhere in ``column`` (case and accents aside); ``None`` for
    an empty search."""
    words = search_words(q)
    if not words:
        return None
    haystack = column.fill_null("").lower()
    conditions = []
    for word in words:
        pattern = word_pattern(word)
        # plain text (Chinese, digits) is a substring; Latin letters also match accented forms
        conditions.append(
            haystack.contains(word) if pattern == word else haystack.re_search(pattern)
        )
    return reduce(lambda a, b: a & b, conditions)


def _band(column: ir.IntegerValue, bounds: tuple[int, int]) -> ir.BooleanValue:
    low, high = bounds
    return column.between(low, high)


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def filter_conditions(
    joined: ir.Table, filters: FeedbackFilters, *, search_column: str, timezone: str = "UTC"
) -> list[ir.BooleanValue]:
    """The conditions ``filters`` put on ``joined`` (the table of
    :func:`~cxloop.share.feedback_explorer.feedback_with_insights_expr`).

    ``search_column`` is the text the search looks in: the original for admins, the redacted
    copy for everyone else (so a search cannot reveal what redaction hid). Dates are whole
    days in ``timezone``.
    """
    t = joined
    conditions: list[ir.BooleanValue] = []
    if filters.language:
        conditions.append(t.language.lower() == filters.language.lower())
    if filters.sentiment:
        conditions.append(t.sentiment_label == filters.sentiment)
    if filters.intent:
        conditions.append(t.intent == filters.intent)
    if filters.theme:
        # ``themes`` is a JSON list of strings: the theme, quoted as JSON writes it (with or
        # without non-ASCII escaped), is in the text exactly when it is in the list. Parsing
        # every row's JSON instead takes three times as long; it is kept only for names with
        # a quote or backslash, whose escapes could differ between writers.
        encoded = {json.dumps(filters.theme), json.dumps(filters.theme, ensure_ascii=False)}
        conditions.append(t.themes.lstrip().startswith("["))
        conditions.append(reduce(lambda a, b: a | b, [t.themes.contains(e) for e in encoded]))
        if '"' in filters.theme or "\\" in filters.theme:
            conditions.append(t.theme_list.contains(filters.theme).fill_null(False))
    if filters.touchpoint:
        conditions.append(t.touchpoint == filters.touchpoint)
    if filters.team:
        conditions.append(t.team_id == filters.team)
    if filters.nps_band:
        conditions.append(_band(t.nps, NPS_BANDS[filters.nps_band]))
    if filters.csat_band:
        conditions.append(_band(t.csat, CSAT_BANDS[filters.csat_band]))
    if filters.ces_band:
        conditions.append(_band(t.ces, CES_BANDS[filters.ces_band]))
    zone = _zone(timezone)
    if filters.date_from:
        conditions.append(t.ts >= ibis.literal(_day_start(filters.date_from, zone)))
    if filters.date_to:
        end = _day_start(filters.date_to + timedelta(days=1), zone)
        conditions.append(t.ts < ibis.literal(end))
    searched = text_matches(t[search_column], filters.q)
    if searched is not None:
        conditions.append(searched)
    return conditions


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
