"""Retention: rows older than a policy go, younger ones stay, the KPI rollup stays exact."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from cxloop.config import Settings
from cxloop.errors import ConfigError
from cxloop.privacy.retention import RetentionService, apply_retention
from cxloop.storage import Warehouse
from cxloop.understand.kpi.rollup import ROLLUP_NAME, refresh_rollup, rollup_is_fresh

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def plant(wh: Warehouse) -> None:
    """Old and recent rows in events, feedback (with analysis), webhook deliveries."""
    days = ["2023-01-10", "2024-12-20", "2025-01-05", "2026-11-01"]
    wh.append_rows(
        "events",
        [{"event_id": f"e{i}", "customer_id": "c1", "name": "Visit", "ts": at(d)}
         for i, d in enumerate(days)],
    )  # fmt: skip
    wh.append_rows(
        "feedback",
        [{"feedback_id": f"f{i}", "customer_id": "c1", "ts": at(d), "nps": 3 * i,
          "team_id": "t1", "imported_at": at("2026-11-02")} for i, d in enumerate(days)],
    )  # fmt: skip
    wh.append_rows(
        "feedback_insights",
        [{"feedback_id": f"f{i}", "sentiment": 0.1} for i in range(len(days))],
    )
    wh.append_rows(
        "webhook_deliveries",
        [{"delivery_id": f"d{i}", "target": "x", "ts": at(d), "ok": True}
         for i, d in enumerate(days)],
    )  # fmt: skip


def ids(wh: Warehouse, table: str, key: str) -> list[str]:
    return sorted(wh.to_pandas(wh.table(table))[key])


def test_old_rows_go_and_the_rollup_stays_exact(warehouse: Warehouse) -> None:
    plant(warehouse)
    refresh_rollup(warehouse)
    policies = {"events": "24 months", "feedback": "2 years", "webhook_deliveries": "90 days"}
    dry = apply_retention(warehouse, policies, now=NOW, dry_run=True)
    assert {t.table: t.rows for t in dry.tables} == {
        "events": 1, "feedback": 1, "webhook_deliveries": 3,
    }  # fmt: skip
    assert warehouse.counts()["events"] == 4  # a dry run deletes nothing
    report = apply_retention(warehouse, policies, now=NOW)
    by_table = {t.table: t for t in report.tables}
    assert by_table["events"].cutoff == at("2024-12-06T12:00:00")
    assert ids(warehouse, "events", "event_id") == ["e1", "e2", "e3"]
    assert ids(warehouse, "feedback", "feedback_id") == ["f1", "f2", "f3"]
    assert ids(warehouse, "feedback_insights", "feedback_id") == ["f1", "f2", "f3"]
    assert ids(warehouse, "webhook_deliveries", "delivery_id") == ["d3"]
    assert report.feedback_insights == 1
    assert rollup_is_fresh(warehouse)
    kept = warehouse.to_pandas(warehouse.table(ROLLUP_NAME)).sort_values("cell_id")
    refresh_rollup(warehouse, full=True)
    rebuilt = warehouse.to_pandas(warehouse.table(ROLLUP_NAME)).sort_values("cell_id")
    pd.testing.assert_frame_equal(
        kept.reset_index(drop=True), rebuilt.reset_index(drop=True), check_dtype=False
    )
    log = warehouse.to_pandas(warehouse.table("audit_log"))
    assert list(log.action) == ["retention"]
    again = apply_retention(warehouse, policies, now=NOW)
    assert again.total == 0 and len(warehouse.to_pandas(warehouse.table("audit_log"))) == 1


def test_a_bad_policy_is_refused_before_anything_is_deleted(warehouse: Warehouse) -> None:
    plant(warehouse)
    with pytest.raises(ConfigError, match="retention.*customers"):
        apply_retention(warehouse, {"events": "1 day", "customers": "1 day"}, now=NOW)
    with pytest.raises(ConfigError, match="retention.*fortnight"):
        apply_retention(warehouse, {"events": "2 fortnights"}, now=NOW)
    assert warehouse.counts()["events"] == 4


def test_settings_name_the_retention_setting(tmp_path) -> None:
    with pytest.raises(ConfigError, match="'retention'.*unknown table 'customers'"):
        Settings.load(project=tmp_path, retention={"customers": "1 day"})
    with pytest.raises(ConfigError, match="'retention'.*events.*not a duration"):
        Settings.load(project=tmp_path, retention={"events": "soon"})
    assert Settings.load(project=tmp_path, retention={"events": "24 months"}).retention


def test_the_server_service_applies_the_policies(warehouse: Warehouse) -> None:
    plant(warehouse)
    service = RetentionService(warehouse, {"events": "1 day"}, interval=3600)
    report = service.run_once()
    assert report is not None and report.total == 4
    assert warehouse.counts()["events"] == 0
    log = warehouse.to_pandas(warehouse.table("audit_log"))
    assert list(log.actor) == ["serve:retention"]
    for idle in (RetentionService(warehouse, {"events": "1 day"}, interval=0),
                 RetentionService(warehouse, {}, interval=3600)):  # fmt: skip
        idle.start()
        assert idle._thread is None
    running = RetentionService(warehouse, {"events": "1 day"}, interval=3600)
    running.start()
    assert running._thread is not None and running._thread.is_alive()
    running.stop()
    assert running._thread is None


def test_a_failing_run_is_logged_not_raised(warehouse: Warehouse, caplog) -> None:
    service = RetentionService(warehouse, {"customers": "1 day"}, interval=3600)
    assert service.run_once() is None
    assert "retention run failed" in caplog.text
