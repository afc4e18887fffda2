"""A linear text classifier stored as plain arrays: hashed n-grams, TF-IDF, softmax.

The shipped sentiment and intent models are both of this kind. Texts become counts of hashed
word uni-/bi-grams and character n-grams (within word boundaries, so Chinese is covered without a
segmenter), weighted by ``1 + log(tf)`` and an inverse document frequency, normalised to unit
length, and scored by one weight vector per class. Everything the model learnt is an array in an
``.npz`` file (read with ``allow_pickle=False``) and everything else is JSON beside it: loading
one never runs code from the file.

A model may also read a sentiment lexicon (``FeatureSpec.lexicon``): a few numbers per text
from word valences (:mod:`cxloop.understand.text.lexicon_features`), scored by their own weights
beside the n-grams.

A model may also carry a second head (``ovr_coef``): one binary logistic regression per class,
trained on the same features scaled by naive-Bayes log-count ratios (NB-LR, Wang & Manning
2012) with the ratios folded into its weights, so it costs one more sparse product. Its
sigmoids, normalised to sum to one, are averaged with the softmax of the first head.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from cxloop.errors import ConfigError

FORMAT = "cxloop-linear-text-model/1"
# /2: with lexicon features; /3: with a second (one-vs-rest) head
_FORMATS = (FORMAT, "cxloop-linear-text-model/2", "cxloop-linear-text-model/3")


@dataclass(frozen=True)
class FeatureSpec:
    """How texts become features; stored with the model so that it is read back the same."""

    word_ngrams: tuple[int, int] = (1, 2)
    word_features: int = 2**17
    char_ngrams: tuple[int, int] = (1, 4)
    char_features: int = 2**18
    min_df: int = 2
    lexicon: str | None = None
    lexicon_scale: float = 1.0

    @property
    def n_features(self) -> int:
        return self.word_features + self.char_features

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "word_ngrams": list(self.word_ngrams),
            "word_features": self.word_features,
            "char_ngrams": list(self.char_ngrams),
            "char_features": self.char_features,
            "min_df": self.min_df,
        }
        if self.lexicon is not None:
            out["lexicon"] = self.lexicon
            out["lexicon_scale"] = self.lexicon_scale
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureSpec:
        return cls(
            word_ngrams=(int(data["word_ngrams"][0]), int(data["word_ngrams"][1])),
            word_features=int(data["word_features"]),
            char_ngrams=(int(data["char_ngrams"][0]), int(data["char_ngrams"][1])),
            char_features=int(data["char_features"]),
            min_df=int(data["min_df"]),
            lexicon=str(data["lexicon"]) if data.get("lexicon") else None,
            lexicon_scale=float(data.get("lexicon_scale", 1.0)),
        )

    def lexicon_features(self, texts: Sequence[str]) -> np.ndarray:
        """The lexicon features of ``texts``, scaled (zero columns without a lexicon)."""
        from cxloop.understand.text.lexicon_features import N_LEXICON_FEATURES, shipped_lexicon

        if self.lexicon is None:
            return np.zeros((len(texts), 0))
        if not texts:
            return np.zeros((0, N_LEXICON_FEATURES))
        return shipped_lexicon(self.lexicon).features(texts) * self.lexicon_scale


def _vectorizers(spec: FeatureSpec) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer  # loads only when used

    common: dict[str, Any] = {"alternate_sign": False, "norm": None, "lowercase": True}
    word = HashingVectorizer(
        analyzer="word",
        ngram_range=spec.word_ngrams,
        n_features=spec.word_features,
        token_pattern=r"(?u)\b\w+\b",
        **common,
    )
    char = HashingVectorizer(
        analyzer="char_wb", ngram_range=spec.char_ngrams, n_features=spec.char_features, **common
    )
    return word, char


def features_for(
    spec: FeatureSpec, texts: Sequence[str], languages: Sequence[str]
) -> sp.csr_matrix:
    """Sub-linear term counts (``1 + log(tf)``) of hashed word and character n-grams.

    ``languages`` is accepted for the day a model uses it; the features do not depend on it.
    """
    word, char = _vectorizers(spec)
    cleaned = [" ".join(text.split()) for text in texts]
    counts = sp.hstack([word.transform(cleaned), char.transform(cleaned)], format="csr")
    counts.data = 1.0 + np.log(counts.data)
    return counts


def fitted_idf(counts: sp.csr_matrix, min_df: int = 2) -> np.ndarray:
    """Smoothed inverse document frequency; 0 for features seen in fewer than ``min_df`` texts."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    idf[df < min_df] = 0.0
    return idf


@dataclass(frozen=True)
class LinearTextModel:
    """A fitted model: IDF weights, one weight row per class, and the class names.

    ``lexicon_coef`` holds one weight row per class for the lexicon features, where the spec
    names a lexicon. ``metadata["language_offsets"]`` (optional) maps a language to one number
    per class added to the class scores of that language's texts: a per-language prior, tuned
    on held-out data. ``ovr_coef``, ``ovr_intercept`` and ``ovr_lexicon_coef`` (optional) are
    the second head (see the module). ``metadata["class_offsets"]`` (optional) is one number per
    class added to the log of the final probabilities before they are normalised again: a
    prior tuned on out-of-fold predictions (for sentiment, how readily a text is neutral).
    """

    spec: FeatureSpec
    classes: tuple[str, ...]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)
    lexicon_coef: np.ndarray | None = None
    ovr_coef: np.ndarray | None = None
    ovr_intercept: np.ndarray | None = None
    ovr_lexicon_coef: np.ndarray | None = None

    def decision(self, texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        """Class scores of the first head before the softmax, one row per text."""
        return self._scores(texts, languages)[0]

    def _scores(
        self, texts: Sequence[str], languages: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Class scores of the first head and, where the model has one, of the second."""
        x = features_for(self.spec, texts, languages)
        x = x @ sp.diags(self.idf)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        x = sp.diags(1.0 / norms) @ x
        lexicon = None
        if self.spec.lexicon is not None and self.lexicon_coef is not None:
            lexicon = self.spec.lexicon_features(texts)
        dense = _linear(x, self.coef, self.intercept, lexicon, self.lexicon_coef)
        second = None
        if self.ovr_coef is not None and self.ovr_intercept is not None:
            second = _linear(x, self.ovr_coef, self.ovr_intercept, lexicon, self.ovr_lexicon_coef)
        offsets = self.metadata.get("language_offsets") or {}
        for language, offset in offsets.items():
            rows = np.fromiter((lang == language for lang in languages), bool, len(languages))
            dense[rows] += np.asarray(offset, dtype=np.float64)
        return dense, second

    def predict_proba(self, texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in the order of ``classes``."""
        if not texts:
            return np.zeros((0, len(self.classes)))
        z, second = self._scores(texts, languages)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        proba = e / e.sum(axis=1, keepdims=True)
        if second is not None:
            s = 1.0 / (1.0 + np.exp(-np.clip(second, -50.0, 50.0)))
            proba = (proba + s / s.sum(axis=1, keepdims=True)) / 2.0
        offsets = self.metadata.get("class_offsets")
        if offsets is not None:
            proba = proba * np.exp(np.asarray(offsets, dtype=np.float64))
            proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def save(self, stem: Path, metadata: dict[str, Any]) -> None:
        """Write ``stem.npz`` (the arrays) and ``stem.json`` (the metadata).

        Only the features the model uses are stored (IDF > 0), as indices and values.
        """
        used = np.flatnonzero(self.idf > 0).astype(np.int32)
        extra = {
            name: np.asarray(array, dtype=np.float32)
            for name, array in (
                ("lexicon_coef", self.lexicon_coef),
                ("ovr_intercept", self.ovr_intercept),
                ("ovr_lexicon_coef", self.ovr_lexicon_coef),
            )
            if array is not None
        }
        if self.ovr_coef is not None:
            extra["ovr_coef"] = _dense(self.ovr_coef)[:, used].astype(np.float16)
        np.savez_compressed(
            _with(stem, ".npz"),
            used=used,
            idf=self.idf[used].astype(np.float32),
            coef=_dense(self.coef)[:, used].astype(np.float16),
            intercept=self.intercept.astype(np.float32),
            **extra,  # type: ignore[arg-type]
        )
        if self.ovr_coef is not None:
            file_format = _FORMATS[2]
        else:
            file_format = FORMAT if self.lexicon_coef is None else _FORMATS[1]
        full = {"format": file_format, **metadata, "features": self.spec.to_json()}
        full["classes"] = list(self.classes)
        _with(stem, ".json").write_text(
            json.dumps(full, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, stem: Path) -> LinearTextModel:
        """Read a model written by :meth:`save`; a missing or foreign file is a ConfigError."""
        meta_path, array_path = _with(stem, ".json"), _with(stem, ".npz")
        try:
            metadata = json.loads(meta_path.read_text(encoding="utf-8"))
            arrays = np.load(array_path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{stem}: cannot read the text model ({exc})") from exc
        if metadata.get("format") not in _FORMATS:
            raise ConfigError(f"{meta_path}: not a {FORMAT} file")
        spec = FeatureSpec.from_json(metadata["features"])
        with arrays:
            used = arrays["used"]
            idf = np.zeros(spec.n_features, dtype=np.float64)
            idf[used] = arrays["idf"]
            coef = _sparse_rows(arrays["coef"], used, spec.n_features)
            intercept = arrays["intercept"].astype(np.float64)
            optional = {
                name: arrays[name].astype(np.float64) if name in arrays else None
                for name in ("lexicon_coef", "ovr_intercept", "ovr_lexicon_coef")
            }
            ovr_coef = (
                _sparse_rows(arrays["ovr_coef"], used, spec.n_features)
                if "ovr_coef" in arrays
                else None
            )
        lexicon_coef = optional["lexicon_coef"]
        if (ovr_coef is None) != (optional["ovr_intercept"] is None):
            raise ConfigError(f"{array_path}: the second head is incomplete")
        if spec.lexicon is not None and lexicon_coef is None:
            raise ConfigError(f"{array_path}: the model names a lexicon but has no weights for it")
        return cls(
            spec=spec,
            classes=tuple(metadata["classes"]),
            idf=idf,
            coef=coef,  # type: ignore[arg-type]
            intercept=intercept,
            metadata=metadata,
            lexicon_coef=lexicon_coef,
            ovr_coef=ovr_coef,  # type: ignore[arg-type]
            ovr_intercept=optional["ovr_intercept"],
            ovr_lexicon_coef=optional["ovr_lexicon_coef"],
        )


def _linear(
    x: sp.csr_matrix,
    coef: Any,
    intercept: np.ndarray,
    lexicon: np.ndarray | None,
    lexicon_coef: np.ndarray | None,
) -> np.ndarray:
    """``x @ coef.T + intercept``, plus the lexicon features' part where there is one."""
    scores = x @ coef.T
    dense = scores.toarray() if sp.issparse(scores) else np.asarray(scores)
    dense = dense + intercept
    if lexicon is not None and lexicon_coef is not None:
        dense += lexicon @ lexicon_coef.T
    return dense


def _dense(coef: Any) -> np.ndarray:
    return coef.toarray() if sp.issparse(coef) else np.asarray(coef)


def _sparse_rows(values: np.ndarray, used: np.ndarray, n_features: int) -> sp.csr_matrix:
    """Weight rows stored for the ``used`` columns only, as a sparse matrix of full width."""
    rows = values.shape[0]
    return sp.csr_matrix(
        (values.astype(np.float64).ravel(), np.tile(used, rows),
         np.arange(0, values.size + 1, len(used))),
        shape=(rows, n_features),
    )  # fmt: skip


def artefact_stem(path: Path) -> Path:
    """``path`` without a ``.npz`` or ``.json`` suffix (a version like ``-1.0`` stays)."""
    return path.with_suffix("") if path.suffix in (".npz", ".json") else path


def _with(stem: Path, suffix: str) -> Path:
    return stem.parent / (stem.name + suffix)
