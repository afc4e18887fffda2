"""The public *test* splits the shipped sentiment model is measured on (never trained on)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd


def _shared_data() -> Path:
    """``../shared/data`` of the repository, or of a folder above it (a git worktree)."""
    for folder in Path(__file__).resolve().parents[4:]:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return Path(__file__).resolve().parents[4] / "shared" / "data"


SHARED_DATA = _shared_data()
THREE = ("negative", "neutral", "positive")


def chnsenticorp_test() -> tuple[list[str], list[str]]:
    """ChnSentiCorp test: texts and negative/positive labels (1,200 rows)."""
    path = SHARED_DATA / "sentiment" / "zh" / "chnsenticorp_test.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    labels = ["positive" if r["label"] == "1" else "negative" for r in rows]
    return [r["text_a"] for r in rows], labels


def xlmt_test(language: str) -> tuple[list[str], list[str]]:
    """XLM-T UMSAB test (870 tweets) for ``en`` or ``es``."""
    name = {"en": "en/xlmt_umsab_english", "es": "es/xlmt_umsab_spanish"}[language]
    folder = SHARED_DATA / "sentiment" / name
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    raw = (folder / "test_labels.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    return texts, [THREE[int(x)] for x in raw]


def airline_tweets() -> pd.DataFrame:
    """Twitter US Airline Sentiment, one row per tweet_id (14,485 tweets)."""
    path = SHARED_DATA / "feedback" / "twitter_us_airline_sentiment_Tweets.csv"
    frame = pd.read_csv(path, dtype={"tweet_id": str})
    return frame.drop_duplicates("tweet_id").reset_index(drop=True)
