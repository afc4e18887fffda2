"""Scoring a sentiment predictor on a labelled file: accuracy and macro-F1, overall and per
language.

The file is CSV or TSV (chosen by the ``.tsv``/``.tab`` suffix, else by the header line) with a
``text`` column, a ``label`` column and an optional ``language`` column. Labels are either
``negative``/``neutral``/``positive`` or, for binary data, ``0``/``1`` (negative/positive). A
three-class predictor is scored on binary data by the sign of its score: positive when
``score >= 0`` (the positive probability is at least the negative one), else negative; so a
neutral prediction counts as whichever side it leans to.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from cxloop.errors import DataError
from cxloop.understand.text.parts import LanguageDetector, SentimentPredictor

THREE_CLASS = ("negative", "neutral", "positive")
BINARY = {"0": "negative", "1": "positive"}


class LabelledTexts(BaseModel):
    """Texts read from an evaluation file, with their true labels."""

    path: str
    texts: list[str]
    labels: list[str]
    languages: list[str] | None
    binary: bool


class Scores(BaseModel):
    """Accuracy and macro-F1 over some texts."""

    n: int
    accuracy: float
    macro_f1: float


class EvaluationReport(BaseModel):
    """The result of ``cxloop text eval``."""

    data: str
    backend: str
    binary: bool
    n: int
    accuracy: float
    macro_f1: float
    per_language: dict[str, Scores]


def _dialect(path: Path, header: str) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    return "\t" if header.count("\t") > header.count(",") else ","


def read_labelled(path: Path) -> LabelledTexts:
    """Read an evaluation file; a missing column or a bad label is a DataError naming the row."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None
    lines = raw.split("\n")
    if not lines[0].strip():
        raise DataError(f"{path}: the file is empty (expected a header with text and label)")
    delimiter = _dialect(path, lines[0])
    reader = csv.DictReader(raw.split("\n"), delimiter=delimiter)
    columns = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    for needed in ("text", "label"):
        if needed not in columns:
            raise DataError(f"{path}: no '{needed}' column (found: {', '.join(columns)})")
    has_language = "language" in columns
    texts, labels, languages = [], [], []
    for row_number, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values()):
            continue
        label = (row["label"] or "").strip().lower()
        if label not in THREE_CLASS and label not in BINARY:
            raise DataError(
                f"{path}, row {row_number}: label {row['label']!r} is not one of "
                "negative, neutral, positive, 0, 1"
            )
        texts.append(row["text"] or "")
        labels.append(label)
        languages.append((row.get("language") or "").strip())
    if not texts:
        raise DataError(f"{path}: no rows after the header")
    binary = all(label in BINARY for label in labels)
    if not binary and any(label in BINARY for label in labels):
        raise DataError(f"{path}: labels mix 0/1 with negative/neutral/positive; use one kind")
    if binary:
        labels = [BINARY[label] for label in labels]
    return LabelledTexts(
        path=str(path),
        texts=texts,
        labels=labels,
        languages=languages if has_language else None,
        binary=binary,
    )


def score(truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> Scores:
    """Accuracy and macro-F1 (the unweighted mean of each class's F1 over ``classes``)."""
    t, p = np.asarray(truth), np.asarray(predicted)
    f1s = []
    for cls in classes:
        tp = float(np.sum((t == cls) & (p == cls)))
        fp = float(np.sum((t != cls) & (p == cls)))
        fn = float(np.sum((t == cls) & (p != cls)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return Scores(
        n=len(t),
        accuracy=float(np.mean(t == p)) if len(t) else 0.0,
        macro_f1=float(np.mean(f1s)),
    )


def evaluate_sentiment(
    data: LabelledTexts,
    predictor: SentimentPredictor,
    detector: LanguageDetector,
    *,
    backend: str = "shipped",
) -> EvaluationReport:
    """Predict every text and score the predictions, overall and per language.

    Languages come from the file's ``language`` column where it has one (an empty cell is
    detected), else from ``detector``.
    """
    languages = list(data.languages) if data.languages is not None else [""] * len(data.texts)
    missing = [i for i, lang in enumerate(languages) if not lang]
    if missing:
        found = detector.detect([data.texts[i] for i in missing])
        for i, lang in zip(missing, found, strict=True):
            languages[i] = lang
    predictions = predictor.predict(data.texts, languages)
    if data.binary:
        predicted = ["positive" if s.score >= 0 else "negative" for s in predictions]
        classes: tuple[str, ...] = ("negative", "positive")
    else:
        predicted = [s.label for s in predictions]
        classes = THREE_CLASS
    overall = score(data.labels, predicted, classes)
    per_language = {}
    lang_array = np.asarray(languages)
    for lang in sorted(set(languages)):
        rows = np.flatnonzero(lang_array == lang)
        per_language[lang] = score(
            [data.labels[i] for i in rows], [predicted[i] for i in rows], classes
        )
    return EvaluationReport(
        data=data.path,
        backend=backend,
        binary=data.binary,
        n=overall.n,
        accuracy=overall.accuracy,
        macro_f1=overall.macro_f1,
        per_language=per_language,
    )
