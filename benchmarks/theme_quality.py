"""Theme quality and speed: the figures of docs/text-analytics.md (Themes, PII redaction).

Scores the default taxonomy on comments written by the demo generator (3,000 per language,
seed 11, as tests/understand/text/test_theme_quality.py does) and the example airline taxonomy
(docs/examples/themes/airline/en.yaml) on the negative tweets of the Twitter US Airline set,
with ``negativereason`` as the truth; then times the tagger and the redactor on 20,000 demo
comments per language against a baseline measured in the same run (lower-casing and splitting
the text into words with one regular expression). Prints Markdown.

    python -m benchmarks.theme_quality [--quick]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def demo_quality(n: int) -> str:
    from cxloop.demo.comments import THEMES
    from cxloop.understand.text.taxonomy import load_taxonomy
    from cxloop.understand.text.theme_evaluation import score_themes
    from cxloop.understand.text.themes import KeywordThemeTagger
    from understand.text.theme_data import demo_comments

    tagger = KeywordThemeTagger(load_taxonomy(None))
    reports = {}
    for language in ("en", "es", "zh"):
        comments = demo_comments(language, n, seed=11)
        predicted = tagger.tag([t for t, _ in comments], [language] * len(comments))
        reports[language] = score_themes([t for _, t in comments], predicted, THEMES)
    rows = []
    for theme in (*THEMES, "macro F1", "micro"):
        row = [theme]
        for report in reports.values():
            if theme == "macro F1":
                row.append(f"F1 {report.macro_f1:.3f}")
                continue
            s = report.micro if theme == "micro" else report.score(theme)
            row.append(f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.3f}")
        rows.append(row)
    return _table(["theme", "en P / R / F1", "es P / R / F1", "zh P / R / F1"], rows)


def airline_quality() -> str:
    from cxloop.understand.text.taxonomy import build_taxonomy, read_taxonomy_file
    from cxloop.understand.text.theme_evaluation import score_themes
    from cxloop.understand.text.themes import KeywordThemeTagger
    from understand.text.theme_data import (
        AIRLINE_CSV,
        AIRLINE_THEMES,
        EXAMPLES,
        airline_negative_tweets,
    )

    if not AIRLINE_CSV.exists():
        return f"({AIRLINE_CSV} not found)"
    taxonomy = build_taxonomy(
        [read_taxonomy_file(EXAMPLES / "airline" / "en.yaml")], defaults=False
    )
    tweets = airline_negative_tweets()
    predicted = KeywordThemeTagger(taxonomy).tag([t for t, _ in tweets], ["en"] * len(tweets))
    report = score_themes([{r} for _, r in tweets], predicted, list(AIRLINE_THEMES.values()))
    names = {v: k for k, v in AIRLINE_THEMES.items()}
    rows = [
        [f"{names[s.theme]} (`{s.theme}`)", str(s.support), str(s.predicted),
         f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"]
        for s in report.themes
    ]  # fmt: skip
    m = report.micro
    rows.append(["micro", str(m.support), str(m.predicted), f"{m.precision:.3f}",
                 f"{m.recall:.3f}", f"{m.f1:.3f}"])  # fmt: skip
    rows.append(["macro F1", "", "", "", "", f"{report.macro_f1:.3f}"])
    header = ["negativereason (theme)", "tweets", "tagged", "precision", "recall", "F1"]
    return f"{len(tweets):,} negative tweets\n\n" + _table(header, rows)


def _rate(func: Callable[[], object], n: int) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return n / best


def speed(n: int) -> str:
    from cxloop.understand.text.redaction import PatternRedactor
    from cxloop.understand.text.taxonomy import load_taxonomy
    from cxloop.understand.text.themes import KeywordThemeTagger
    from understand.text.theme_data import demo_comments

    tagger = KeywordThemeTagger(load_taxonomy(None))
    redactor = PatternRedactor()
    word = re.compile(r"\w+")
    rows = []
    for language in ("en", "es", "zh"):
        texts = [t for t, _ in demo_comments(language, n, seed=9)]
        langs = [language] * n
        tagger.tag(texts[:100], langs[:100])
        base = _rate(lambda texts=texts: [word.findall(t.lower()) for t in texts], n)
        tag = _rate(lambda texts=texts, langs=langs: tagger.tag(texts, langs), n)
        red = _rate(lambda texts=texts, langs=langs: redactor.redact(texts, langs), n)
        rows.append([language, f"{base:,.0f}", f"{tag:,.0f}", f"{base / tag:.1f}x",
                     f"{red:,.0f}", f"{base / red:.1f}x"])  # fmt: skip
    header = ["language", "baseline texts/s", "themes texts/s", "themes vs baseline",
              "redaction texts/s", "redaction vs baseline"]  # fmt: skip
    return _table(header, rows)


def main(quick: bool = False) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    print(f"load: {os.getloadavg()[0]:.2f} (1-min average)\n")
    print("## Demo comments: default taxonomy\n")
    print(demo_quality(600 if quick else 3000))
    print("\n## Twitter US Airline negativereason: example airline taxonomy\n")
    print(airline_quality())
    print("\n## Speed (one core)\n")
    print(speed(2000 if quick else 20000))
    print(f"\nload after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Small sizes (a smoke run).")
    main(quick=parser.parse_args().quick)
