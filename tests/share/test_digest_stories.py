"""The rule that picks a team digest's customer stories, on rows (no warehouse)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from cxloop.share.digests.stories import MAX_CHARS, pick_stories

T = datetime(2026, 12, 1, tzinfo=UTC)


def row(fid: str, text: str, label: str, score: float | None, themes: list[str], hours: int = 0,
        name: str | None = None) -> dict[str, object]:  # fmt: skip
    return {"feedback_id": fid, "ts": T + timedelta(hours=hours), "language": "en",
            "redacted_text": text, "sentiment": score, "sentiment_label": label,
            "themes": json.dumps(themes), "customer_name": name}  # fmt: skip


def test_top_themes_with_their_most_positive_and_most_negative_comment() -> None:
    rows = [
        row("A", "The delivery came a day early, thank you", "positive", 0.7, ["delivery"]),
        row("B", "Delivery was fine and the box was intact", "positive", 0.9, ["delivery"]),
        row("C", "The delivery was late and the box was crushed", "negative", -0.9,
            ["delivery", "packaging"]),
        row("D", "Late delivery again this week, not happy", "negative", -0.4, ["delivery"]),
        row("E", "Packaging is wasteful, too much plastic", "negative", -0.6, ["packaging"]),
        row("F", "Good prices this month on all bedding", "positive", 0.5, ["price"]),
        row("G", "App crashed when I tried to pay twice", "negative", -0.8, ["app"]),
    ]  # fmt: skip
    stories = pick_stories(rows, Counter({"delivery": 7}), max_themes=2)
    assert [(s.theme, s.mentions, s.previous_mentions) for s in stories] == [
        ("delivery", 4, 7), ("packaging", 2, 0),
    ]  # fmt: skip
    delivery, packaging = stories
    assert delivery.praise and delivery.praise.feedback_id == "B"
    assert delivery.problem and delivery.problem.feedback_id == "C"
    # C is quoted once: packaging's problem is the next most negative
    assert packaging.problem and packaging.problem.feedback_id == "E"
    assert packaging.praise is None


def test_ties_prefer_readable_length_then_the_newest() -> None:
    rows = [
        row("short", "Bad!", "negative", -0.9, ["support"], hours=5),
        row("old", "Support kept me waiting for an hour", "negative", -0.9, ["support"]),
        row("new", "Support never called me back at all", "negative", -0.9, ["support"], hours=2),
    ]
    [story] = pick_stories(rows, Counter())
    assert story.problem and story.problem.feedback_id == "new"


def test_quotes_are_redacted_again_and_long_ones_cut() -> None:
    long_text = "Great service from the shop. " * 30
    rows = [
        row("P", "Call me on +44 20 7946 0958 or mail me at jo@example.com, Jo Bloggs here",
            "negative", -0.5, ["support"], name="Jo Bloggs"),
        row("L", long_text, "positive", 0.9, ["support"]),
    ]  # fmt: skip
    [story] = pick_stories(rows, Counter())
    assert story.problem is not None and story.praise is not None
    problem = story.problem.text
    assert "7946" not in problem and "jo@example.com" not in problem and "Jo" not in problem
    assert "[PHONE]" in problem and "[EMAIL]" in problem and "[NAME]" in problem
    assert len(story.praise.text) <= MAX_CHARS + 1 and story.praise.text.endswith("…")


def test_no_comments_no_stories() -> None:
    assert pick_stories([], Counter({"delivery": 3})) == []
