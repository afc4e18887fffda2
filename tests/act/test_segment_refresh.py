"""Refreshing a project's segments calls each webhook, signed, once per change."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cxloop.act.segment_refresh import refresh_segments
from cxloop.act.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from segment_tables import add_shop
from webhook_receiver import webhook_receiver


def _define(settings: Settings, url: str) -> None:
    folder = settings.project / "segments"
    (folder / "spanish.yaml").write_text(
        f'id: spanish\nname: Spanish speakers\nrule: language == "es"\n'
        f"webhook:\n  url: {url}\n  secret_env: SPANISH_SECRET\n",
        encoding="utf-8",
    )
    (folder / "buyers.yaml").write_text(
        f"id: buyers\nname: Buyers\nrule: orders_total >= 1\nwebhook:\n  url: {url}\n",
        encoding="utf-8",
    )


def test_refresh_signs_with_the_env_secret_and_skips_unsigned_hooks(project: Settings) -> None:
    with open_project_warehouse(project) as wh:
        add_shop(wh)
    with webhook_receiver() as receiver:
        _define(project, receiver.url)
        with open_project_warehouse(project) as wh:
            results = refresh_segments(wh, project, environ={"SPANISH_SECRET": "olé"})
            again = refresh_segments(wh, project, environ={"SPANISH_SECRET": "olé"})
    by_id = {r.segment_id: r for r in results}
    assert by_id["spanish"].webhook == "delivered" and by_id["spanish"].entered == ["c2", "c4"]
    assert by_id["buyers"].webhook == "no_secret"  # no env var, no setting: not called
    assert all(r.webhook is None and r.refresh_id is None for r in again)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verify_signature("olé", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    document = json.loads(body)
    assert document["event"] == "segment.membership_changed"
    assert document["entered"] == ["c2", "c4"] and document["left"] == []
    # the demo shop's newest activity is an NPS answer on 2025-07-05: windows end just after it
    assert document["as_of"].startswith("2025-07-05T00:00:01")


def test_the_settings_secret_and_the_as_of_setting(project: Settings) -> None:
    with open_project_warehouse(project) as wh:
        add_shop(wh)
    with webhook_receiver([500]) as receiver:
        _define(project, receiver.url)
        settings = Settings.load(
            project=project.project,
            segment_webhook_secrets={"buyers": "b-secret"},
            segments_as_of="2024-12-31",
        )
        with open_project_warehouse(settings) as wh:
            results = refresh_segments(wh, settings, ids=["buyers"], backoff_s=0.01)
            tries = wh.to_pandas(wh.table("webhook_deliveries"))
    assert [r.segment_id for r in results] == ["buyers"]
    assert results[0].as_of == datetime(2025, 1, 1, tzinfo=UTC)
    assert results[0].entered == ["c2", "c4", "c5"]  # orders before 2025 only
    assert results[0].webhook == "delivered"
    assert sorted(tries["status_code"]) == [200, 500]
    headers, body = receiver.received[-1]
    assert verify_signature("b-secret", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
