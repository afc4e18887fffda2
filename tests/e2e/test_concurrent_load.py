"""The collector and the dashboard under concurrent load on loopback, bounded in count and time.

Collector clients send batches while readers load dashboard pages, all at once, against the
real app under uvicorn. Every request must be answered 200 within the time cap, and every
acknowledged event must be stored exactly once. (Figures for larger numbers:
``python -m benchmarks.dashboard_load`` and ``benchmarks.collector_load``, in
docs/benchmarks.md.)
"""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import httpx
import pytest

from browser.live_server import serve
from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import open_warehouse
from feedback_data import build_feedback

pytestmark = pytest.mark.slow
SENDERS, BATCHES, EVENTS = 4, 8, 10
READERS, PAGE_LOADS = 4, 6
PAGES = ("/", "/feedback", "/scorecard", "/customers", "/v1/feedback", "/v1/kpis")
CAP_S = 180.0  # the whole load, on a busy two-core machine


def test_collector_and_dashboard_under_concurrent_load(tmp_path: Path) -> None:
    init_project(tmp_path / "acme")
    settings = Settings.load(project=tmp_path / "acme", collector_rate_limit=1e6)
    warehouse = open_warehouse(settings.warehouse_url)
    build_feedback(warehouse)
    api_key = add_key(warehouse, "api", role="agent")[1]
    write_key = add_key(warehouse, "write", source="load")[1]
    basic = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
    statuses: list[tuple[str, int]] = []
    acked: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + CAP_S

    def sender(n: int, base: str) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": basic}, timeout=60) as client:
            for b in range(BATCHES):
                if time.monotonic() > deadline:
                    return
                ids = [f"s{n}-b{b}-e{e}" for e in range(EVENTS)]
                body = {"batch": [{"type": "track", "userId": f"u{n}", "event": "Clicked",
                                   "messageId": i} for i in ids]}  # fmt: skip
                status = client.post("/v1/batch", json=body).status_code
                with lock:
                    statuses.append(("/v1/batch", status))
                    if status == 200:
                        acked.extend(ids)

    def reader(n: int, base: str) -> None:
        headers = {"Authorization": f"Bearer {api_key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            for r in range(PAGE_LOADS):
                if time.monotonic() > deadline:
                    return
                path = PAGES[(n + r) % len(PAGES)]
                status = client.get(path).status_code
                with lock:
                    statuses.append((path, status))

    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            threads = [threading.Thread(target=sender, args=(n, base)) for n in range(SENDERS)]
            threads += [threading.Thread(target=reader, args=(n, base)) for n in range(READERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(CAP_S + 30)
        assert time.monotonic() <= deadline, "the load did not finish in its time cap"
        assert len(statuses) == SENDERS * BATCHES + READERS * PAGE_LOADS
        assert {status for _, status in statuses} == {200}, sorted(set(statuses))
        rows = warehouse.ibis.raw_sql(
            "SELECT event_id, count(*) FROM events GROUP BY event_id"
        ).fetchall()
        stored = dict(rows)
        assert len(acked) == SENDERS * BATCHES * EVENTS
        assert all(stored.get(f"load:{m}") == 1 for m in acked)
    finally:
        warehouse.close()
