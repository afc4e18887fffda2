"""The analyser composes its five parts over batches; default_analyser checks its settings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from cxloop.config import Settings
from cxloop.errors import ConfigError
from cxloop.understand.text.analyser import (
    TextAnalyser,
    default_analyser,
    model_fingerprint,
    taxonomy_digest,
)
from understand.text.pipeline_doubles import RuleLanguages, rule_analyser


def test_each_text_gets_its_language_sentiment_intent_themes_and_redacted_copy() -> None:
    analyser = rule_analyser()
    texts = [
        "Delivery was late, write to bob@example.com",
        "La entrega fue excelente",
        "快递很慢",
        "",
        "Can I change my invoice?",
    ]
    insights = analyser.analyse(texts)
    assert [i.language for i in insights] == ["en", "es", "zh", "und", "en"]
    assert [i.sentiment.label for i in insights] == [
        "negative", "positive", "negative", "neutral", "neutral",
    ]  # fmt: skip
    assert [i.intent for i in insights] == ["issue", "praise", "issue", None, "question"]
    assert insights[0].themes == ("delivery",)
    assert insights[1].themes == ("delivery",)
    assert insights[4].themes == ("billing",)
    assert insights[0].redacted_text == "Delivery was late, write to [EMAIL]"
    assert insights[3].redacted_text == ""


def test_parts_see_batches_of_at_most_batch_size_and_order_is_kept() -> None:
    analyser = rule_analyser(batch_size=4)
    texts = [f"late {i}" if i % 2 else f"great {i}" for i in range(10)]
    insights = analyser.analyse(texts)
    assert isinstance(analyser.languages, RuleLanguages)
    assert analyser.languages.batches == [4, 4, 2]
    assert [i.sentiment.label for i in insights] == [
        "negative" if i % 2 else "positive" for i in range(10)
    ]
    assert analyser.analyse([]) == []


def test_a_language_hint_is_used_only_where_detection_gives_up() -> None:
    insights = rule_analyser().analyse(
        ["!!!", "great", "...", "?", "-"], ["es", "zh", None, "zh-CN", " "]
    )
    assert [i.language for i in insights] == ["es", "en", "und", "zh", "und"]
    with pytest.raises(ValueError, match="2 language hints for 3 texts"):
        rule_analyser().analyse(["a", "b", "c"], ["en", "en"])


class ShortSentiment:
    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list:
        return []


def test_a_part_that_answers_for_fewer_texts_is_named() -> None:
    analyser = rule_analyser(name="broken/1")
    broken = TextAnalyser(
        analyser.languages, ShortSentiment(), analyser.intent, analyser.themes,
        analyser.redactor, name="broken/1",
    )  # fmt: skip
    with pytest.raises(ValueError, match="sentiment part of analyser 'broken/1' returned 0"):
        broken.analyse(["great"])


def test_an_analyser_needs_a_name_and_a_positive_batch_size() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        rule_analyser(name=" ")
    with pytest.raises(ValueError, match="batch_size"):
        rule_analyser(batch_size=0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"backend": "spacy"}, "text backend 'spacy' is not one of shipped, transformers"),
        ({"backend": "transformers"}, "needs a local model directory"),
        ({"backend": "transformers", "model": Path("/no/such/model")}, "no such model"),
    ],
)
def test_default_analyser_names_the_bad_setting(
    tmp_path: Path, overrides: dict, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        default_analyser(Settings.load(project=tmp_path), **overrides)


def test_the_transformers_setting_needs_a_model_too(tmp_path: Path) -> None:
    settings = Settings.load(project=tmp_path, text_backend="transformers")
    with pytest.raises(ConfigError, match="setting 'text_model' or --model"):
        default_analyser(settings)


def test_a_changed_taxonomy_gives_another_digest() -> None:
    a = taxonomy_digest('{"themes": {"delivery": ["late"]}}')
    b = taxonomy_digest('{"themes": {"delivery": ["late", "slow"]}}')
    assert (
        a != b
        and a.startswith("taxonomy-")
        and a == taxonomy_digest('{"themes": {"delivery": ["late"]}}')
    )


def test_a_model_saved_again_gets_another_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    first = model_fingerprint(tmp_path)
    assert model_fingerprint(tmp_path) == first
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    assert model_fingerprint(tmp_path) != first
