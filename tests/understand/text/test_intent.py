"""The shipped intent model: need, issue, gap, praise, question or none."""

from __future__ import annotations

import random

import pytest

from cxloop.demo.comments import THEMES, CommentWriter, Slots
from cxloop.understand.text.intent import ShippedIntentModel


@pytest.fixture(scope="module")
def model() -> ShippedIntentModel:
    return ShippedIntentModel.load()


@pytest.mark.parametrize(
    ("text", "language", "intent"),
    [
        ("Please add an option to pay by bank transfer.", "en", "need"),
        ("My order arrived five days late and the box was crushed.", "en", "issue"),
        ("Other shops deliver in two days, you take a week.", "en", "gap"),
        ("The staff were lovely and very helpful, thank you!", "en", "praise"),
        ("El pedido llegó con cinco días de retraso.", "es", "issue"),
        ("客服态度很好，非常感谢！", "zh", "praise"),
    ],
)
def test_clear_texts_get_their_intent(
    model: ShippedIntentModel, text: str, language: str, intent: str
) -> None:
    assert model.predict([text], [language]) == [intent]


def test_remarks_without_intent_and_empty_texts_are_none(model: ShippedIntentModel) -> None:
    assert model.predict(["", "Nothing to add."], ["und", "en"]) == [None, None]
    assert model.predict([], []) == []


def test_demo_comments_of_an_unseen_seed(model: ShippedIntentModel) -> None:
    """Demo comments written with a seed the trainer never used (the templates are shared)."""
    rnd = random.Random(987654)
    writer = CommentWriter(rnd)
    texts, languages, truth = [], [], []
    for language in ("en", "es", "zh"):
        for _ in range(150):
            theme, other = rnd.sample(THEMES, 2)
            slots = Slots(days=4, amount="$12.00", staff="Ana", minutes=20, city="Madrid")
            mood = rnd.choice(("positive", "negative", "middle", "question"))
            comment = writer.write(language, mood, theme, other, slots)
            texts.append(comment.text)
            languages.append(language)
            truth.append(comment.intent or None)
    found = model.predict(texts, languages)
    accuracy = sum(f == t for f, t in zip(found, truth, strict=True)) / len(truth)
    assert accuracy >= 0.95
