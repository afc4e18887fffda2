"""Theme counts by language and sentiment, from the stored insights."""

from __future__ import annotations

from cxloop.storage import Warehouse
from cxloop.understand.text.analyse_feedback import analyse_feedback
from cxloop.understand.text.theme_counts import theme_counts
from understand.text.pipeline_doubles import add_feedback, rule_analyser


def test_each_theme_is_counted_per_language_and_sentiment(warehouse: Warehouse) -> None:
    add_feedback(
        warehouse,
        {
            "t1": "Delivery late and rude staff",
            "t2": "Delivery was great",
            "t3": "La entrega llegó tarde",
            "t4": "快递很慢",
            "t5": "Nothing to add",
            "t6": None,
        },
    )
    analyse_feedback(warehouse, rule_analyser())
    summary = theme_counts(warehouse)
    assert summary.analysed == 5 and summary.uncovered == 1
    assert summary.totals() == {"delivery": 4, "staff_friendliness": 1}
    assert summary.by("delivery", "language") == {"en": 2, "es": 1, "zh": 1}
    assert summary.by("delivery", "sentiment") == {"negative": 3, "positive": 1}
    assert summary.by("staff_friendliness", "sentiment") == {"negative": 1}
    assert sum(c.feedback for c in summary.counts) == 5


def test_no_insights_gives_an_empty_summary(warehouse: Warehouse) -> None:
    summary = theme_counts(warehouse)
    assert summary.analysed == 0 and summary.counts == [] and summary.totals() == {}
