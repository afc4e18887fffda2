"""The second head of the per-language sentiment models, and their class offsets.

Used by ``train_text_models.py``. The head is NB-LR (Wang & Manning, "Baselines and Bigrams",
ACL 2012) for three classes: for each class, a binary logistic regression on the TF-IDF features
scaled by the naive-Bayes log-count ratio of that class against the others. The ratio is folded
into the head's weights (``w * r``), so the shipped model scores it with one sparse product and
needs no ratios of its own. The offsets add a per-class prior to the log of the averaged
probabilities, chosen on out-of-fold predictions over the training texts (never a test file).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

#: The neutral-class offsets tried (log-probability added to the neutral class).
NEUTRAL_OFFSETS = (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3)
FOLDS = 5


def log_count_ratios(
    counts: sp.csr_matrix, y: np.ndarray, sample_weight: np.ndarray, n_classes: int
) -> np.ndarray:
    """One row per class: log of (class's share of each feature) / (the others' share).

    Features count once per text (binarised); texts count by their weight; add-one smoothing.
    """
    present = counts.copy()
    present.data[:] = 1.0
    ratios = np.zeros((n_classes, counts.shape[1]))
    for k in range(n_classes):
        inside = y == k
        p = 1.0 + np.asarray(present[inside].T @ sample_weight[inside]).ravel()
        q = 1.0 + np.asarray(present[~inside].T @ sample_weight[~inside]).ravel()
        ratios[k] = np.log((p / p.sum()) / (q / q.sum()))
    return ratios


def fit_nb_head(
    x: sp.csr_matrix,
    counts: sp.csr_matrix,
    lexicon: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray,
    c: float,
    n_classes: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(weights with the ratios folded in, intercepts, lexicon weights or None).

    ``x`` is the L2-normalised TF-IDF matrix and ``counts`` the raw counts, both restricted to
    the columns the model uses; ``lexicon`` has zero columns when the model reads no lexicon.
    """
    ratios = log_count_ratios(counts, y, sample_weight, n_classes)
    coef = np.zeros((n_classes, x.shape[1]))
    intercept = np.zeros(n_classes)
    lexicon_coef = np.zeros((n_classes, lexicon.shape[1]))
    for k in range(n_classes):
        scaled = x.multiply(ratios[k]).tocsr()
        if lexicon.shape[1]:
            scaled = sp.hstack([scaled, sp.csr_matrix(lexicon)], format="csr")
        lr = LogisticRegression(C=c, max_iter=3000, random_state=seed)
        lr.fit(scaled, (y == k).astype(int), sample_weight=sample_weight)
        coef[k] = lr.coef_[0, : x.shape[1]] * ratios[k]
        lexicon_coef[k] = lr.coef_[0, x.shape[1] :]
        intercept[k] = lr.intercept_[0]
    return coef, intercept, lexicon_coef if lexicon.shape[1] else None


def out_of_fold_proba(
    n_texts: int,
    labels: np.ndarray,
    fit_and_predict: Callable[[np.ndarray, np.ndarray], np.ndarray],
    seed: int,
) -> np.ndarray:
    """Class probabilities for texts ``0..n_texts-1``, each from a model that did not see it.

    ``fit_and_predict(train_rows, predict_rows)`` fits on some rows and scores others.
    """
    proba: np.ndarray | None = None
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed % 2**31)
    for fit_rows, predict_rows in folds.split(np.zeros(n_texts), labels):
        part = fit_and_predict(fit_rows, predict_rows)
        if proba is None:
            proba = np.zeros((n_texts, part.shape[1]))
        proba[predict_rows] = part
    assert proba is not None
    return proba


def best_neutral_offset(
    proba: np.ndarray, labels: np.ndarray, classes: Sequence[str]
) -> tuple[float, dict[str, float]]:
    """The neutral offset with the best macro-F1 on ``proba`` (the smallest among ties), and
    the macro-F1 of each offset tried."""
    neutral = list(classes).index("neutral")
    table = {}
    for offset in NEUTRAL_OFFSETS:
        shifted = np.log(np.maximum(proba, 1e-12))
        shifted[:, neutral] += offset
        table[f"{offset:+.1f}"] = round(
            float(f1_score(labels, shifted.argmax(axis=1), average="macro")), 4
        )
    best = max(NEUTRAL_OFFSETS, key=lambda o: (table[f"{o:+.1f}"], -abs(o)))
    return best, table


#: The per-class offsets tried by :func:`nested_class_offsets` (log-probability added).
CLASS_OFFSETS = tuple(round(x / 10, 1) for x in range(-6, 7))


def nested_class_offsets(
    proba: np.ndarray,
    labels: np.ndarray,
    classes: Sequence[str],
    shifted: Sequence[str],
    seed: int,
) -> float:
    """Macro-F1 of ``proba`` when the offsets of the ``shifted`` classes (one or two; the
    others stay at 0) are chosen on four folds and applied to the fifth, for each fold.

    Per-class priors fitted on the very predictions they are scored on flatter themselves;
    this is what such a prior is worth on texts it was not chosen on.
    """
    columns = [list(classes).index(name) for name in shifted]
    grid = [(a,) for a in CLASS_OFFSETS]
    if len(columns) == 2:
        grid = [(a, b) for a in CLASS_OFFSETS for b in CLASS_OFFSETS]
    logp = np.log(np.maximum(proba, 1e-12))

    def predict(rows: np.ndarray, offsets: tuple[float, ...]) -> np.ndarray:
        shifted_logp = logp[rows].copy()
        shifted_logp[:, columns] += offsets
        return shifted_logp.argmax(axis=1)

    predicted = np.zeros(len(labels), dtype=int)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=(seed + 1) % 2**31)
    for fit_rows, score_rows in folds.split(np.zeros(len(labels)), labels):
        best = max(
            grid,
            key=lambda o: (
                f1_score(labels[fit_rows], predict(fit_rows, o), average="macro"),
                -sum(abs(x) for x in o),
            ),
        )
        predicted[score_rows] = predict(score_rows, best)
    return float(f1_score(labels, predicted, average="macro"))
