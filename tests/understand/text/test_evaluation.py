"""Reading labelled files and scoring a sentiment predictor on them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from cxloop.errors import DataError
from cxloop.understand.text.evaluation import evaluate_sentiment, read_labelled, score
from cxloop.understand.text.parts import Sentiment


class KeywordSentiment:
    """A test double: 'good' is positive, 'bad' negative, 'meh' neutral leaning negative."""

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]:
        out = []
        for text in texts:
            if "good" in text:
                out.append(Sentiment(label="positive", score=0.8))
            elif "bad" in text:
                out.append(Sentiment(label="negative", score=-0.8))
            else:
                out.append(Sentiment(label="neutral", score=-0.1))
        return out


class FixedLanguage:
    def __init__(self, language: str) -> None:
        self.language = language

    def detect(self, texts: Sequence[str]) -> list[str]:
        return [self.language] * len(texts)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_scores_three_classes_overall_and_per_language(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "text,label,language\ngood,positive,en\nbad,negative,en\nmeh,neutral,es\n"
        '"good, really",negative,es\n',
    )
    report = evaluate_sentiment(read_labelled(path), KeywordSentiment(), FixedLanguage("zh"))
    assert report.n == 4 and report.accuracy == pytest.approx(0.75)
    assert set(report.per_language) == {"en", "es"}
    assert report.per_language["en"].accuracy == 1.0
    assert report.per_language["es"].accuracy == 0.5
    # F1 per class: negative 2/3, neutral 1, positive 2/3
    assert report.macro_f1 == pytest.approx((2 / 3 + 1 + 2 / 3) / 3)


def test_binary_labels_are_scored_by_the_sign_of_the_score(tmp_path: Path) -> None:
    path = write(tmp_path, "b.tsv", "label\ttext\n1\tgood\n0\tmeh\n1\tmeh\n")
    data = read_labelled(path)
    assert data.binary and data.labels == ["positive", "negative", "positive"]
    report = evaluate_sentiment(data, KeywordSentiment(), FixedLanguage("zh"))
    assert report.binary and report.accuracy == pytest.approx(2 / 3)
    assert list(report.per_language) == ["zh"]  # detected: no language column


def test_score_gives_zero_f1_to_a_class_never_found() -> None:
    s = score(["positive", "negative"], ["positive", "positive"], ("negative", "positive"))
    assert s.accuracy == 0.5 and s.macro_f1 == pytest.approx((0 + 2 / 3) / 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("words,label\nx,positive\n", "no 'text' column"),
        ("text,sentiment\nx,positive\n", "no 'label' column"),
        ("text,label\nx,positive\ny,great\n", "row 3: label 'great'"),
        ("text,label\nx,positive\ny,1\n", "mix 0/1"),
        ("text,label\n", "no rows"),
        ("", "empty"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(DataError, match=message) as info:
        read_labelled(path)
    assert str(path) in info.value.message


def test_a_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_labelled(tmp_path / "absent.csv")
