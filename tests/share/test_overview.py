"""The Overview's queries, run on a real (DuckDB) warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pytest

from cxloop.share.overview import (
    latest_feedback,
    overview_counts,
    weekly_feedback_volume,
    weekly_volume_expr,
)
from cxloop.storage import Warehouse

SCHEMA = pa.schema(
    [
        ("feedback_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("kind", pa.string()),
        ("language", pa.string()),
        ("nps", pa.int64()),
        ("rating", pa.float64()),
        ("text", pa.string()),
    ]
)


def add_feedback(warehouse: Warehouse, rows: list[dict]) -> None:
    warehouse.append("feedback", pa.Table.from_pylist(rows, schema=SCHEMA))


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_counts(warehouse: Warehouse) -> None:
    assert overview_counts(warehouse).model_dump() == {
        "customers": 0, "source_records": 0, "events": 0, "feedback": 0,
    }  # fmt: skip
    add_feedback(warehouse, [{"feedback_id": "a", "ts": at("2026-01-05")}])
    warehouse.append("customers", pa.Table.from_pylist([{"customer_id": "c"}]))
    counts = overview_counts(warehouse)
    assert counts.feedback == 1 and counts.customers == 1 and counts.identities_resolved


def test_weekly_volume_counts_per_monday_week_and_group(warehouse: Warehouse) -> None:
    add_feedback(warehouse, [
        {"feedback_id": "1", "ts": at("2026-01-05", 0), "language": "en", "kind": "survey"},
        {"feedback_id": "2", "ts": at("2026-01-11", 23), "language": "en", "kind": "ticket"},
        {"feedback_id": "3", "ts": at("2026-01-08"), "language": "es", "kind": "survey"},
        {"feedback_id": "4", "ts": at("2026-01-12"), "language": None, "kind": "survey"},
        {"feedback_id": "5", "ts": None, "language": "en", "kind": "survey"},
    ])  # fmt: skip
    by_language = weekly_feedback_volume(warehouse, "language")
    assert list(by_language.itertuples(index=False, name=None)) == [
        (date(2026, 1, 5), "en", 2),
        (date(2026, 1, 5), "es", 1),
        (date(2026, 1, 12), None, 1),
    ]
    by_kind = weekly_feedback_volume(warehouse, "kind")
    assert by_kind.groupby("group")["count"].sum().to_dict() == {"survey": 3, "ticket": 1}


def test_weekly_volume_keeps_the_last_weeks_only(warehouse: Warehouse) -> None:
    start = at("2026-01-05")
    add_feedback(warehouse, [
        {"feedback_id": str(i), "ts": start + timedelta(weeks=i), "language": "en"}
        for i in range(40)
    ])  # fmt: skip
    frame = weekly_feedback_volume(warehouse, weeks=26)
    assert len(frame) == 26
    assert frame.week.max() == (start + timedelta(weeks=39)).date()
    assert frame.week.min() == (start + timedelta(weeks=14)).date()


def test_weekly_volume_of_nothing(warehouse: Warehouse) -> None:
    frame = weekly_feedback_volume(warehouse)
    assert frame.empty and list(frame.columns) == ["week", "group", "count"]


def test_bad_groupings_are_refused(warehouse: Warehouse) -> None:
    with pytest.raises(ValueError, match="cannot group"):
        weekly_volume_expr(warehouse.table("feedback"), "text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        weekly_volume_expr(warehouse.table("feedback"), weeks=0)


def test_latest_feedback_newest_first(warehouse: Warehouse) -> None:
    add_feedback(warehouse, [
        {"feedback_id": f"f{i:02}", "ts": at("2026-02-01") + timedelta(hours=i),
         "language": "zh", "nps": i % 11, "rating": 4.5, "text": f"第{i}条"}
        for i in range(30)
    ] + [{"feedback_id": "undated", "ts": None, "text": "no time"}])  # fmt: skip
    items = latest_feedback(warehouse, limit=20, original_text=True)
    assert [item.feedback_id for item in items] == [f"f{i:02}" for i in range(29, 9, -1)]
    first = items[0]
    assert first.ts == at("2026-02-01") + timedelta(hours=29)
    assert (first.language, first.nps, first.rating, first.text) == ("zh", 7, 4.5, "第29条")
    assert first.csat is None and first.kind is None


def test_latest_feedback_gives_the_redacted_copy_unless_the_original_is_allowed(
    warehouse: Warehouse,
) -> None:
    add_feedback(warehouse, [
        {"feedback_id": "a", "ts": at("2026-02-02"), "text": "mail me at x@y.com"},
        {"feedback_id": "b", "ts": at("2026-02-01"), "text": "call 600 123 456"},
        {"feedback_id": "c", "ts": at("2026-01-31"), "text": None, "nps": 9},
    ])  # fmt: skip
    warehouse.append(
        "feedback_insights",
        pa.Table.from_pylist([{"feedback_id": "a", "redacted_text": "mail me at [EMAIL]"}]),
    )
    items = {item.feedback_id: item for item in latest_feedback(warehouse)}
    assert [item.feedback_id for item in latest_feedback(warehouse)] == ["a", "b", "c"]
    assert (items["a"].text, items["a"].text_withheld) == ("mail me at [EMAIL]", False)
    assert (items["b"].text, items["b"].text_withheld) == (None, True)
    assert (items["c"].text, items["c"].text_withheld) == (None, False)
    originals = {i.feedback_id: i.text for i in latest_feedback(warehouse, original_text=True)}
    assert originals == {"a": "mail me at x@y.com", "b": "call 600 123 456", "c": None}
