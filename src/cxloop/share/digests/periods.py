"""The periods digests cover: a team digest's week and a progress e-mail's month.

A digest week is the seven days that end the day before the ``digest_weekday`` (Monday to
Sunday when digests go out on Mondays). A progress e-mail covers the last calendar month that
has ended by the week's last day. Each period has a ``key`` that names it in the ``digests``
log, so a second run for the same period sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cxloop.errors import ConfigError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class DigestPeriod:
    """Days ``start`` to ``end`` (both included) in the digest's time zone."""

    kind: str
    start: date
    end: date
    timezone: str = "UTC"

    @property
    def key(self) -> str:
        """``week:2026-11-29`` (the week's last day) or ``month:2026-11``."""
        if self.kind == "month":
            return f"month:{self.start:%Y-%m}"
        return f"week:{self.end.isoformat()}"

    @property
    def since(self) -> datetime:
        """The first instant of the period, in UTC."""
        return _midnight(self.start, self.timezone)

    @property
    def until(self) -> datetime:
        """The first instant after the period, in UTC."""
        return _midnight(self.end + timedelta(days=1), self.timezone)

    def previous(self) -> DigestPeriod:
        """The period of the same kind just before this one."""
        if self.kind == "month":
            return month_period(self.start - timedelta(days=1), self.timezone)
        return week_period(self.start - timedelta(days=1), self.timezone)


def zone(name: str) -> ZoneInfo:
    """The time zone ``name``; :class:`ConfigError` when there is none by that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"setting 'digest_timezone': unknown time zone {name!r} (e.g. Europe/Madrid)"
        ) from None


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone(timezone)).astimezone(UTC)


def week_period(end: date, timezone: str = "UTC") -> DigestPeriod:
    """The seven days ending on ``end``."""
    return DigestPeriod("week", end - timedelta(days=6), end, timezone)


def month_period(day: date, timezone: str = "UTC") -> DigestPeriod:
    """The calendar month of ``day``."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return DigestPeriod("month", first, following - timedelta(days=1), timezone)


def last_week_end(today: date, weekday: str) -> date:
    """The last day of the latest digest week that has ended before ``today``.

    Examples
    --------
    >>> last_week_end(date(2026, 12, 2), "monday")  # a Wednesday: the week ended on Sunday
    datetime.date(2026, 11, 29)
    """
    send_day = WEEKDAYS.index(weekday)
    back = (today.weekday() - send_day) % 7
    return today - timedelta(days=back + 1)


def month_for_week(week: DigestPeriod) -> DigestPeriod:
    """The last calendar month that has ended by the week's last day."""
    after = week.end + timedelta(days=1)
    if after.day == 1:
        return month_period(week.end, week.timezone)
    return month_period(after.replace(day=1) - timedelta(days=1), week.timezone)


def due_week_end(now: datetime, weekday: str, hour: int, timezone: str) -> date:
    """The last day of the latest week whose digest is due at ``now``: its send day and hour
    (in ``timezone``) have come."""
    local = now.astimezone(zone(timezone))
    end = last_week_end(local.date(), weekday)
    send_at = datetime.combine(end + timedelta(days=1), time(hour), tzinfo=local.tzinfo)
    return end if local >= send_at else end - timedelta(days=7)
