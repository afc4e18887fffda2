"""A change of taxonomy alone re-tags themes; any other change analyses the texts again."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cxloop.storage import Warehouse
from cxloop.understand.text.analyse_feedback import analyse_feedback
from cxloop.understand.text.parts import Sentiment
from cxloop.understand.text.theme_retagging import stale_themes, without_themes
from understand.text.pipeline_doubles import (
    KeywordThemes,
    LexiconSentiment,
    add_feedback,
    rule_analyser,
)

TEXTS: dict[str, str | None] = {
    "r1": "Delivery was late and the parcel was torn",
    "r2": "Great staff",
    "r3": "La entrega llegó tarde",
    "r4": None,
}


def named(themes: str, sentiment: str = "lexicon-1") -> str:
    return f"rules language=r1 sentiment={sentiment} intent=i1 themes={themes} redaction=e1"


class CountingSentiment(LexiconSentiment):
    def __init__(self) -> None:
        self.calls = 0

    def predict(self, texts: Sequence[str], languages: Sequence[str]) -> list[Sentiment]:
        self.calls += 1
        return super().predict(texts, languages)


class ParcelThemes(KeywordThemes):
    """The tagger after an analyst added a ``packaging`` theme."""

    def tag(self, texts: Sequence[str], languages: Sequence[str]) -> list[tuple[str, ...]]:
        return [
            (*tags, "packaging") if "parcel" in text else tags
            for tags, text in zip(super().tag(texts, languages), texts, strict=True)
        ]


def stored(wh: Warehouse) -> dict[str, dict]:
    return {r["feedback_id"]: r for r in wh.to_pyarrow(wh.table("feedback_insights")).to_pylist()}


def test_the_name_without_its_taxonomy() -> None:
    assert without_themes(named("taxonomy-1")) == without_themes(named("taxonomy-2"))
    assert without_themes(named("taxonomy-1")) != without_themes(named("taxonomy-1", "model-2"))
    assert without_themes("rules/1") is None


def test_a_new_taxonomy_retags_themes_without_running_the_models(warehouse: Warehouse) -> None:
    add_feedback(warehouse, TEXTS)
    analyse_feedback(warehouse, rule_analyser(named("taxonomy-1")))
    before = stored(warehouse)

    analyser = rule_analyser(named("taxonomy-2"), batch_size=2)
    analyser.sentiment = sentiment = CountingSentiment()
    analyser.themes = ParcelThemes()
    seen: list[tuple[int, int]] = []
    report = analyse_feedback(warehouse, analyser, on_progress=lambda *a: seen.append(a))
    assert report.pending == 3 and report.retagged == 3 and report.analysed == 0
    assert sentiment.calls == 0
    assert report.themes == {"delivery": 2, "packaging": 1, "staff_friendliness": 1}
    assert seen[-1] == (3, 3)

    after = stored(warehouse)
    assert json.loads(after["r1"]["themes"]) == ["delivery", "packaging"]
    for fid in ("r1", "r2", "r3"):
        assert after[fid]["analyser"] == named("taxonomy-2")
        for column in ("language", "sentiment", "sentiment_label", "intent", "redacted_text"):
            assert after[fid][column] == before[fid][column]
        assert after[fid]["analysed_at"] >= before[fid]["analysed_at"]
    assert stale_themes(warehouse, named("taxonomy-2")).count().execute() == 0
    assert analyse_feedback(warehouse, analyser).pending == 0


def test_another_model_or_full_analyses_the_texts_again(warehouse: Warehouse) -> None:
    add_feedback(warehouse, TEXTS)
    analyse_feedback(warehouse, rule_analyser(named("taxonomy-1")))
    new_model = rule_analyser(named("taxonomy-1", sentiment="lexicon-2"))
    new_model.sentiment = sentiment = CountingSentiment()
    report = analyse_feedback(warehouse, new_model)
    assert report.analysed == 3 and report.retagged == 0 and sentiment.calls > 0

    full = analyse_feedback(warehouse, rule_analyser(named("taxonomy-9")), full=True)
    assert full.analysed == 3 and full.retagged == 0
    assert {r["analyser"] for r in stored(warehouse).values()} == {named("taxonomy-9")}
