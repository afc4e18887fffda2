"""Notifications of the closed loop: the ``notifications.yaml`` file (channels, which case
events notify whom, quiet hours) and the outbox and delivery records. See
docs/notifications.md."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cxloop.domain.case import Priority
from cxloop.domain.definitions import FieldValueError

#: the case events that can notify
NOTIFY_EVENTS: tuple[str, ...] = ("opened", "escalated", "assigned", "resolved", "reopened")
NotifyEvent = Literal["opened", "escalated", "assigned", "resolved", "reopened"]
#: recipients an e-mail channel may name besides plain addresses
TEAM, LEAD, ASSIGNEE = "team", "lead", "assignee"
ROLE_RECIPIENTS: tuple[str, ...] = (TEAM, LEAD, ASSIGNEE)
CHANNEL_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: how a notification stands, derived from its tries (see docs/notifications.md)
NotificationStatus = Literal["deferred", "pending", "retrying", "sent", "failed"]
NOTIFICATION_STATUSES: tuple[str, ...] = ("deferred", "pending", "retrying", "sent", "failed")


def parse_clock(value: str) -> time:
    """``"21:00"`` → ``time(21, 0)``; ValueError for anything but ``HH:MM``."""
    match = _CLOCK.match(value)
    if match is None:
        raise ValueError(f"expected a time of day as HH:MM (00:00 to 23:59), got {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


def check_timezone(value: str | None) -> str | None:
    """A valid IANA time zone name, unchanged; ValueError otherwise."""
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use an IANA name: Europe/Madrid)") from None
    return value


class QuietHours(BaseModel):
    """A daily window (``start``–``end`` in ``timezone``, across midnight when ``end`` is
    earlier) in which notifications wait; ``urgent_overrides`` lets urgent cases through."""

    model_config = ConfigDict(extra="forbid")

    start: str = Field(description="Start of the quiet window, HH:MM.")
    end: str = Field(description="End of the quiet window, HH:MM.")
    timezone: str | None = Field(
        default=None, description="IANA time zone; default: the project's timezone setting."
    )
    urgent_overrides: bool = Field(default=True, description="Urgent cases are not deferred.")

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        parse_clock(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return check_timezone(value)


class _Channel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=CHANNEL_ID_PATTERN, description="Stable id: a-z, 0-9, _ and -.")
    events: list[NotifyEvent] = Field(
        default_factory=lambda: list(NOTIFY_EVENTS),  # type: ignore[arg-type]
        description="Case events that notify.",
    )
    priorities: list[Priority] | None = Field(
        default=None, description="Only cases of these priorities (default: all)."
    )
    teams: list[str] | None = Field(
        default=None, description="Only cases of these owning teams (default: all)."
    )
    enabled: bool = True


class EmailChannel(_Channel):
    """E-mail to people: ``team`` (the owning team's members), ``lead`` (its manager),
    ``assignee`` (whom the case is assigned to) and plain addresses."""

    type: Literal["email"]
    to: list[str] = Field(min_length=1)

    @field_validator("to")
    @classmethod
    def _recipients(cls, values: list[str]) -> list[str]:
        for k, value in enumerate(values):
            if value not in ROLE_RECIPIENTS and not _EMAIL.match(value):
                raise FieldValueError(
                    f"{value!r} is neither an e-mail address nor one of "
                    f"{', '.join(ROLE_RECIPIENTS)}",
                    (k,),
                )
        return values


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
    return value


class WebhookChannel(_Channel):
    """A signed JSON webhook; the secret is read from the environment variable
    ``secret_env`` (never written to the file or the warehouse)."""

    type: Literal["webhook"]
    url: str
    secret_env: str = Field(description="Name of the environment variable holding the secret.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value)

    @field_validator("secret_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not _ENV_NAME.match(value):
            raise ValueError(f"expected an environment variable name, got {value!r}")
        return value


class SlackChannel(_Channel):
    """A Slack-compatible incoming webhook (``text`` and ``blocks``); the URL is the secret."""

    type: Literal["slack"]
    url: str | None = Field(default=None, description="The incoming webhook's URL.")
    url_env: str | None = Field(
        default=None, description="Or: the environment variable holding the URL."
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)

    @field_validator("url_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError(f"expected an environment variable name, got {value!r}")
        return value

    @model_validator(mode="after")
    def _one_url(self) -> SlackChannel:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give either url or url_env (not both)")
        return self


Channel = Annotated[EmailChannel | WebhookChannel | SlackChannel, Field(discriminator="type")]


class NotificationsFile(BaseModel):
    """The project's ``notifications.yaml``."""

    model_config = ConfigDict(extra="forbid")

    channels: list[Channel] = Field(default_factory=list)
    quiet_hours: QuietHours | None = Field(default=None, description="Everybody's default.")
    teams: dict[str, QuietHours] = Field(
        default_factory=dict, description="Team id → its quiet hours (in its time zone)."
    )
    recipients: dict[str, QuietHours] = Field(
        default_factory=dict, description="E-mail address → that person's quiet hours."
    )
    max_attempts: int = Field(default=5, ge=1, le=20, description="Tries of one notification.")
    backoff_seconds: float = Field(
        default=60.0, gt=0, le=86_400, description="Wait before the 2nd try; doubles after."
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> NotificationsFile:
        seen: set[str] = set()
        for k, channel in enumerate(self.channels):
            if channel.id in seen:
                raise FieldValueError(
                    f"channel id {channel.id!r} is used twice", ("channels", k, "id")
                )
            seen.add(channel.id)
        return self


class NotificationRecord(BaseModel):
    """One notification of the outbox and how its delivery stands."""

    notification_id: str
    created_at: datetime
    case_id: str | None
    event_kind: str
    channel_id: str
    channel_type: str
    recipient: str
    subject: str | None
    not_before: datetime
    status: NotificationStatus
    attempts: int
    last_try_at: datetime | None
    last_error: str | None
    next_try_at: datetime | None


class DeliveryTry(BaseModel):
    """One try of a notification (a row of ``webhook_deliveries``)."""

    delivery_id: str
    notification_id: str
    channel_id: str
    recipient: str
    ts: datetime
    attempt: int
    round: int
    ok: bool
    status_code: int | None
    error: str | None
