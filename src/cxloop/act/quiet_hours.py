"""Quiet hours: when a notification that falls in a recipient's quiet window may go out.

A window is a time of day in a time zone, ``start``–``end``; when ``end`` is not after
``start`` it runs across midnight (21:00–08:00). A notification that falls inside waits until
the window ends, in that time zone (daylight-saving changes included); it is deferred, never
dropped. Urgent cases go out at once unless the window says ``urgent_overrides: false``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cxloop.domain.notification import QuietHours, parse_clock


def release_time(
    moment: datetime, quiet: QuietHours | None, default_timezone: str, priority: str | None
) -> datetime:
    """When a notification created at ``moment`` may be sent (``moment`` itself, or the end
    of the quiet window it falls in), in UTC.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> q = QuietHours(start="21:00", end="08:00", timezone="Europe/Madrid")
    >>> release_time(datetime(2026, 12, 1, 22, 30, tzinfo=UTC), q, "UTC", "high")
    datetime.datetime(2026, 12, 2, 7, 0, tzinfo=datetime.timezone.utc)
    """
    moment = moment.astimezone(UTC)
    if quiet is None or (priority == "urgent" and quiet.urgent_overrides):
        return moment
    start, end = parse_clock(quiet.start), parse_clock(quiet.end)
    if start == end:
        return moment
    zone = ZoneInfo(quiet.timezone or default_timezone)
    local = moment.astimezone(zone)
    now_t = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= now_t < end
        end_day = local.date()
    else:  # across midnight
        inside = now_t >= start or now_t < end
        end_day = local.date() + timedelta(days=1) if now_t >= start else local.date()
    if not inside:
        return moment
    release = datetime.combine(end_day, end, tzinfo=zone)
    return release.astimezone(UTC)


def quiet_hours_for(
    recipient: str | None, team_id: str | None, *, default: QuietHours | None,
    teams: dict[str, QuietHours], recipients: dict[str, QuietHours],
) -> QuietHours | None:  # fmt: skip
    """The window that applies: the recipient's own, else the team's, else the default."""
    if recipient is not None:
        own = recipients.get(recipient) or recipients.get(recipient.lower())
        if own is not None:
            return own
    if team_id is not None and team_id in teams:
        return teams[team_id]
    return default
