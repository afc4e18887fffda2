"""Labelled comments for scoring themes: the demo company's generated comments and the Twitter
US Airline tweets (evaluation only) with their ``negativereason``."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from cxloop.demo.comments import THEMES, CommentWriter, Slots

STAFF = {
    "en": ("Sarah", "James", "Priya"),
    "es": ("Lucía", "Javier", "Marta"),
    "zh": ("小王", "李娜", "张伟"),
}
CITIES = {"en": ("Leeds", "Austin"), "es": ("Sevilla", "Puebla"), "zh": ("成都", "杭州")}
MOODS = ("positive", "negative", "middle", "question")
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples" / "themes"


def _shared_data() -> Path:
    for folder in Path(__file__).resolve().parents[3:]:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return Path(__file__).resolve().parents[3] / "shared" / "data"


AIRLINE_CSV = _shared_data() / "feedback" / "twitter_us_airline_sentiment_Tweets.csv"
AIRLINE_THEMES = {
    "Customer Service Issue": "customer_service",
    "Late Flight": "late_flight",
    "Cancelled Flight": "cancelled_flight",
    "Lost Luggage": "lost_luggage",
    "Bad Flight": "bad_flight",
    "Flight Booking Problems": "flight_booking",
    "Flight Attendant Complaints": "flight_attendants",
    "longlines": "long_lines",
    "Damaged Luggage": "damaged_luggage",
}


def demo_comments(language: str, n: int, seed: int = 5) -> list[tuple[str, tuple[str, ...]]]:
    """``n`` comments as the demo generator writes them, with their true themes."""
    rnd = random.Random(seed)
    writer = CommentWriter(rnd)
    out = []
    while len(out) < n:
        theme = rnd.choice(THEMES)
        other = rnd.choice([t for t in THEMES if t != theme])
        slots = Slots(
            days=rnd.randint(3, 9),
            amount="$42.00" if language == "en" else "42,00 €" if language == "es" else "42元",
            staff=rnd.choice(STAFF[language]),
            minutes=rnd.randint(15, 45),
            city=rnd.choice(CITIES[language]),
        )
        comment = writer.write(
            language, rnd.choice(MOODS), theme, other, slots, also_other=rnd.random() < 0.2
        )
        out.append((comment.text, comment.themes))
    return out


def airline_negative_tweets() -> list[tuple[str, str]]:
    """Negative tweets (one per tweet_id) and their reason, ``Can't Tell`` left out."""
    seen: set[str] = set()
    out = []
    with AIRLINE_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["tweet_id"] in seen or row["airline_sentiment"] != "negative":
                continue
            seen.add(row["tweet_id"])
            reason = AIRLINE_THEMES.get(row["negativereason"])
            if reason is not None:
                out.append((row["text"], reason))
    return out
