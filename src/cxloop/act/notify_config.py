"""Loading ``notifications.yaml`` and the settings that go with it into one object.

A mistake names the file and the line: ``notifications.yaml:7: channels.1.url: …``. A
webhook's secret is read from the environment variable the file names, here at the edge
(the CLI or the app factory hands the environment in): library code never reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from cxloop.domain.definitions import FieldValueError, read_yaml
from cxloop.domain.notification import NotificationsFile, SlackChannel, WebhookChannel
from cxloop.errors import ConfigError

if TYPE_CHECKING:
    from cxloop.config import Settings

NOTIFICATIONS_FILE = "notifications.yaml"
_CHANNEL_TYPES = ("email", "webhook", "slack")


@dataclass(frozen=True)
class NotifyConfig:
    """Everything the outbox and the dispatcher need to know.

    Attributes
    ----------
    file
        The parsed ``notifications.yaml`` (empty when the project has none).
    secrets
        Channel id → its webhook secret, None where the variable is unset.
    slack_urls
        Channel id → its Slack incoming-webhook URL (a secret too: never stored).
    timezone
        Quiet hours without a time zone use this one (the ``timezone`` setting).
    acknowledge_customers
        Whether a customer gets an acknowledgement e-mail when a case opens on their
        feedback (setting ``case_acknowledgement_email``).
    customer_consent
        ``opt-in`` or ``opt-out`` for that e-mail (setting ``case_acknowledgement_consent``).
    """

    file: NotificationsFile = field(default_factory=NotificationsFile)
    secrets: dict[str, str | None] = field(default_factory=dict)
    slack_urls: dict[str, str | None] = field(default_factory=dict)
    timezone: str = "UTC"
    acknowledge_customers: bool = False
    customer_consent: str = "opt-in"
    company_name: str = "cxloop"
    base_url: str | None = None
    mail_from: str | None = None
    timeout_s: float = 10.0
    path: Path | None = None

    @property
    def active(self) -> bool:
        """Whether any case event can cause a notification."""
        return self.acknowledge_customers or any(c.enabled for c in self.file.channels)

    def channel(self, channel_id: str) -> Any:
        """The channel with this id; :class:`ConfigError` naming the known ones otherwise."""
        for channel in self.file.channels:
            if channel.id == channel_id:
                return channel
        known = ", ".join(c.id for c in self.file.channels) or "none"
        raise ConfigError(f"no notification channel {channel_id!r} (channels: {known})")


def load_notifications_file(path: str | Path) -> NotificationsFile:
    """Parse and check one ``notifications.yaml``; a missing or empty file has no channels.

    Raises
    ------
    ConfigError
        Naming the file, the line and the field.
    """
    path = Path(path)
    if not path.is_file():
        return NotificationsFile()
    data, lines = read_yaml(path)
    if data is None:
        return NotificationsFile()
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of keys to values at the top level")
    try:
        return NotificationsFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc, lines)) from exc


def _describe(path: Path, exc: ValidationError, lines: dict[tuple[Any, ...], int]) -> str:
    first = exc.errors()[0]
    loc = list(first["loc"])
    # a channel's errors carry its type as an extra step: channels.0.webhook.url
    if len(loc) > 2 and loc[0] == "channels" and loc[2] in _CHANNEL_TYPES:
        del loc[2]
    cause = (first.get("ctx") or {}).get("error")
    message = first["msg"]
    if first["type"] == "union_tag_invalid":
        loc.append("type")
        tag = (first.get("ctx") or {}).get("tag")
        message = f"{tag!r} is not a channel type; use one of {', '.join(_CHANNEL_TYPES)}"
    if isinstance(cause, FieldValueError):
        loc += list(cause.loc)
        message = str(cause)
    line = None
    for n in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:n]))
        if line is not None:
            break
    where = ".".join(str(p) for p in loc) or "(top level)"
    return f"{path}:{line or 1}: {where}: {message}"


def load_notify_config(settings: Settings, environ: Mapping[str, str]) -> NotifyConfig:
    """The project's notification set-up; ``environ`` is where webhook secrets are read.

    Raises
    ------
    ConfigError
        When ``notifications.yaml`` has a mistake.
    """
    path = settings.project / NOTIFICATIONS_FILE
    parsed = load_notifications_file(path)
    secrets = {
        c.id: environ.get(c.secret_env) or None
        for c in parsed.channels
        if isinstance(c, WebhookChannel)
    }
    slack_urls = {
        c.id: c.url or (environ.get(c.url_env) if c.url_env else None) or None
        for c in parsed.channels
        if isinstance(c, SlackChannel)
    }
    return NotifyConfig(
        file=parsed,
        secrets=secrets,
        slack_urls=slack_urls,
        timezone=settings.timezone,
        acknowledge_customers=settings.case_acknowledgement_email,
        customer_consent=settings.case_acknowledgement_consent,
        company_name=settings.company_name,
        base_url=settings.public_base_url,
        mail_from=settings.mail_from,
        timeout_s=settings.notify_timeout_s,
        path=path,
    )
