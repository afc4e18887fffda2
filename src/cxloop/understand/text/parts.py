"""The parts a text analyser is made of, and what it returns for one text.

Each part works on a batch: a list of texts and, where it matters, the language of each. The
default analyser composes the shipped parts; a plugin or the transformer backend may replace any
of them. Languages are ISO 639-1 codes (``en``, ``es``, ``zh``); ``und`` when undetermined.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

SentimentLabel = Literal["negative", "neutral", "positive"]
Intent = Literal["need", "issue", "gap", "praise", "question"]
UNDETERMINED = "und"


class Sentiment(BaseModel):
    """A sentiment label and its score in [-1, 1] (negative to positive)."""

    model_config = ConfigDict(frozen=True)

    label: SentimentLabel
    score: float = Field(ge=-1.0, le=1.0)


class TextInsight(BaseModel):
    """What the analyser found in one text; one row of ``feedback_insights``."""

    model_config = ConfigDict(frozen=True)

    language: str
    sentiment: Sentiment
    themes: tuple[str, ...] = ()
    intent: Intent | None = None
    redacted_text: str


class LanguageDetector(Protocol):
    """Detects the language of each text."""

    def detect(self, texts: Sequence[str]) -> list[str]: ...


class SentimentPredictor(Protocol):
    """Predicts the sentiment of each text."""

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]: ...


class IntentPredictor(Protocol):
    """Predicts the intent of each text (``None`` where none applies)."""

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Intent | None]: ...


class ThemeTagger(Protocol):
    """Tags each text with the themes of a taxonomy."""

    def tag(self, texts: Sequence[str], languages: Sequence[str]) -> list[tuple[str, ...]]: ...


class Redactor(Protocol):
    """Replaces personal data in each text."""

    def redact(self, texts: Sequence[str], languages: Sequence[str]) -> list[str]: ...
