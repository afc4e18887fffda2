from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from cxloop.collect.surveys import load_surveys, stored_surveys, sync_surveys
from cxloop.config import Settings
from cxloop.storage import Warehouse, open_warehouse


def test_sync_is_idempotent_per_id_and_version(project: Settings, tmp_path: Path) -> None:
    definitions = load_surveys(project.project)
    with open_warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}") as wh:
        first = sync_surveys(wh, definitions, now=datetime(2026, 1, 1, tzinfo=UTC))
        assert first.added == [
            "ambassador-programme", "billing-ces", "customer-centricity",
            "employee-customer-centricity", "employee-engagement", "employee-enps",
            "employee-wellbeing", "post-delivery", "support-csat",
        ]  # fmt: skip
        again = sync_surveys(wh, definitions)
        assert again.unchanged == first.added and not again.added and not again.updated
        bumped = definitions["post-delivery"].model_copy(update={"version": 2})
        report = sync_surveys(wh, {"post-delivery": bumped})
        assert report.updated == ["post-delivery"]
        rows = _rows(wh)
        assert len(rows) == 9 and rows["post-delivery"]["version"] == 2
        stored = json.loads(rows["post-delivery"]["definition"])
        assert stored["questions"][0]["id"] == "nps"
        assert rows["post-delivery"]["name"] == "How was your delivery?"
        assert stored_surveys(wh)["post-delivery"] == bumped


def _rows(wh: Warehouse) -> dict[str, dict]:
    frame = wh.to_pandas(wh.table("surveys"))
    return {r["survey_id"]: r for r in frame.to_dict("records")}
