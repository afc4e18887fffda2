"""Sentiment from a local Hugging Face sequence-classification model (``--backend transformers``).

Needs the optional extra ``cxloop[transformers]`` (torch and transformers). The model is read
from a folder on disk only (``local_files_only``): nothing is downloaded. Texts go through the
model in batches, on the GPU when one is present.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cxloop.errors import ConfigError
from cxloop.understand.text.parts import Sentiment, SentimentLabel

_STARS = re.compile(r"^([1-5])\s*stars?$")
_OFFSET_MODELS = ("roberta", "xlm-roberta", "camembert", "longformer")
_POSITIONAL = {
    2: ("negative", "positive"),
    3: ("negative", "neutral", "positive"),
}


def label_mapping(id2label: dict[int, str]) -> list[SentimentLabel]:
    """The sentiment each of a model's output labels stands for, in output order.

    Understands names containing ``neg``/``neu``/``pos`` in any case (``NEGATIVE``, ``pos``),
    star ratings (``1 star`` … ``5 stars``: 1–2 negative, 3 neutral, 4–5 positive) and, for two
    or three outputs, generic ``LABEL_0``… names in the usual order (negative, [neutral,]
    positive). Anything else is a ConfigError.
    """
    names = [str(id2label[i]).strip().lower() for i in sorted(id2label)]
    mapped: list[SentimentLabel] = []
    for name in names:
        star = _STARS.match(name)
        if star:
            stars = int(star.group(1))
            mapped.append("negative" if stars <= 2 else "neutral" if stars == 3 else "positive")
        elif name.startswith("neg"):
            mapped.append("negative")
        elif name.startswith("neu"):
            mapped.append("neutral")
        elif name.startswith("pos"):
            mapped.append("positive")
        else:
            break
    else:
        if "negative" in mapped and "positive" in mapped:
            return mapped
    if all(re.fullmatch(r"label_\d+", n) for n in names) and len(names) in _POSITIONAL:
        return list(_POSITIONAL[len(names)])  # type: ignore[arg-type]
    raise ConfigError(
        f"model labels {names} cannot be read as negative/neutral/positive "
        "(expected names like negative/neutral/positive, '1 star'…'5 stars', or LABEL_0…)"
    )


class TransformerSentiment:
    """Sentiment from a local Hugging Face sequence-classification model.

    Parameters
    ----------
    model_path
        A folder holding the model and its tokenizer (as written by ``save_pretrained``).
    batch_size
        Texts per forward pass.
    device
        ``"cuda"``, ``"cpu"``, … ; ``None`` picks ``cuda`` when available, else ``cpu``.

    The score is P(positive) − P(negative), summing the probabilities of every output label
    that maps to the same sentiment; the label is the sentiment with the highest summed
    probability.
    """

    def __init__(self, model_path: Path | str, batch_size: int = 32, device: str | None = None):
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ConfigError(
                "the transformers backend needs torch and transformers: "
                "pip install 'cxloop[transformers]'"
            ) from None
        path = Path(model_path)
        if not path.is_dir():
            raise ConfigError(f"--model {path}: not a folder with a Hugging Face model")
        if batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, not {batch_size}")
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.batch_size = batch_size
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"--model {path}: cannot load the model ({exc})") from None
        self.model: Any = model.to(self.device).eval()
        self.labels = label_mapping(dict(model.config.id2label))
        limits = [512, getattr(self.tokenizer, "model_max_length", 512) or 512]
        positions = getattr(model.config, "max_position_embeddings", None)
        if positions:  # RoBERTa-style models reserve two positions for padding offsets
            limits.append(positions - 2 if model.config.model_type in _OFFSET_MODELS else positions)
        self.max_length = int(min(limits))

    def _probabilities(self, batch: list[str]) -> Any:
        import torch

        encoded = self.tokenizer(
            batch,
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        ).to(self.device)
        with torch.inference_mode():
            logits = self.model(**encoded).logits
        return torch.softmax(logits.float(), dim=-1).cpu().numpy()

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]:
        """One :class:`Sentiment` per text, in batches of ``batch_size``.

        ``languages`` is not used: the model is expected to read every language it is given.
        """
        if len(texts) != len(languages):
            raise ValueError("texts and languages must have the same length")
        out: list[Sentiment] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [t if t.strip() else "" for t in texts[start : start + self.batch_size]]
            proba = self._probabilities(batch)
            for text, row in zip(batch, proba, strict=True):
                if not text:
                    out.append(Sentiment(label="neutral", score=0.0))
                    continue
                summed: dict[SentimentLabel, float] = {
                    "negative": 0.0,
                    "neutral": 0.0,
                    "positive": 0.0,
                }
                for label, p in zip(self.labels, row, strict=True):
                    summed[label] += float(p)
                best = max(summed, key=summed.__getitem__)
                value = max(-1.0, min(1.0, summed["positive"] - summed["negative"]))
                out.append(Sentiment(label=best, score=value))
        return out
