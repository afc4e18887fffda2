"""The shipped intent model: need, issue, gap, praise, question, or none.

The need-based, issue-based and gap-finding lens: a *need* asks for something the customer
wants (a feature, an option), an *issue* reports something that went wrong, a *gap* compares with
what others offer, *praise* says what went well, and a *question* asks for information. A remark
with none of these (``It was fine.``) has no intent (``None``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

from cxloop.understand.text.linear_model import LinearTextModel, artefact_stem
from cxloop.understand.text.parts import Intent
from cxloop.understand.text.sentiment import shipped_model_stem

INTENT_MODEL = "intent-1.0"
_CLASSES = ("need", "issue", "gap", "praise", "question", "none")


class ShippedIntentModel:
    """Intent from the linear model shipped in the package (no download, CPU only).

    Parameters
    ----------
    model
        A fitted model whose classes are the five intents and ``none``.
    min_probability
        Below this probability of the best class, a text has no intent (``None``).

    Examples
    --------
    >>> ShippedIntentModel.load().predict(["Please add an option to pay by invoice."], ["en"])
    ['need']
    """

    def __init__(self, model: LinearTextModel, min_probability: float = 0.0) -> None:
        if set(model.classes) != set(_CLASSES):
            raise ValueError(f"an intent model has classes {_CLASSES}, not {model.classes}")
        self.model = model
        self.min_probability = min_probability

    @classmethod
    def load(cls, path: Path | None = None, min_probability: float = 0.0) -> ShippedIntentModel:
        """The model shipped in the package, or the one at ``path`` (``.json``/``.npz`` stem)."""
        stem = artefact_stem(path) if path is not None else shipped_model_stem(INTENT_MODEL)
        return cls(LinearTextModel.load(stem), min_probability)

    @property
    def version(self) -> str:
        """The version of the artefact (from its metadata)."""
        return str(self.model.metadata.get("version", ""))

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Intent | None]:
        """One intent per text; ``None`` for an empty text or one with no intent."""
        if len(texts) != len(languages):
            raise ValueError("texts and languages must have the same length")
        if not texts:
            return []
        proba = self.model.predict_proba(texts, languages)
        out: list[Intent | None] = []
        for text, row in zip(texts, proba, strict=True):
            best = int(row.argmax())
            name = self.model.classes[best]
            if not text.strip() or name == "none" or row[best] < self.min_probability:
                out.append(None)
            else:
                out.append(cast(Intent, name))
        return out
