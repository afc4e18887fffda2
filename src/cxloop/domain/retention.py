"""Retention policies: which tables may be trimmed by age, by which time column, and the
durations a policy is written in (``"24 months"``, ``"90 days"``).

Plain data and parsing only, so that settings can validate a policy when they load; the
deletion itself is :func:`cxloop.privacy.retention.apply_retention`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

#: table → the column whose age decides (rows older than the policy are deleted)
RETENTION_TABLES: dict[str, str] = {
    "events": "ts",
    "orders": "ts",
    "feedback": "ts",
    "survey_invitations": "ts",
    "survey_responses": "ts",
    "segment_members": "computed_at",
    "identity_links": "ts",
    "tracking_violations": "ts",
    "webhook_deliveries": "ts",
    "web_sessions": "expires_at",
    "employee_pulses": "ts",
    "audit_log": "ts",
}

_UNITS = {
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}
_DURATION = re.compile(r"^\s*(\d{1,5})\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class Duration:
    """A whole number of days, weeks, months or years."""

    amount: int
    unit: str  # days, weeks, months or years

    def before(self, moment: datetime) -> datetime:
        """The moment this long before ``moment`` (calendar months: 31 March - 1 month is the
        last day of February)."""
        if self.unit == "days":
            return moment - timedelta(days=self.amount)
        if self.unit == "weeks":
            return moment - timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "years" else 1)
        index = moment.year * 12 + (moment.month - 1) - months
        year, month = divmod(index, 12)
        month += 1
        day = min(moment.day, _days_in_month(year, month))
        return moment.replace(year=year, month=month, day=day)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


def _days_in_month(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def parse_duration(text: str) -> Duration:
    """``"24 months"`` → ``Duration(24, "months")``; a ValueError says what is wrong.

    Examples
    --------
    >>> parse_duration("90 days")
    Duration(amount=90, unit='days')
    """
    match = _DURATION.match(str(text).lower())
    if match is None or match.group(2) not in _UNITS:
        raise ValueError(
            f"{text!r} is not a duration: write a whole number and days, weeks, months or "
            "years, e.g. '90 days' or '24 months'"
        )
    amount = int(match.group(1))
    if amount < 1:
        raise ValueError(f"{text!r}: a retention period must be at least 1")
    return Duration(amount, _UNITS[match.group(2)])


def check_policies(policies: dict[str, str]) -> dict[str, str]:
    """Check every table and duration of a ``retention`` setting; return it unchanged."""
    for table, text in policies.items():
        if table not in RETENTION_TABLES:
            raise ValueError(
                f"unknown table {table!r}: retention applies to "
                + ", ".join(sorted(RETENTION_TABLES))
            )
        try:
            parse_duration(text)
        except ValueError as exc:
            raise ValueError(f"{table}: {exc}") from None
    return policies
