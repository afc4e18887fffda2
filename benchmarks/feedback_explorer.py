"""Feedback explorer speed: the queries behind one page of ``/feedback``.

Writes ``--rows`` pieces of analysed feedback (English, Spanish and Chinese sentences, NPS,
one to three themes each, the redacted copy equal to the text) into a temporary DuckDB
warehouse, then times a page of ``list_feedback`` unfiltered, filtered and searched,
``theme_sentiment_matrix``, ``unhappy_themes`` and ``filter_options``, and a whole page as the
dashboard builds it (the sum). Prints a Markdown table (median of ``--repeat`` runs) and the
load average. ``--quick`` uses 20,000 rows.

    python -m benchmarks.feedback_explorer [--quick] [--rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

SENTENCES = {
    "en": ("The delivery was late again", "Great price and friendly staff", "The app crashed"),
    "es": ("La entrega llegó tarde otra vez", "Buen precio y atención rápida", "La app falla"),
    "zh": ("送货太慢了，客服态度也不好", "价格很合理，服务很好", "应用经常闪退"),
}
THEMES = ("delivery", "price", "staff", "app", "store", "returns", "billing", "website")
SENTIMENTS = ("negative", "neutral", "positive")


def _median(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def fill(warehouse: Any, rows: int, seed: int = 5) -> None:
    """``rows`` pieces of feedback and their insights, written in Arrow batches."""
    rng = np.random.default_rng(seed)
    languages = rng.choice(["en", "es", "zh"], rows)
    pick = rng.integers(0, 3, rows)
    texts = [
        f"{SENTENCES[lang][k]} #{i}"
        for i, (lang, k) in enumerate(zip(languages, pick, strict=True))
    ]
    nps = rng.integers(0, 11, rows)
    start = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
    ts = (start + rng.uniform(0, 365 * 86400, rows)) * 1_000_000
    themes = [
        json.dumps(list(rng.choice(THEMES, rng.integers(1, 4), replace=False))) for _ in range(rows)
    ]
    ids = [f"bench:{i}" for i in range(rows)]
    feedback = pa.table({
        "feedback_id": ids,
        "source": ["bench"] * rows,
        "ts": pa.array(ts.astype("int64"), pa.timestamp("us", tz="UTC")),
        "kind": ["survey"] * rows,
        "touchpoint": rng.choice(["delivery", "store", "app"], rows),
        "nps": pa.array(nps, pa.int64()),
        "text": texts,
        "language": languages,
    })  # fmt: skip
    sentiment = np.where(nps <= 6, 0, np.where(nps >= 9, 2, 1))
    insights = pa.table({
        "feedback_id": ids,
        "language": languages,
        "sentiment": pa.array(sentiment - 1.0, pa.float64()),
        "sentiment_label": [SENTIMENTS[s] for s in sentiment],
        "themes": themes,
        "intent": rng.choice(["issue", "praise", "need", "question", "gap"], rows),
        "redacted_text": texts,
        "analyser": ["bench"] * rows,
    })  # fmt: skip
    warehouse.append("feedback", feedback, keys_known_new=True)
    warehouse.append("feedback_insights", insights, keys_known_new=True)


def run(warehouse: Any, repeat: int) -> list[tuple[str, str, str]]:
    from cxloop.share.feedback_explorer import (
        Visibility,
        filter_options,
        list_feedback,
        theme_sentiment_matrix,
        unhappy_themes,
    )
    from cxloop.share.feedback_filters import FeedbackFilters

    admin = Visibility(original_text=True, customer_names=True)
    cases: list[tuple[str, FeedbackFilters]] = [
        ("no filter", FeedbackFilters()),
        ("sentiment + language + NPS band", FeedbackFilters(
            sentiment="negative", language="es", nps_band="detractor")),
        ("theme", FeedbackFilters(theme="billing")),
        ("search 'llego tarde'", FeedbackFilters(q="llego tarde")),
        ("search '客服'", FeedbackFilters(q="客服")),
    ]  # fmt: skip
    out: list[tuple[str, str, str]] = []
    page_total = 0.0
    for name, filters in cases:
        seconds, page = _median(
            lambda f=filters: list_feedback(warehouse, f, 20, 0, visibility=admin), repeat
        )
        out.append((f"list_feedback, {name}", f"{page.total:,} match", f"{seconds * 1000:.0f} ms"))
        if name == "no filter":
            page_total += seconds
    for name, func in (
        ("theme_sentiment_matrix", lambda: theme_sentiment_matrix(warehouse)),
        ("unhappy_themes", lambda: unhappy_themes(warehouse)),
        ("filter_options", lambda: filter_options(warehouse)),
    ):
        seconds, result = _median(func, repeat)
        themes = len(getattr(result, "themes", result))
        out.append((name, f"{themes:,} themes", f"{seconds * 1000:.0f} ms"))
        page_total += seconds
    out.append(("the whole /feedback page's queries", "", f"{page_total * 1000:.0f} ms"))
    return out


def main(quick: bool = False, rows: int = 1_000_000, repeat: int = 3) -> None:
    from cxloop.storage import open_warehouse

    size = 20_000 if quick else rows
    with (
        tempfile.TemporaryDirectory() as scratch,
        open_warehouse(f"duckdb:///{Path(scratch) / 'bench.duckdb'}") as warehouse,
    ):
        started = time.perf_counter()
        fill(warehouse, size)
        took = time.perf_counter() - started
        print(f"{size:,} pieces of analysed feedback written in {took:.1f} s")
        results = run(warehouse, repeat)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nFeedback explorer, {size:,} rows, median of {repeat}; load average {load}\n")
    print("| query | result | time |\n|---|---:|---:|")
    for what, result, seconds in results:
        print(f"| {what} | {result} | {seconds} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    main(quick=args.quick, rows=args.rows, repeat=args.repeat)
