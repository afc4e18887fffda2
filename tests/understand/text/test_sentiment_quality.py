"""The shipped sentiment model on public test splits, against the issue's targets.

Figures and published baselines: docs/text-analytics.md (``python -m
benchmarks.text_sentiment_quality`` measures them, with VADER and SnowNLP beside).
"""

from __future__ import annotations

import pytest

from cxloop.understand.text.evaluation import score
from cxloop.understand.text.sentiment import ShippedSentimentModel
from understand.text.sentiment_testsets import (
    SHARED_DATA,
    airline_tweets,
    chnsenticorp_test,
    xlmt_test,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="needs ../shared/data"),
]


@pytest.fixture(scope="module")
def model() -> ShippedSentimentModel:
    return ShippedSentimentModel.load()


def test_chnsenticorp_test_accuracy(model: ShippedSentimentModel) -> None:
    texts, labels = chnsenticorp_test()
    found = model.predict(texts, ["zh"] * len(texts))
    predicted = ["positive" if s.score >= 0 else "negative" for s in found]
    assert score(labels, predicted, ("negative", "positive")).accuracy >= 0.88


def test_xlmt_english_test_macro_f1_target(model: ShippedSentimentModel) -> None:
    """The issue's target; sentiment-2.1 reaches 0.604 (2.0: 0.583, 1.1: 0.535)."""
    texts, labels = xlmt_test("en")
    predicted = [s.label for s in model.predict(texts, ["en"] * len(texts))]
    assert score(labels, predicted, ("negative", "neutral", "positive")).macro_f1 >= 0.60


def test_xlmt_spanish_test_macro_f1_floor(model: ShippedSentimentModel) -> None:
    """What sentiment-2.1 reaches (0.567; 2.0: 0.563); the issue's 0.60 is tested below."""
    texts, labels = xlmt_test("es")
    predicted = [s.label for s in model.predict(texts, ["es"] * len(texts))]
    assert score(labels, predicted, ("negative", "neutral", "positive")).macro_f1 >= 0.55


@pytest.mark.xfail(
    strict=True,
    reason="not reached by TF-IDF + NB-LR ensembles on Spanish tweets: docs/text-analytics.md",
)
def test_xlmt_spanish_test_macro_f1_target(model: ShippedSentimentModel) -> None:
    texts, labels = xlmt_test("es")
    predicted = [s.label for s in model.predict(texts, ["es"] * len(texts))]
    assert score(labels, predicted, ("negative", "neutral", "positive")).macro_f1 >= 0.60


@pytest.fixture(scope="module")
def airline_macro_f1(model: ShippedSentimentModel) -> float:
    tweets = airline_tweets()
    assert len(tweets) == 14_485
    texts = tweets["text"].tolist()
    predicted = [s.label for s in model.predict(texts, ["en"] * len(texts))]
    truth = tweets["airline_sentiment"].tolist()
    return score(truth, predicted, ("negative", "neutral", "positive")).macro_f1


def test_twitter_airline_macro_f1_floor(airline_macro_f1: float) -> None:
    """What sentiment-2.1 reaches (0.570; 2.0: 0.567); the issue's 0.70 is tested below."""
    assert airline_macro_f1 >= 0.56


@pytest.mark.xfail(
    strict=True, reason="not reached without in-domain data (the set is evaluation only): docs"
)
def test_twitter_airline_macro_f1_target(airline_macro_f1: float) -> None:
    assert airline_macro_f1 >= 0.70
