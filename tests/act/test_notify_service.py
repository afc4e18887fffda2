"""Notifications while the server runs: the loop's cases are written with their notifications,
the periodic dispatcher sends them, an edited notifications.yaml applies without a restart, and
a broken one is logged while the last good one stays."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from act.case_data import DETRACTOR_RULE, NOW, add_company, add_feedback, hours_ago, write_rules
from cxloop.act.loop_service import LoopService
from cxloop.act.notify_service import NotifyService
from cxloop.config import Settings
from webhook_receiver import webhook_receiver


def hook(url: str, events: str = "[opened]") -> str:
    return (
        "channels:\n  - id: hook\n    type: webhook\n"
        f"    url: {url}\n    secret_env: HOOK\n    events: {events}\n"
    )


def test_the_server_writes_and_periodically_sends(warehouse, tmp_path: Path) -> None:
    add_company(warehouse)
    add_feedback(warehouse, "F1", "C1", hours_ago(1), nps=2)
    write_rules(tmp_path, detractor=DETRACTOR_RULE)
    settings = Settings.load(project=tmp_path, loop_interval_s=0, notify_interval_s=0.05)
    with webhook_receiver() as receiver:
        (tmp_path / "notifications.yaml").write_text(hook(receiver.url), encoding="utf-8")
        notify = NotifyService(warehouse, settings, {"HOOK": "k"})
        loop = LoopService(warehouse, settings, notify)
        report = loop.run_once(feedback_ids=["F1"], now=NOW)
        assert report is not None and len(report.opened) == 1
        notify.start()
        try:
            deadline = time.monotonic() + 10
            while not receiver.received and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            notify.stop()
    [(_, body)] = receiver.received
    assert json.loads(body)["case"]["id"] == report.opened[0].case_id


def test_an_edit_applies_and_a_mistake_keeps_the_last_good_file(
    warehouse, tmp_path: Path, caplog
) -> None:
    path = tmp_path / "notifications.yaml"
    path.write_text(hook("https://a.example/x"), encoding="utf-8")
    service = NotifyService(warehouse, Settings.load(project=tmp_path), {})
    first = service.config()
    assert first is not None and first.file.channels[0].url == "https://a.example/x"
    path.write_text(hook("https://b.example/y"), encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))
    second = service.config()
    assert second is not None and second.file.channels[0].url == "https://b.example/y"
    path.write_text(hook("nope"), encoding="utf-8")
    os.utime(path, (time.time() + 10, time.time() + 10))
    with caplog.at_level(logging.WARNING, logger="cxloop.notify"):
        kept = service.config()
    assert kept is second and "notifications.yaml:4: channels.0.url" in caplog.text
    assert service.notifier() is not None
