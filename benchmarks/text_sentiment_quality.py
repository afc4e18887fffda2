"""Sentiment quality of the shipped model on public test splits, with VADER (English) and
SnowNLP (Chinese) measured in the same run as baselines.

    python -m benchmarks.text_sentiment_quality

Test splits only (never trained on): ChnSentiCorp test (accuracy, binary: sign of the score),
XLM-T UMSAB English and Spanish test (3-class macro-F1), Twitter US Airline Sentiment
de-duplicated on tweet_id (3-class macro-F1). VADER: compound >= 0.05 positive, <= -0.05
negative, else neutral (its authors' thresholds); SnowNLP: P(positive) >= 0.5 positive.
The test-set loaders are those of tests/understand/text/sentiment_testsets.py.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cxloop.understand.text.evaluation import score
from cxloop.understand.text.sentiment import ShippedSentimentModel
from understand.text.sentiment_testsets import THREE, airline_tweets, chnsenticorp_test, xlmt_test


def _vader(texts: list[str]) -> list[str]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    out = []
    for text in texts:
        c = analyser.polarity_scores(text)["compound"]
        out.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
    return out


def _snownlp(texts: list[str]) -> list[str]:
    from snownlp import SnowNLP

    return ["positive" if SnowNLP(t).sentiments >= 0.5 else "negative" for t in texts]


def main() -> None:
    model = ShippedSentimentModel.load()
    print(f"sentiment model {model.version}; load: {os.getloadavg()[0]:.2f}")
    texts, labels = chnsenticorp_test()
    ours = [
        "positive" if s.score >= 0 else "negative"
        for s in model.predict(texts, ["zh"] * len(texts))
    ]
    binary = ("negative", "positive")
    print(
        f"ChnSentiCorp test accuracy: cxloop {score(labels, ours, binary).accuracy:.3f}, "
        f"SnowNLP {score(labels, _snownlp(texts), binary).accuracy:.3f}"
    )
    for language in ("en", "es"):
        texts, labels = xlmt_test(language)
        ours = [s.label for s in model.predict(texts, [language] * len(texts))]
        line = f"XLM-T {language} test macro-F1: cxloop {score(labels, ours, THREE).macro_f1:.3f}"
        if language == "en":
            line += f", VADER {score(labels, _vader(texts), THREE).macro_f1:.3f}"
        print(line)
    tweets = airline_tweets()
    texts, labels = tweets["text"].tolist(), tweets["airline_sentiment"].tolist()
    start = time.perf_counter()
    ours = [s.label for s in model.predict(texts, ["en"] * len(texts))]
    rate = len(texts) / (time.perf_counter() - start)
    mine, vader = score(labels, ours, THREE), score(labels, _vader(texts), THREE)
    print(
        f"Twitter US Airline ({len(texts):,} tweets) macro-F1 / accuracy: cxloop "
        f"{mine.macro_f1:.3f} / {mine.accuracy:.3f}, VADER {vader.macro_f1:.3f} / "
        f"{vader.accuracy:.3f}; cxloop sentiment {rate:,.0f} texts/s"
    )


if __name__ == "__main__":
    main()
