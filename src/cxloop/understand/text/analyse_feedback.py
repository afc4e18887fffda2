"""Analyse the feedback that has text and no insight yet, and write ``feedback_insights``.

The run is incremental: a feedback row is analysed when it has text and no insight from the
current analyser (none at all, or one from an older model or taxonomy). With ``full=True`` every
row with text is analysed again. Rows are read in pages ordered by ``feedback_id`` (keyset
paging: each page starts after the last id of the one before) and every batch of the analyser
is written in its own transaction through the warehouse's idempotent upsert, so a run that is
killed loses at most one batch and the next run carries on where it stopped. Feedback without
text gets no insight row.

When only the taxonomy changed (the analyser's name differs in its ``themes=`` token alone), the
insights keep their language, sentiment and intent and only their themes are tagged again
(:mod:`cxloop.understand.text.theme_retagging`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

import ibis.expr.types as ir
import pyarrow as pa
from pydantic import BaseModel

from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema
from cxloop.understand.text.analyser import TextAnalyser
from cxloop.understand.text.parts import TextInsight
from cxloop.understand.text.theme_retagging import retag_themes, themes_json

INSIGHT_COLUMNS = (
    "feedback_id",
    "language",
    "sentiment",
    "sentiment_label",
    "themes",
    "intent",
    "redacted_text",
    "analyser",
    "analysed_at",
)
NO_INTENT = "none"
#: feedback rows read from the warehouse at once (each analyser batch is written on its own)
READ_PAGE_ROWS = 50_000

#: called with (rows analysed so far, rows to analyse in this run)
ProgressCallback = Callable[[int, int], None]


class TextAnalysisReport(BaseModel):
    """What one run of :func:`analyse_feedback` did."""

    analyser: str
    mode: Literal["incremental", "full"]
    pending: int
    analysed: int
    retagged: int = 0
    languages: dict[str, int]
    sentiments: dict[str, int]
    intents: dict[str, int]
    themes: dict[str, int]
    seconds: float

    @property
    def texts_per_second(self) -> float:
        return self.analysed / self.seconds if self.seconds > 0 else 0.0


def has_text(text: ir.StringValue) -> ir.BooleanValue:
    """True where a piece of feedback carries text, so that there is something to analyse: a
    score alone (no text, or only blanks) never waits for analysis."""
    return text.notnull() & (text.strip().length() > 0)


def feedback_with_text(warehouse: Warehouse) -> ir.Table:
    """Feedback rows that carry some text: ``feedback_id``, ``text``, ``language``."""
    feedback = warehouse.table("feedback")
    return feedback.filter(has_text(feedback.text)).select("feedback_id", "text", "language")


def pending_feedback(warehouse: Warehouse, analyser: str, *, full: bool = False) -> ir.Table:
    """The feedback to analyse: with text and, unless ``full``, no insight by ``analyser``."""
    texts = feedback_with_text(warehouse)
    if full:
        return texts
    insights = warehouse.table("feedback_insights")
    current = insights.filter(insights.analyser == analyser).select("feedback_id")
    return texts.anti_join(current, "feedback_id")


def _page(pending: ir.Table, after: str | None, rows: int) -> ir.Table:
    page = pending if after is None else pending.filter(pending.feedback_id > after)
    return page.order_by("feedback_id").limit(rows)


def analyse_feedback(
    warehouse: Warehouse,
    analyser: TextAnalyser,
    *,
    full: bool = False,
    page_rows: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> TextAnalysisReport:
    """Analyse pending feedback with ``analyser`` and write its ``feedback_insights`` rows.

    Parameters
    ----------
    warehouse
        An open, writable warehouse.
    analyser
        The analyser; its ``name`` is stored with every row and decides what is pending.
    full
        Analyse every row with text again, not only the pending ones.
    page_rows
        Rows read from the warehouse at once (default 50,000). Each batch of the analyser's
        ``batch_size`` rows is analysed and written in its own transaction.
    on_progress
        Called after each batch with (rows analysed so far, rows to analyse).

    Returns
    -------
    TextAnalysisReport
        Rows analysed (and rows whose themes alone were tagged again, ``retagged``) and their
        counts by language, sentiment, intent and theme.

    Examples
    --------
    >>> report = analyse_feedback(wh, default_analyser(settings))
    >>> report.analysed + report.retagged == report.pending
    True
    """
    started = time.perf_counter()
    rows = page_rows or max(READ_PAGE_ROWS, analyser.batch_size)
    if rows < 1:
        raise ValueError(f"page_rows must be at least 1, not {rows}")
    pending = pending_feedback(warehouse, analyser.name, full=full)
    total = int(warehouse.to_pyarrow(pending.count()).as_py())
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("lang", "sent", "intent", "theme")}
    done, after = 0, None
    if on_progress is not None:
        on_progress(0, total)
    retagged = 0
    if not full:

        def retagged_batch(themes: list[tuple[str, ...]]) -> None:
            nonlocal retagged
            retagged += len(themes)
            counts["theme"].update(t for tags in themes for t in tags)
            if on_progress is not None:
                on_progress(retagged, max(total, retagged))

        retag_themes(
            warehouse,
            analyser.name,
            analyser.themes.tag,
            batch_size=analyser.batch_size,
            page_rows=rows,
            on_batch=retagged_batch,
        )
    while True:
        page = warehouse.to_pyarrow(_page(pending, after, rows))
        if page.num_rows == 0:
            break
        ids = page["feedback_id"].to_pylist()
        texts = page["text"].to_pylist()
        hints = page["language"].to_pylist()
        for start in range(0, len(ids), analyser.batch_size):
            end = start + analyser.batch_size
            insights = analyser.analyse(texts[start:end], hints[start:end])
            rows_out = insight_rows(ids[start:end], insights, analyser.name)
            warehouse.replace("feedback_insights", rows_out)
            _count(counts, insights)
            done += len(insights)
            if on_progress is not None:
                on_progress(retagged + done, max(total, retagged + done))
        after = ids[-1]
    return TextAnalysisReport(
        analyser=analyser.name,
        mode="full" if full else "incremental",
        pending=total,
        analysed=done,
        retagged=retagged,
        languages=_sorted(counts["lang"]),
        sentiments=_sorted(counts["sent"]),
        intents=_sorted(counts["intent"]),
        themes=_sorted(counts["theme"]),
        seconds=round(time.perf_counter() - started, 3),
    )


def insight_rows(feedback_ids: list[str], insights: list[TextInsight], analyser: str) -> pa.Table:
    """``feedback_insights`` rows for the insights of these feedback ids."""
    now = datetime.now(UTC)
    n = len(feedback_ids)
    data = {
        "feedback_id": feedback_ids,
        "language": [i.language for i in insights],
        "sentiment": [i.sentiment.score for i in insights],
        "sentiment_label": [i.sentiment.label for i in insights],
        "themes": [themes_json(i.themes) for i in insights],
        "intent": [i.intent for i in insights],
        "redacted_text": [i.redacted_text for i in insights],
        "analyser": [analyser] * n,
        "analysed_at": [now] * n,
    }
    return pa.table(data, schema=arrow_schema("feedback_insights", INSIGHT_COLUMNS))


def _count(counts: dict[str, Counter[str]], insights: list[TextInsight]) -> None:
    counts["lang"].update(i.language for i in insights)
    counts["sent"].update(i.sentiment.label for i in insights)
    counts["intent"].update(i.intent or NO_INTENT for i in insights)
    counts["theme"].update(theme for i in insights for theme in i.themes)


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
