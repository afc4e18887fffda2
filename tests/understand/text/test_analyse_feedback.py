"""Incremental analysis of feedback into feedback_insights: only what is new, safe to re-run."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from cxloop.storage import Warehouse
from cxloop.understand.text.analyse_feedback import analyse_feedback, pending_feedback
from understand.text.pipeline_doubles import EmailRedactor, add_feedback, rule_analyser

TEXTS: dict[str, str | None] = {
    "f01": "Delivery was late, mail me at ann@example.com",
    "f02": "Great and friendly staff",
    "f03": None,
    "f04": "   ",
    "f05": "La entrega llegó tarde",
    "f06": "快递很慢",
    "f07": "Can I get a copy of my invoice?",
    "f08": "",
}
WITH_TEXT = ["f01", "f02", "f05", "f06", "f07"]


def insights(wh: Warehouse) -> dict[str, dict]:
    rows = wh.to_pyarrow(wh.table("feedback_insights")).to_pylist()
    return {r["feedback_id"]: r for r in rows}


def test_feedback_with_text_gets_one_row_and_a_rerun_adds_nothing(warehouse: Warehouse) -> None:
    add_feedback(warehouse, TEXTS, language="en")
    report = analyse_feedback(warehouse, rule_analyser(batch_size=2))
    assert report.pending == report.analysed == 5
    assert report.mode == "incremental"
    assert report.languages == {"en": 3, "es": 1, "zh": 1}
    assert report.sentiments == {"negative": 3, "neutral": 1, "positive": 1}
    assert report.intents == {"issue": 3, "praise": 1, "question": 1}
    assert report.themes["delivery"] == 3

    stored = insights(warehouse)
    assert sorted(stored) == WITH_TEXT
    first = stored["f01"]
    assert first["language"] == "en"
    assert first["sentiment_label"] == "negative" and first["sentiment"] == pytest.approx(-0.5)
    assert json.loads(first["themes"]) == ["delivery"]
    assert first["intent"] == "issue"
    assert first["redacted_text"] == "Delivery was late, mail me at [EMAIL]"
    assert first["analyser"] == "rules/1" and first["analysed_at"] is not None
    assert stored["f06"]["themes"] == '["delivery"]'

    again = analyse_feedback(warehouse, rule_analyser(batch_size=2))
    assert again.pending == again.analysed == 0
    assert sorted(insights(warehouse)) == WITH_TEXT


def test_only_new_feedback_is_analysed_on_the_next_run(warehouse: Warehouse) -> None:
    add_feedback(warehouse, {"a1": "great", "a2": "late"})
    analyse_feedback(warehouse, rule_analyser())
    before = insights(warehouse)
    add_feedback(warehouse, {"a3": "rude staff", "a4": None})
    report = analyse_feedback(warehouse, rule_analyser())
    assert report.analysed == 1 and report.intents == {"issue": 1}
    after = insights(warehouse)
    assert sorted(after) == ["a1", "a2", "a3"]
    assert after["a1"]["analysed_at"] == before["a1"]["analysed_at"]


def test_a_new_analyser_version_or_full_analyses_everything_again(warehouse: Warehouse) -> None:
    add_feedback(warehouse, TEXTS)
    analyse_feedback(warehouse, rule_analyser("rules/1"))
    assert pending_feedback(warehouse, "rules/1").count().execute() == 0
    assert pending_feedback(warehouse, "rules/2").count().execute() == 5

    report = analyse_feedback(warehouse, rule_analyser("rules/2"))
    assert report.analysed == 5
    assert {r["analyser"] for r in insights(warehouse).values()} == {"rules/2"}
    assert len(insights(warehouse)) == 5

    full = analyse_feedback(warehouse, rule_analyser("rules/2"), full=True, page_rows=4)
    assert full.mode == "full" and full.pending == full.analysed == 5
    assert len(insights(warehouse)) == 5


class FailingRedactor(EmailRedactor):
    """Works for ``pages`` calls, then fails as a killed process would."""

    def __init__(self, pages: int) -> None:
        self.pages = pages

    def redact(self, texts: Sequence[str], languages: Sequence[str]) -> list[str]:
        if self.pages == 0:
            raise KeyboardInterrupt
        self.pages -= 1
        return super().redact(texts, languages)


def test_a_run_stopped_half_way_keeps_whole_pages_and_the_rerun_finishes(
    warehouse: Warehouse,
) -> None:
    add_feedback(warehouse, {f"k{i:02d}": f"late parcel {i}" for i in range(10)})
    analyser = rule_analyser(batch_size=3)
    analyser.redactor = FailingRedactor(pages=2)
    with pytest.raises(KeyboardInterrupt):
        analyse_feedback(warehouse, analyser)
    assert sorted(insights(warehouse)) == [f"k{i:02d}" for i in range(6)]

    report = analyse_feedback(warehouse, rule_analyser(batch_size=3))
    assert report.pending == report.analysed == 4
    assert sorted(insights(warehouse)) == [f"k{i:02d}" for i in range(10)]


def test_progress_is_reported_after_every_page(warehouse: Warehouse) -> None:
    add_feedback(warehouse, {f"p{i}": "great" for i in range(7)})
    seen: list[tuple[int, int]] = []
    analyse_feedback(warehouse, rule_analyser(), page_rows=3, on_progress=lambda *a: seen.append(a))
    assert seen == [(0, 7), (3, 7), (6, 7), (7, 7)]


def test_nothing_to_analyse_is_an_empty_report(warehouse: Warehouse) -> None:
    add_feedback(warehouse, {"n1": None, "n2": " "})
    report = analyse_feedback(warehouse, rule_analyser())
    assert report.analysed == 0 and report.languages == {} and insights(warehouse) == {}
