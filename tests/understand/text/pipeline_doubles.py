"""Small, rule-based stand-ins for the five parts of an analyser, and feedback rows to test with.

They follow the Protocols of :mod:`cxloop.understand.text.parts` and are simple enough that a
test can say what they must answer; they never ship in ``src``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from cxloop.storage import Warehouse
from cxloop.understand.text.analyser import TextAnalyser
from cxloop.understand.text.parts import Intent, Sentiment

POSITIVE = {"great", "love", "fast", "friendly", "excelente", "genial", "好", "喜欢"}
NEGATIVE = {"late", "broken", "rude", "slow", "tarde", "roto", "慢", "差"}
THEMES = {
    "delivery": ("delivery", "late", "entrega", "快递"),
    "staff_friendliness": ("staff", "friendly", "rude", "personal", "服务"),
    "billing": ("invoice", "charged", "factura", "账单"),
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
CJK = re.compile(r"[\u4e00-\u9fff]")
SPANISH = re.compile(r"\b(el|la|los|muy|pedido|entrega|factura|personal)\b|[ñáéíóú]", re.I)


def words(text: str) -> list[str]:
    return list(text) if CJK.search(text) else re.findall(r"\w+", text.lower())


class RuleLanguages:
    """zh when the text has a CJK character, es on a Spanish word or accent, else en."""

    version = "rules-1"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def detect(self, texts: Sequence[str]) -> list[str]:
        self.batches.append(len(texts))
        out = []
        for text in texts:
            if not text.strip() or not re.search(r"\w", text):
                out.append("und")
            elif CJK.search(text):
                out.append("zh")
            elif SPANISH.search(text):
                out.append("es")
            else:
                out.append("en")
        return out


class LexiconSentiment:
    """Positive minus negative words, scaled into [-1, 1]."""

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]:
        out = []
        for text in texts:
            tokens = words(text)
            score = sum(t in POSITIVE for t in tokens) - sum(t in NEGATIVE for t in tokens)
            score = max(-1.0, min(1.0, score / 2))
            label = "positive" if score > 0 else "negative" if score < 0 else "neutral"
            out.append(Sentiment(label=label, score=score))
        return out


class RuleIntent:
    """question on '?', issue on a negative word, praise on a positive one, else none."""

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Intent | None]:
        out: list[Intent | None] = []
        for text in texts:
            tokens = set(words(text))
            if "?" in text or "？" in text:
                out.append("question")
            elif tokens & NEGATIVE:
                out.append("issue")
            elif tokens & POSITIVE:
                out.append("praise")
            else:
                out.append(None)
        return out


class KeywordThemes:
    """A theme when one of its keywords is in the text."""

    def tag(self, texts: Sequence[str], languages: Sequence[str]) -> list[tuple[str, ...]]:
        return [
            tuple(t for t, keys in THEMES.items() if any(k in text.lower() for k in keys))
            for text in texts
        ]


class EmailRedactor:
    """E-mail addresses become [EMAIL]."""

    def redact(self, texts: Sequence[str], languages: Sequence[str]) -> list[str]:
        return [EMAIL.sub("[EMAIL]", text) for text in texts]


def rule_analyser(name: str = "rules/1", batch_size: int = 3) -> TextAnalyser:
    return TextAnalyser(
        languages=RuleLanguages(),
        sentiment=LexiconSentiment(),
        intent=RuleIntent(),
        themes=KeywordThemes(),
        redactor=EmailRedactor(),
        name=name,
        batch_size=batch_size,
    )


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def add_feedback(warehouse: Warehouse, texts: dict[str, str | None], **columns: Any) -> None:
    """Feedback rows ``{feedback_id: text}`` (other columns null unless given)."""
    schema = warehouse.to_pyarrow(warehouse.table("feedback").limit(0)).schema
    rows = [
        {
            name: {"feedback_id": fid, "text": text, "source": "test", "ts": T0}.get(
                name, columns.get(name)
            )
            for name in schema.names
        }
        for fid, text in texts.items()
    ]
    warehouse.append("feedback", pa.Table.from_pylist(rows, schema=schema))
