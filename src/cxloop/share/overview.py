"""What the Overview page shows: how much the company hears from its customers, and the latest
voices.

Functions named ``*_expr`` only build Ibis expressions (no I/O); the others run them on a
:class:`~cxloop.storage.Warehouse` and return plain data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd
from pydantic import BaseModel

from cxloop.storage import Warehouse
from cxloop.understand.text.analyse_feedback import has_text

VolumeGrouping = Literal["language", "kind"]
GROUPINGS: tuple[VolumeGrouping, ...] = ("language", "kind")


class OverviewCounts(BaseModel):
    """Row counts behind the Overview's headline numbers."""

    customers: int
    source_records: int
    events: int
    feedback: int

    @property
    def identities_resolved(self) -> bool:
        """Whether identity resolution has made customer profiles yet."""
        return self.customers > 0


class FeedbackItem(BaseModel):
    """One piece of customer voice, as the latest-feedback list shows it."""

    feedback_id: str
    ts: datetime | None
    language: str | None = None
    kind: str | None = None
    touchpoint: str | None = None
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    rating: float | None = None
    text: str | None = None
    text_withheld: bool = False
    """True where the piece has text the caller may not read yet: no redacted copy exists."""


def overview_counts(warehouse: Warehouse) -> OverviewCounts:
    """Customers (golden records), source records, events and feedback, counted."""
    names = ("customers", "source_records", "events", "feedback")
    counts = {name: warehouse.to_pyarrow(warehouse.table(name).count()).as_py() for name in names}
    return OverviewCounts(**{name: int(value or 0) for name, value in counts.items()})


def weekly_volume_expr(
    feedback: ir.Table, by: VolumeGrouping = "language", weeks: int = 26
) -> ir.Table:
    """Pieces of feedback per week (weeks start on Monday) and per language or kind, over the
    last ``weeks`` weeks that have feedback: columns ``week``, ``group``, ``count``."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group feedback volume by {by!r} (expected language or kind)")
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    first_week = feedback.ts.max().truncate("W") - ibis.interval(days=7 * (weeks - 1))
    recent = feedback.filter(feedback.ts.notnull(), feedback.ts >= first_week)
    return (
        recent.group_by(week=recent.ts.truncate("W"), group=recent[by])
        .aggregate(count=recent.count())
        .order_by(["week", "group"])
    )


def weekly_feedback_volume(
    warehouse: Warehouse, by: VolumeGrouping = "language", weeks: int = 26
) -> pd.DataFrame:
    """:func:`weekly_volume_expr` run: ``week`` (a date), ``group`` (None where the language
    or kind is unknown) and ``count``, one row per week and group that has feedback."""
    frame = warehouse.to_pandas(weekly_volume_expr(warehouse.table("feedback"), by, weeks))
    week = pd.to_datetime(frame["week"])
    if week.dt.tz is not None:
        week = week.dt.tz_convert("UTC").dt.tz_localize(None)
    return pd.DataFrame(
        {
            "week": week.dt.date,
            "group": frame["group"].astype(object).where(frame["group"].notna(), None),
            "count": frame["count"].astype("int64"),
        }
    )


def latest_feedback_expr(
    feedback: ir.Table, limit: int = 20, insights: ir.Table | None = None
) -> ir.Table:
    """The newest ``limit`` pieces of feedback, newest first.

    With ``insights`` (``feedback_insights``), ``text`` is the PII-redacted copy instead of the
    original, as every role but admin must see it; a piece not analysed yet has no text then,
    and ``text_withheld`` says so.
    """
    columns = [
        name for name in FeedbackItem.model_fields if name in feedback.columns and name != "text"
    ]
    newest = (
        feedback.filter(feedback.ts.notnull())
        .order_by([ibis.desc("ts"), "feedback_id"])
        .limit(limit)
    )
    if insights is None:
        return newest.select(*columns, "text", text_withheld=ibis.literal(False))
    redacted = insights.select("feedback_id", redacted_text=insights.redacted_text)
    joined = newest.left_join(redacted, "feedback_id")
    return joined.select(
        *columns,
        text=joined.redacted_text,
        text_withheld=has_text(joined.text) & joined.redacted_text.isnull(),
    ).order_by([ibis.desc("ts"), "feedback_id"])


def latest_feedback(
    warehouse: Warehouse, limit: int = 20, *, original_text: bool = False
) -> list[FeedbackItem]:
    """:func:`latest_feedback_expr` run, as :class:`FeedbackItem` records.

    Only a caller allowed to read the original text (an admin) passes ``original_text=True``;
    everyone else gets the redacted copy from ``feedback_insights``.
    """
    insights = None if original_text else warehouse.table("feedback_insights")
    expr = latest_feedback_expr(warehouse.table("feedback"), limit, insights)
    rows = warehouse.to_pyarrow(expr)
    return [FeedbackItem.model_validate(row) for row in rows.to_pylist()]
