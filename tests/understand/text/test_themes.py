"""The keyword theme tagger: whole words, case and accents ignored, prefixes, plurals, phrases,
jieba words in Chinese, and every language's themes for an undetermined one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.understand.text.parts import ThemeTagger
from cxloop.understand.text.segmentation import chinese_words
from cxloop.understand.text.taxonomy import build_taxonomy, load_taxonomy, read_taxonomy_file
from cxloop.understand.text.themes import KeywordThemeTagger


def tagger_for(tmp_path: Path, language: str, body: str) -> KeywordThemeTagger:
    path = tmp_path / f"{language}.yaml"
    path.write_text(f"language: {language}\ninclude_defaults: false\n{body}", encoding="utf-8")
    return KeywordThemeTagger(build_taxonomy([read_taxonomy_file(path)], defaults=False))


@pytest.fixture(scope="module")
def default_tagger() -> KeywordThemeTagger:
    return KeywordThemeTagger(load_taxonomy(None))


def test_it_is_a_theme_tagger(default_tagger: KeywordThemeTagger) -> None:
    tagger: ThemeTagger = default_tagger
    assert tagger.tag([], []) == []
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        tagger.tag(["a", "b"], ["en"])


def test_whole_words_prefixes_plurals_and_phrases(tmp_path: Path) -> None:
    tagger = tagger_for(
        tmp_path,
        "en",
        "themes:\n  app: [app]\n  refunds: [refund*]\n  parcels: [parcel]\n"
        "  late: {phrases: [arrived late]}\n",
    )
    texts = [
        "I am happy",  # "app" inside a word does not count
        "The APP froze",
        "Refunded at last",
        "Two parcels and a box",
        "It arrived LATE again",
        "Late, but it arrived",  # the words of a phrase must follow each other
        "",
    ]
    assert tagger.tag(texts, ["en"] * len(texts)) == [
        (),
        ("app",),
        ("refunds",),
        ("parcels",),
        ("late",),
        (),
        (),
    ]


def test_accents_and_case_are_ignored_both_ways(tmp_path: Path) -> None:
    tagger = tagger_for(
        tmp_path, "es", "themes:\n  envio: [envío, devolución*]\n  dinero: [reembolso]\n"
    )
    texts = ["ENVIO tardío", "la devolucion fue lenta", "El REEMBÓLSO no llegó"]
    assert tagger.tag(texts, ["es"] * 3) == [("envio",), ("envio",), ("dinero",)]


def test_chinese_is_matched_on_jieba_words(tmp_path: Path) -> None:
    tagger = tagger_for(tmp_path, "zh", "themes:\n  delivery: [快递]\n  waiting: [等了很久]\n")
    # the tagger's jieba keeps each keyword as one word, and a word matches the keywords it contains
    texts = ["快递员很准时", "快递晚了5天才到，等了很久", "我的订单", "App"]
    assert tagger.tag(texts, ["zh"] * 4) == [("delivery",), ("delivery", "waiting"), (), ()]
    words = chinese_words("客服让我等了很久", tagger.chinese_vocabulary())
    assert words == ["客服", "让", "我", "等了很久"]


def test_taxonomy_order_and_undetermined_languages(default_tagger: KeywordThemeTagger) -> None:
    text = "I was charged twice and the parcel arrived late"
    assert default_tagger.tag_one(text, "en") == ("delivery", "billing")
    assert default_tagger.tag_one(text, "en-GB") == ("delivery", "billing")
    assert default_tagger.tag_one(text, "und") == ("delivery", "billing")
    assert default_tagger.tag_one("快递太慢了", "und") == ("delivery",)
    assert default_tagger.tag_one("La factura llegó mal", "fr") == ("billing",)


def test_the_default_taxonomy_tags_the_three_languages(default_tagger: KeywordThemeTagger) -> None:
    texts = [
        "Waited 40 minutes on hold, then the agent was rude.",
        "La app se cierra en el pago y el reembolso no llega.",
        "退货流程太复杂，客服态度也很差。",
    ]
    assert default_tagger.tag(texts, ["en", "es", "zh"]) == [
        ("staff_friendliness", "wait_time"),
        ("billing", "app_usability", "returns"),
        ("staff_friendliness", "returns"),
    ]


def test_one_taxonomys_chinese_keywords_do_not_change_how_another_splits_text() -> None:
    text = "朋友送的礼品卡激活不了"
    before = chinese_words(text)
    gift_cards = frozenset({"礼品卡"})
    assert "礼品卡" in chinese_words(text, gift_cards)
    assert chinese_words(text) == before and "礼品卡" not in before
    assert "礼品卡" not in chinese_words(text, frozenset({"客服"}))
