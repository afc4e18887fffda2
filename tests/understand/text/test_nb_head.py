"""The NB-LR head and the neutral offset of the training script (scripts/nb_head.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))

from nb_head import (
    best_neutral_offset,
    fit_nb_head,
    log_count_ratios,
    nested_class_offsets,
)
from sklearn.metrics import f1_score


def _toy() -> tuple[sp.csr_matrix, np.ndarray]:
    # columns: "good", "bad", "the"; classes 0 negative, 1 neutral, 2 positive
    counts = sp.csr_matrix(
        np.array([[0, 2, 1], [0, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 1], [3, 0, 0]], float)
    )
    return counts, np.array([0, 0, 1, 1, 2, 2])


def test_log_count_ratios_favour_the_words_of_each_class() -> None:
    counts, y = _toy()
    ratios = log_count_ratios(counts, y, np.ones(len(y)), 3)
    assert ratios.shape == (3, 3)
    assert ratios[0, 1] > 0 > ratios[0, 0]  # "bad" for negative, "good" against it
    assert ratios[2, 0] > 0 > ratios[2, 1]
    # a text's weight counts like repeating it
    heavier = log_count_ratios(counts, y, np.array([1, 1, 1, 1, 1, 3.0]), 3)
    assert heavier[2, 0] != ratios[2, 0]


def test_the_head_folds_the_ratios_into_its_weights() -> None:
    counts, y = _toy()
    x = sp.csr_matrix(counts.toarray() / np.linalg.norm(counts.toarray(), axis=1, keepdims=True))
    coef, intercept, lexicon_coef = fit_nb_head(
        x, counts, np.zeros((6, 0)), y, np.ones(6), 4.0, 3, 0
    )
    assert coef.shape == (3, 3) and intercept.shape == (3,) and lexicon_coef is None
    scores = x @ coef.T + intercept
    assert list(np.asarray(scores).argmax(axis=1)) == list(y)


def test_the_neutral_offset_is_the_one_with_the_best_macro_f1() -> None:
    # texts 2 and 3 are neutral but lean positive: a neutral offset of +0.1 gets them right
    proba = np.array(
        [[0.8, 0.1, 0.1], [0.7, 0.2, 0.1], [0.1, 0.43, 0.47], [0.1, 0.44, 0.46],
         [0.1, 0.1, 0.8], [0.1, 0.2, 0.7]]
    )  # fmt: skip
    labels = np.array([0, 0, 1, 1, 2, 2])
    offset, table = best_neutral_offset(proba, labels, ("negative", "neutral", "positive"))
    assert offset == 0.1 and table["+0.1"] == 1.0 and table["+0.0"] < 1.0


def test_nested_class_offsets_score_each_fold_with_offsets_chosen_on_the_others() -> None:
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], 40)
    # every neutral text leans positive by the same margin: an offset learnt on four folds
    # puts the fifth fold's neutral texts right too
    proba = np.where(labels[:, None] == np.arange(3), 0.6, 0.2)
    proba[labels == 1] = [0.1, 0.42, 0.48]
    proba += rng.uniform(0, 0.01, proba.shape)
    proba /= proba.sum(axis=1, keepdims=True)
    classes = ("negative", "neutral", "positive")
    plain = f1_score(labels, proba.argmax(axis=1), average="macro")
    assert plain < 0.7
    assert nested_class_offsets(proba, labels, classes, ("neutral",), 1) == 1.0
    assert nested_class_offsets(proba, labels, classes, ("neutral", "positive"), 1) == 1.0
    # no systematic lean: the nested offsets cannot beat the plain argmax
    noise = rng.dirichlet([1, 1, 1], len(labels))
    assert nested_class_offsets(noise, labels, classes, ("neutral",), 1) <= 0.6
