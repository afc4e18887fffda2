"""The shipped sentiment model: negative / neutral / positive with a score in [-1, 1].

Trained by ``scripts/train_text_models.py`` on the training splits of public sentiment data in
English, Spanish and Chinese plus the demo generator's comments; see docs/text-analytics.md for
what it was trained on and how well it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from cxloop.understand.text.linear_model import LinearTextModel, artefact_stem
from cxloop.understand.text.parts import Sentiment, SentimentLabel

SENTIMENT_MODEL = "sentiment-1.1"
_LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")


def shipped_model_stem(name: str) -> Path:
    """Where a model artefact shipped in the package lives (without its suffix)."""
    return Path(str(resources.files("cxloop.understand.text").joinpath("models", name)))


class ShippedSentimentModel:
    """Sentiment from the linear model shipped in the package (no download, CPU only).

    The label is the most probable class; the score is P(positive) − P(negative), so a
    confidently positive text scores near 1, a confidently negative one near −1, and a neutral
    or undecided one near 0.

    Examples
    --------
    >>> model = ShippedSentimentModel.load()
    >>> [s.label for s in model.predict(["I love it, thank you!"], ["en"])]
    ['positive']
    """

    def __init__(self, model: LinearTextModel) -> None:
        if tuple(model.classes) != _LABELS:
            raise ValueError(f"a sentiment model has classes {_LABELS}, not {model.classes}")
        self.model = model

    @classmethod
    def load(cls, path: Path | None = None) -> ShippedSentimentModel:
        """The model shipped in the package, or the one at ``path`` (``.json``/``.npz`` stem)."""
        stem = artefact_stem(path) if path is not None else shipped_model_stem(SENTIMENT_MODEL)
        return cls(LinearTextModel.load(stem))

    @property
    def version(self) -> str:
        """The version of the artefact (from its metadata)."""
        return str(self.model.metadata.get("version", ""))

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]:
        """One :class:`Sentiment` per text; an empty text is neutral with score 0."""
        if len(texts) != len(languages):
            raise ValueError("texts and languages must have the same length")
        proba = self.model.predict_proba(texts, languages)
        best = proba.argmax(axis=1) if len(texts) else np.zeros(0, dtype=int)
        score = np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0) if len(texts) else np.zeros(0)
        out = []
        for text, label_index, value in zip(texts, best, score, strict=True):
            if not text.strip():
                out.append(Sentiment(label="neutral", score=0.0))
            else:
                out.append(Sentiment(label=_LABELS[int(label_index)], score=float(value)))
        return out
