"""The shipped sentiment model: loads from the package, labels, scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxloop.understand.text.sentiment import (
    SENTIMENT_MODEL,
    ShippedSentimentModel,
    shipped_model_stem,
)


@pytest.fixture(scope="module")
def model() -> ShippedSentimentModel:
    return ShippedSentimentModel.load()


def test_the_artefact_is_small_versioned_and_pickle_free() -> None:
    stem = shipped_model_stem(SENTIMENT_MODEL)
    npz = stem.parent / f"{stem.name}.npz"
    meta = json.loads((stem.parent / f"{stem.name}.json").read_text(encoding="utf-8"))
    assert f"sentiment-{meta['version']}" == SENTIMENT_MODEL
    parts = [stem.parent / f"{name}.npz" for name in meta["language_models"].values()]
    assert sorted(meta["language_models"]) == ["en", "es"]
    assert sum(path.stat().st_size for path in [npz, *parts]) < 6_000_000
    for path in [npz, *parts]:
        part = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert "chnsenticorp_test" not in part["training_texts"]
        assert not any("test" in source for source in part["training_texts"])


def test_each_text_is_scored_by_the_model_of_its_language(model: ShippedSentimentModel) -> None:
    assert set(model.by_language) == {"en", "es"}
    assert model.by_language["en"].spec.lexicon == "lexicon-en"
    texts = [
        "The delivery was late again",
        "Llegó tarde otra vez",
        "送货又晚了",
        "Encore en retard",
    ]
    languages = ["en", "es", "zh", "fr"]
    together = model.predict(texts, languages)
    one_by_one = [model.predict([t], [lang])[0] for t, lang in zip(texts, languages, strict=True)]
    assert together == one_by_one
    english = model.by_language["en"].predict_proba(texts[:1], ["en"])[0]
    assert together[0].score == pytest.approx(english[2] - english[0])
    shared = model.model.predict_proba(texts[3:], ["fr"])[0]
    assert together[3].score == pytest.approx(shared[2] - shared[0])


@pytest.mark.parametrize(
    ("text", "language", "label"),
    [
        ("Absolutely love it, fast delivery and friendly staff. Thank you!", "en", "positive"),
        ("Worst service ever, the order arrived broken and nobody answers.", "en", "negative"),
        ("Me encanta, llegó rapidísimo y el personal fue muy amable.", "es", "positive"),
        ("Horrible, el pedido llegó roto y nadie contesta.", "es", "negative"),
        ("质量很好，物流很快，非常满意！", "zh", "positive"),
        ("太差了，包装破损，客服也不理人。", "zh", "negative"),
    ],
)
def test_clear_texts_get_the_obvious_label(
    model: ShippedSentimentModel, text: str, language: str, label: str
) -> None:
    (found,) = model.predict([text], [language])
    assert found.label == label
    assert (found.score > 0.2) if label == "positive" else (found.score < -0.2)


def test_empty_texts_are_neutral_and_lengths_must_match(model: ShippedSentimentModel) -> None:
    assert model.predict(["", "  "], ["und", "en"])[0].score == 0.0
    assert model.predict([], []) == []
    with pytest.raises(ValueError, match="same length"):
        model.predict(["a"], [])


def test_a_model_with_other_classes_is_refused(tmp_path: Path) -> None:
    from cxloop.understand.text.intent import INTENT_MODEL

    with pytest.raises(ValueError, match="sentiment model"):
        ShippedSentimentModel.load(shipped_model_stem(INTENT_MODEL))
    assert (
        ShippedSentimentModel.load(
            shipped_model_stem(SENTIMENT_MODEL).with_name(f"{SENTIMENT_MODEL}.npz")
        ).version
        == SENTIMENT_MODEL.split("-")[1]
    )
