"""How well the shipped taxonomy finds the demo company's planted comment themes, and how well
an airline taxonomy written from the category names finds the Twitter US Airline
``negativereason`` (evaluation only: the taxonomy was not fitted to the tweets).

The figures are in docs/text-analytics.md; the thresholds sit a little below them.
"""

from __future__ import annotations

import pytest

from cxloop.demo.comments import THEMES
from cxloop.understand.text.taxonomy import build_taxonomy, load_taxonomy, read_taxonomy_file
from cxloop.understand.text.theme_evaluation import score_themes
from cxloop.understand.text.themes import KeywordThemeTagger
from understand.text.theme_data import (
    AIRLINE_CSV,
    AIRLINE_THEMES,
    EXAMPLES,
    airline_negative_tweets,
    demo_comments,
)


@pytest.mark.parametrize("language", ["en", "es", "zh"])
def test_default_taxonomy_on_demo_comments(language: str) -> None:
    tagger = KeywordThemeTagger(load_taxonomy(None))
    comments = demo_comments(language, 3000, seed=11)
    predicted = tagger.tag([text for text, _ in comments], [language] * len(comments))
    report = score_themes([truth for _, truth in comments], predicted, THEMES)
    worst = min(report.themes, key=lambda s: s.f1)
    assert report.macro_f1 >= 0.82, report.macro_f1
    assert worst.f1 >= 0.70, worst


@pytest.mark.skipif(not AIRLINE_CSV.exists(), reason="shared/data/feedback is not here")
def test_airline_taxonomy_on_negativereason() -> None:
    path = EXAMPLES / "airline" / "en.yaml"
    tagger = KeywordThemeTagger(build_taxonomy([read_taxonomy_file(path)], defaults=False))
    tweets = airline_negative_tweets()
    assert len(tweets) == 7912  # 9,178 negative rows, one per tweet_id, "Can't Tell" left out
    predicted = tagger.tag([text for text, _ in tweets], ["en"] * len(tweets))
    report = score_themes(
        [{reason} for _, reason in tweets], predicted, list(AIRLINE_THEMES.values())
    )
    assert report.micro.f1 >= 0.52, report.micro
    assert report.macro_f1 >= 0.44, report.macro_f1
    for theme in ("customer_service", "late_flight", "cancelled_flight", "lost_luggage"):
        assert report.score(theme).f1 >= 0.55, report.score(theme)
    assert all(score.f1 > 0.2 for score in report.themes), report.themes
