"""The shipped sentiment model: loads from the package, labels, scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cxloop.understand.text.linear_model import FeatureSpec, LinearTextModel
from cxloop.understand.text.sentiment import (
    SENTIMENT_MODEL,
    ShippedSentimentModel,
    sentiment_columns,
    sentiment_proba,
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
    for part in model.by_language.values():  # tweets and survey comments: classes of their own
        assert len(part.classes) == 6
        assert part.metadata["class_sentiments"] == ["negative", "neutral", "positive"] * 2
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
    english = sentiment_proba(model.by_language["en"], texts[:1], ["en"])[0]
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


def _six_class_model(class_sentiments: list[str]) -> LinearTextModel:
    spec = FeatureSpec(word_features=16, char_features=16)
    rng = np.random.default_rng(0)
    return LinearTextModel(
        spec=spec,
        classes=("negative", "neutral", "positive", "a", "b", "c"),
        idf=np.ones(spec.n_features),
        coef=rng.normal(size=(6, spec.n_features)),
        intercept=rng.normal(size=6),
        metadata={"class_sentiments": class_sentiments},
    )


def test_classes_of_one_sentiment_add_up() -> None:
    six = _six_class_model(["negative", "neutral", "positive", "positive", "negative", "neutral"])
    texts = ["late again", "great staff", ""]
    raw = six.predict_proba(texts, ["en"] * 3)
    summed = sentiment_proba(six, texts, ["en"] * 3)
    assert summed[:, 0] == pytest.approx(raw[:, 0] + raw[:, 4])
    assert summed[:, 2] == pytest.approx(raw[:, 2] + raw[:, 3])
    assert summed.sum(axis=1) == pytest.approx(np.ones(3))
    shared = ShippedSentimentModel.load().model
    found = ShippedSentimentModel(shared, {"en": six}).predict(texts[:2], ["en", "en"])
    assert [s.score for s in found] == pytest.approx(list(summed[:2, 2] - summed[:2, 0]))


@pytest.mark.parametrize(
    "class_sentiments",
    [
        ["negative", "neutral", "positive", "positive", "negative", "negative"][:5],
        ["negative", "negative", "positive", "positive", "negative", "positive"],
        ["negative", "neutral", "positive", "positive", "negative", "happy"],
    ],
)
def test_class_sentiments_must_name_each_sentiment_once_per_class(
    class_sentiments: list[str],
) -> None:
    with pytest.raises(ValueError, match="sentiment model"):
        sentiment_columns(_six_class_model(class_sentiments))
