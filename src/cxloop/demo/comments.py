"""Customer comments composed from the hand-written phrasings in ``phrasings/<language>.yaml``.

A comment is built from templates chosen by mood (from the scores), theme (from the touchpoint
and what went wrong) and intent; its true sentiment, themes and intent are returned with it so
that text analytics can be scored against them.

Sentiment of a comment follows from its parts: praise is positive, issue and gap are negative,
need and general remarks are neutral; praise together with an issue or gap is ``mixed``. Its
intent is the strongest part: issue > gap > need > praise (empty for a general remark).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

THEMES = (
    "delivery", "billing", "product_quality", "staff_friendliness", "wait_time",
    "app_usability", "price", "returns",
)  # fmt: skip
INTENTS = ("need", "issue", "gap", "praise")
PART_SENTIMENT = {"praise": "positive", "issue": "negative", "gap": "negative", "need": "neutral"}
_KEEP_CASE = ("{staff}", "{city}", "I ", "I'", "App", "Amazon", "IKEA")


@dataclass(frozen=True)
class Phrasebook:
    language: str
    products: tuple[str, ...]
    connectors: tuple[str, ...]
    general: tuple[str, ...]
    themes: dict[str, dict[str, tuple[str, ...]]]


@dataclass(frozen=True)
class Comment:
    """A comment and its truth."""

    text: str
    sentiment: str
    themes: tuple[str, ...]
    intent: str


@cache
def phrasebook(language: str) -> Phrasebook:
    """The phrasings of one language (en, es, zh), read from the package data."""
    text = (
        resources.files("cxloop.demo")
        .joinpath("phrasings", f"{language}.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    return Phrasebook(
        language=data["language"],
        products=tuple(data["products"]),
        connectors=tuple(data["connectors"]),
        general=tuple(data["general"]),
        themes={
            theme: {part: tuple(lines) for part, lines in parts.items()}
            for theme, parts in data["themes"].items()
        },
    )


@dataclass(frozen=True)
class Slots:
    """Values for a comment's placeholders."""

    days: int
    amount: str
    staff: str
    minutes: int
    city: str


class CommentWriter:
    """Composes comments; one instance per generation run (it owns the random stream)."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def _fill(self, template: str, book: Phrasebook, slots: Slots, product: str) -> str:
        text = template.format(
            product=product,
            days=slots.days,
            amount=slots.amount,
            staff=slots.staff,
            minutes=slots.minutes,
            city=slots.city,
        )
        if book.language == "es":
            text = text.replace(" de el ", " del ").replace(" a el ", " al ")
        return text[:1].upper() + text[1:]

    def _part(self, book: Phrasebook, theme: str, part: str, slots: Slots) -> tuple[str, str]:
        template = self.rnd.choice(book.themes[theme][part])
        product = self.rnd.choice(book.products)
        return self._fill(template, book, slots, product), template

    def _lower_start(self, text: str, template: str, language: str) -> str:
        if language == "zh" or template.startswith(_KEEP_CASE):
            return text
        return text[:1].lower() + text[1:]

    def _join(self, book: Phrasebook, first: tuple[str, str], second: tuple[str, str]) -> str:
        connector = self.rnd.choice(book.connectors)
        b_lc = self._lower_start(second[0], second[1], book.language)
        return connector.format(a=first[0], b=second[0], b_lc=b_lc)

    def write(
        self,
        language: str,
        mood: str,
        theme: str,
        other: str,
        slots: Slots,
        *,
        also_other: bool = False,
    ) -> Comment:
        """A comment in ``language`` for a customer in ``mood``.

        ``mood`` is ``positive``, ``negative``, ``middle`` (a passive score) or ``question``
        (a contact without a complaint); ``theme`` is what the comment is mainly about and
        ``other`` a second theme that mixed or longer comments bring in (a negative comment
        always complains about it too when ``also_other`` is set).
        """
        book = phrasebook(language)
        r = self.rnd.random()
        if mood == "positive":
            main = self._part(book, theme, "praise", slots)
            if r < 0.25:
                extra = self._part(book, other, "praise", slots)
                text = _sentences(main[0], extra[0], language)
                return Comment(text, "positive", (theme, other), "praise")
            return Comment(main[0], "positive", (theme,), "praise")
        if mood == "negative":
            kind = "issue" if r < 0.75 else "gap" if r < 0.9 else "issue+need"
            main = self._part(book, theme, kind.split("+")[0], slots)
            text, themes = main[0], (theme,)
            themes_out: tuple[str, ...] = themes
            if kind == "issue+need":
                text = _sentences(text, self._part(book, theme, "need", slots)[0], language)
            if other != theme and (also_other or self.rnd.random() < 0.15):
                text = _sentences(text, self._part(book, other, "issue", slots)[0], language)
                themes_out = (theme, other)
            return Comment(text, "negative", themes_out, "gap" if kind == "gap" else "issue")
        if mood == "question":
            return Comment(self._part(book, theme, "need", slots)[0], "neutral", (theme,), "need")
        # a passive score: mixed feelings, a request, a shrug or a mild complaint
        if r < 0.45:
            praise = self._part(book, other, "praise", slots)
            issue = self._part(book, theme, "issue", slots)
            if self.rnd.random() < 0.3:
                text = self._join(book, issue, praise)
            else:
                text = self._join(book, praise, issue)
            return Comment(text, "mixed", (theme, other), "issue")
        if r < 0.7:
            return Comment(self._part(book, theme, "need", slots)[0], "neutral", (theme,), "need")
        if r < 0.85:
            return Comment(self.rnd.choice(book.general), "neutral", (), "")
        return Comment(self._part(book, theme, "issue", slots)[0], "negative", (theme,), "issue")


def _sentences(first: str, second: str, language: str) -> str:
    return first + second if language == "zh" else f"{first} {second}"


def format_amount(amount: float, currency: str, language: str) -> str:
    """Money as a customer of that market writes it."""
    if currency == "EUR":
        whole = f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{whole} €"
    if currency == "CNY":
        return f"{amount:.0f}元" if language == "zh" else f"¥{amount:,.0f}"
    symbol = {"USD": "$", "GBP": "£", "MXN": "$"}.get(currency, "")
    return f"{symbol}{amount:,.2f}"
