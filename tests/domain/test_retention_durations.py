"""Retention durations: parsing and calendar arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cxloop.domain.retention import Duration, check_policies, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90 days", Duration(90, "days")), ("1 Year", Duration(1, "years")),
     ("24months", Duration(24, "months")), (" 2 weeks ", Duration(2, "weeks"))],
)  # fmt: skip
def test_parse(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "0 days", "-3 days", "3 fortnights", "1.5 years"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_calendar_months() -> None:
    moment = datetime(2026, 3, 31, 8, tzinfo=UTC)
    assert Duration(1, "months").before(moment) == datetime(2026, 2, 28, 8, tzinfo=UTC)
    assert Duration(2, "years").before(moment) == datetime(2024, 3, 31, 8, tzinfo=UTC)
    assert Duration(13, "months").before(moment) == datetime(2025, 2, 28, 8, tzinfo=UTC)
    assert Duration(10, "days").before(moment) == datetime(2026, 3, 21, 8, tzinfo=UTC)


def test_policies_name_the_table() -> None:
    with pytest.raises(ValueError, match="unknown table 'customers'"):
        check_policies({"customers": "1 day"})
    with pytest.raises(ValueError, match="^events: "):
        check_policies({"events": "forever"})
