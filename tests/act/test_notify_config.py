"""notifications.yaml: checked with file:line errors, secrets from the environment only; quiet
hours across midnight and daylight saving; the messages' shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cxloop.act.notify_config import (
    NOTIFICATIONS_FILE,
    load_notifications_file,
    load_notify_config,
)
from cxloop.act.notify_messages import CaseFacts, customer_acknowledgement, slack_body
from cxloop.act.quiet_hours import quiet_hours_for, release_time
from cxloop.config import Settings
from cxloop.domain.notification import QuietHours
from cxloop.errors import ConfigError
from cxloop.project import starter_files


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / NOTIFICATIONS_FILE
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("channels:\n  - id: a\n    type: email\n    to: [lead, nobody]\n", ":4: channels.0.to.1",
         "neither an e-mail address"),
        ("channels:\n  - id: a\n    type: webhook\n    url: ftp://x\n    secret_env: S\n",
         ":4: channels.0.url", "http"),
        ("channels:\n  - id: a\n    type: webhook\n    url: https://x.example\n",
         ":2: channels.0.secret_env", "Field required"),
        ("channels:\n  - id: a\n    type: pager\n", ":3: channels.0.type", "email"),
        ("channels:\n  - id: a\n    type: slack\n    url: https://h.example/x\n"
         "  - id: a\n    type: slack\n    url_env: U\n", ":5: channels.1.id", "used twice"),
        ("quiet_hours:\n  start: '25:00'\n  end: '08:00'\n", ":2: quiet_hours.start", "HH:MM"),
        ("teams:\n  web: {start: '21:00', end: '08:00', timezone: Mars/Base}\n",
         ":2: teams.web.timezone", "unknown time zone"),
        ("channels:\n  - id: a\n    type: email\n    to: [lead]\n    events: [closed]\n",
         ":5: channels.0.events.0", "opened"),
    ],
)  # fmt: skip
def test_mistakes_name_the_file_line_and_field(tmp_path, text, where, says) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_notifications_file(path)
    message = caught.value.message
    assert message.startswith(f"{path}{where}:"), message
    assert says in message


def test_secrets_come_from_the_environment_and_the_starter_file_is_empty(tmp_path) -> None:
    write(
        tmp_path,
        "channels:\n  - id: hook\n    type: webhook\n    url: https://h.example\n"
        "    secret_env: HOOK\n  - id: chat\n    type: slack\n    url_env: CHAT\n",
    )
    settings = Settings.load(tmp_path)
    config = load_notify_config(settings, {"HOOK": "s3cret"})
    assert config.secrets == {"hook": "s3cret"} and config.slack_urls == {"chat": None}
    assert config.active
    (tmp_path / NOTIFICATIONS_FILE).write_text(
        starter_files()[NOTIFICATIONS_FILE], encoding="utf-8"
    )
    assert not load_notify_config(settings, {}).active
    with pytest.raises(ConfigError, match="no notification channel 'nope'"):
        config.channel("nope")


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


NIGHT = QuietHours(start="21:00", end="08:00", timezone="Europe/Madrid")


@pytest.mark.parametrize(
    ("moment", "priority", "expected"),
    [
        ((12, 1, 19), "high", (12, 1, 19)),
        ((12, 1, 20), "high", (12, 2, 7)),
        ((12, 2, 3), "low", (12, 2, 7)),
        ((12, 2, 3), "urgent", (12, 2, 3)),
        # summer time: 08:00 in Madrid is 06:00 UTC
        ((7, 1, 23), "high", (7, 2, 6)),
    ],
)  # fmt: skip
def test_quiet_hours_defer_to_the_end_of_the_window(moment, priority, expected) -> None:
    assert release_time(at(*moment), NIGHT, "UTC", priority) == at(*expected)


def test_a_daytime_window_and_the_urgent_setting() -> None:
    lunch = QuietHours(start="12:00", end="13:00", urgent_overrides=False)
    at = datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
    assert release_time(at, lunch, "UTC", "urgent") == datetime(2026, 12, 1, 13, tzinfo=UTC)
    assert release_time(at, lunch, "Asia/Tokyo", "low") == at  # 21:30 in Tokyo


def test_the_recipients_window_beats_the_teams_and_the_default() -> None:
    own, team, default = (QuietHours(start=f"{h}:00", end="23:00") for h in ("10", "11", "12"))
    kw = {"default": default, "teams": {"web": team}, "recipients": {"a@x.example": own}}
    assert quiet_hours_for("A@X.example".lower(), "web", **kw) is own
    assert quiet_hours_for("b@x.example", "web", **kw) is team
    assert quiet_hours_for(None, "billing", **kw) is default


def test_slack_text_is_escaped_and_the_acknowledgement_speaks_the_language() -> None:
    facts = CaseFacts(
        case_id="case_1", title="<b>Refund</b> & more", priority="high", team_id="web",
        customer_id="C1", topic="t", rule_id="r", status="open", assignee=None, due_at=None,
        event_id="e1", event_kind="opened", event_ts=datetime(2026, 12, 1, tzinfo=UTC),
        actor="system:loop", note=None,
    )  # fmt: skip
    payload = json.loads(slack_body(facts, "https://cx.example"))
    headline = payload["blocks"][0]["text"]["text"]
    assert "&lt;b&gt;Refund&lt;/b&gt; &amp; more" in headline
    assert "<https://cx.example/cases/case_1|" in headline
    assert customer_acknowledgement("es", "Bea", "Acme")[0].startswith("Estamos en ello")
    assert "Hola Bea" in customer_acknowledgement("es-MX", "Bea", "Acme")[1]
    assert customer_acknowledgement("zh", None, "Acme")[0].startswith("我们正在处理")
    assert customer_acknowledgement("fr", "Zoé", "Acme")[0].startswith("We are on it")
