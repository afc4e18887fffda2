"""The shipped sentiment model: negative / neutral / positive with a score in [-1, 1].

Trained by ``scripts/train_text_models.py`` on the training splits of public sentiment data in
English, Spanish and Chinese plus the demo generator's comments; see docs/text-analytics.md for
what it was trained on and how well it does.

The artefact is one model for all languages plus, where its metadata lists them under
``language_models``, a model of its own for some languages (English and Spanish: trained on
tweets, with a sentiment lexicon for English), stored beside it in the same folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from cxloop.understand.text.linear_model import LinearTextModel, artefact_stem
from cxloop.understand.text.parts import Sentiment, SentimentLabel

SENTIMENT_MODEL = "sentiment-2.1"
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

    def __init__(
        self, model: LinearTextModel, by_language: dict[str, LinearTextModel] | None = None
    ) -> None:
        for each in (model, *(by_language or {}).values()):
            if tuple(each.classes) != _LABELS:
                raise ValueError(f"a sentiment model has classes {_LABELS}, not {each.classes}")
        self.model = model
        self.by_language = dict(by_language or {})

    @classmethod
    def load(cls, path: Path | None = None) -> ShippedSentimentModel:
        """The model shipped in the package, or the one at ``path`` (``.json``/``.npz`` stem),
        with the per-language models its metadata lists (read from the same folder)."""
        stem = artefact_stem(path) if path is not None else shipped_model_stem(SENTIMENT_MODEL)
        model = LinearTextModel.load(stem)
        parts = model.metadata.get("language_models") or {}
        by_language = {
            language: LinearTextModel.load(stem.parent / str(name))
            for language, name in sorted(parts.items())
        }
        return cls(model, by_language)

    @property
    def version(self) -> str:
        """The version of the artefact (from its metadata)."""
        return str(self.model.metadata.get("version", ""))

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]:
        """One :class:`Sentiment` per text; an empty text is neutral with score 0."""
        if len(texts) != len(languages):
            raise ValueError("texts and languages must have the same length")
        proba = self._proba(texts, languages)
        best = proba.argmax(axis=1) if len(texts) else np.zeros(0, dtype=int)
        score = np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0) if len(texts) else np.zeros(0)
        out = []
        for text, label_index, value in zip(texts, best, score, strict=True):
            if not text.strip():
                out.append(Sentiment(label="neutral", score=0.0))
            else:
                out.append(Sentiment(label=_LABELS[int(label_index)], score=float(value)))
        return out

    def _proba(self, texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        """Class probabilities; each text is scored by its language's model or the shared one."""
        if not self.by_language:
            return self.model.predict_proba(texts, languages)
        proba = np.zeros((len(texts), len(_LABELS)))
        groups: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            key = language if language in self.by_language else ""
            groups.setdefault(key, []).append(i)
        for key, rows in groups.items():
            model = self.by_language.get(key, self.model)
            proba[rows] = model.predict_proba(
                [texts[i] for i in rows], [languages[i] for i in rows]
            )
        return proba
