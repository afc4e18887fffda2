"""The array-only linear text model: features, IDF, save and load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cxloop.errors import ConfigError
from cxloop.understand.text.linear_model import (
    FeatureSpec,
    LinearTextModel,
    features_for,
    fitted_idf,
)

SPEC = FeatureSpec(word_features=2**10, char_features=2**12, min_df=1)


def _toy_model() -> LinearTextModel:
    texts = ["good good", "bad", "good day", "bad day"]
    counts = features_for(SPEC, texts, ["en"] * 4)
    idf = fitted_idf(counts, min_df=1)
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(2, SPEC.n_features)) * (idf > 0)
    return LinearTextModel(SPEC, ("negative", "positive"), idf, coef, np.array([0.1, -0.1]))


def test_features_are_sublinear_counts_of_words_and_characters() -> None:
    counts = features_for(SPEC, ["好 好", "a"], ["zh", "en"])
    assert counts.shape == (2, SPEC.n_features)
    assert counts[0].nnz > 0 and counts[0, : SPEC.word_features].nnz >= 1
    assert np.all(counts.data >= 1.0)


def test_idf_drops_rare_features() -> None:
    counts = features_for(SPEC, ["alpha beta", "alpha gamma"], ["en", "en"])
    idf = fitted_idf(counts, min_df=2)
    kept = np.flatnonzero(idf)
    assert len(kept) > 0
    assert np.all(np.asarray((counts[:, kept] > 0).sum(axis=0)).ravel() == 2)


def test_probabilities_sum_to_one() -> None:
    proba = _toy_model().predict_proba(["good", "bad day", ""], ["en", "en", "en"])
    assert proba.shape == (3, 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert _toy_model().predict_proba([], []).shape == (0, 2)


def test_save_and_load_give_the_same_predictions(tmp_path: Path) -> None:
    model = _toy_model()
    model.save(tmp_path / "toy-0.1", {"name": "toy", "version": "0.1"})
    loaded = LinearTextModel.load(tmp_path / "toy-0.1")
    assert loaded.metadata["version"] == "0.1" and loaded.classes == model.classes
    texts = ["good day", "bad", "something else"]
    # weights are stored as float16: equal to about three decimals
    assert np.allclose(
        loaded.predict_proba(texts, ["en"] * 3), model.predict_proba(texts, ["en"] * 3), atol=2e-3
    )
    with np.load(tmp_path / "toy-0.1.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)


def test_a_missing_or_foreign_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        LinearTextModel.load(tmp_path / "absent")
    _toy_model().save(tmp_path / "m", {})
    meta = json.loads((tmp_path / "m.json").read_text())
    (tmp_path / "m.json").write_text(json.dumps({**meta, "format": "other"}))
    with pytest.raises(ConfigError, match="not a"):
        LinearTextModel.load(tmp_path / "m")


def test_lexicon_features_are_scored_by_their_own_weights(tmp_path: Path) -> None:
    spec = FeatureSpec(word_features=2**10, char_features=2**12, min_df=1, lexicon="lexicon-en")
    base = _toy_model()
    lexicon_coef = np.array([[-3.0, 0.0, 2.0, 0.0], [3.0, 2.0, 0.0, 0.0]])
    model = LinearTextModel(
        spec, base.classes, base.idf, base.coef * 0, base.intercept * 0, lexicon_coef=lexicon_coef
    )
    proba = model.predict_proba(["what a wonderful day", "awful, terrible"], ["en", "en"])
    assert proba[0, 1] > 0.9 and proba[1, 0] > 0.9
    model.save(tmp_path / "lex-0.1", {"name": "lex"})
    assert json.loads((tmp_path / "lex-0.1.json").read_text())["features"]["lexicon"] == (
        "lexicon-en"
    )
    loaded = LinearTextModel.load(tmp_path / "lex-0.1")
    assert loaded.lexicon_coef is not None
    texts = ["wonderful", "terrible", "a table"]
    assert np.allclose(
        loaded.predict_proba(texts, ["en"] * 3), model.predict_proba(texts, ["en"] * 3), atol=2e-3
    )
    with np.load(tmp_path / "lex-0.1.npz", allow_pickle=False) as arrays:
        kept = {name: arrays[name] for name in arrays.files if name != "lexicon_coef"}
    np.savez_compressed(tmp_path / "lex-0.1.npz", **kept)
    with pytest.raises(ConfigError, match="no weights for it"):
        LinearTextModel.load(tmp_path / "lex-0.1")


def _with_second_head(offsets: list[float] | None = None) -> LinearTextModel:
    base = _toy_model()
    rng = np.random.default_rng(1)
    ovr = rng.normal(size=base.coef.shape) * (base.idf > 0)
    metadata = {} if offsets is None else {"class_offsets": offsets}
    return LinearTextModel(
        SPEC, base.classes, base.idf, base.coef, base.intercept, metadata,
        ovr_coef=ovr, ovr_intercept=np.array([0.2, -0.3]),
    )  # fmt: skip


def test_the_second_head_is_averaged_with_the_first() -> None:
    texts = ["good day", "bad", "something else"]
    base, both = _toy_model(), _with_second_head()
    first = base.predict_proba(texts, ["en"] * 3)
    assert both.ovr_coef is not None and both.ovr_intercept is not None
    # the second head alone: sigmoids of its scores, normalised to sum to one
    only_second = LinearTextModel(
        SPEC, base.classes, base.idf, both.ovr_coef, both.ovr_intercept
    ).decision(texts, ["en"] * 3)
    s = 1 / (1 + np.exp(-only_second))
    expected = (first + s / s.sum(axis=1, keepdims=True)) / 2
    assert np.allclose(both.predict_proba(texts, ["en"] * 3), expected)


def test_class_offsets_shift_the_probabilities() -> None:
    texts = ["good day", "bad"]
    plain = _with_second_head().predict_proba(texts, ["en"] * 2)
    shifted = _with_second_head([0.0, 1.0]).predict_proba(texts, ["en"] * 2)
    assert np.allclose(shifted.sum(axis=1), 1.0)
    odds = (shifted[:, 1] / shifted[:, 0]) / (plain[:, 1] / plain[:, 0])
    assert np.allclose(odds, np.e)


def test_a_model_with_two_heads_is_saved_and_loaded(tmp_path: Path) -> None:
    model = _with_second_head([0.0, 0.3])
    model.save(tmp_path / "two-0.1", {"name": "two", "class_offsets": [0.0, 0.3]})
    meta = json.loads((tmp_path / "two-0.1.json").read_text())
    assert meta["format"] == "cxloop-linear-text-model/3"
    loaded = LinearTextModel.load(tmp_path / "two-0.1")
    texts = ["good day", "bad", "something else"]
    assert np.allclose(
        loaded.predict_proba(texts, ["en"] * 3), model.predict_proba(texts, ["en"] * 3), atol=2e-3
    )
    with np.load(tmp_path / "two-0.1.npz", allow_pickle=False) as arrays:
        kept = {name: arrays[name] for name in arrays.files if name != "ovr_intercept"}
    np.savez_compressed(tmp_path / "two-0.1.npz", **kept)
    with pytest.raises(ConfigError, match="second head is incomplete"):
        LinearTextModel.load(tmp_path / "two-0.1")
