"""Durability: every request the collector acknowledged survives ``kill -9``, exactly once.

A real ``cxloop serve`` takes concurrent batches; it is killed mid-load; the warehouse is then
opened directly and must hold every acknowledged event once. Re-sending acknowledged batches to
a restarted server must add nothing.
"""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from cxloop.access.keys import add_key
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse

pytestmark = pytest.mark.slow
CLIENTS, BATCH = 8, 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(project: Path, port: int, log: Path) -> subprocess.Popen:
    cxloop = Path(sys.executable).with_name("cxloop")
    command = [str(cxloop)] if cxloop.exists() else [sys.executable, "-m", "cxloop"]
    process = subprocess.Popen(
        [*command, "--project", str(project), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start in 60 s")


def batch_body(client: int, seq: int) -> dict:
    return {
        "batch": [
            {
                "type": "track",
                "userId": f"user-{client}-{seq % 5}",
                "event": "Load Tested",
                "messageId": f"c{client}-s{seq}-m{i}",
                "properties": {"seq": seq, "i": i},
            }
            for i in range(BATCH)
        ]
    }


class Load:
    """Client threads that send batches until stopped (or the server is gone)."""

    def __init__(self, url: str, key: str) -> None:
        self.url, self.stop = url, threading.Event()
        token = base64.b64encode(f"{key}:".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"}
        self.acked: dict[str, dict] = {}  # messageId → the batch it came in
        self.failed = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(c,)) for c in range(CLIENTS)]

    def run(self, client_no: int) -> None:
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=10) as client:
            seq = 0
            while not self.stop.is_set():
                body = batch_body(client_no, seq)
                seq += 1
                try:
                    response = client.post("/v1/batch", json=body)
                except httpx.HTTPError:
                    with self.lock:
                        self.failed += 1
                    time.sleep(0.01)
                    continue
                if response.status_code == 200:
                    with self.lock:
                        for message in body["batch"]:
                            self.acked[message["messageId"]] = body


def event_counts(settings: Settings) -> dict[str, int]:
    with open_project_warehouse(settings) as wh:
        rows = wh.ibis.raw_sql("SELECT event_id, count(*) FROM events GROUP BY event_id").fetchall()
    return {event_id: n for event_id, n in rows}


def test_acknowledged_events_survive_kill_9_exactly_once(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    init_project(project)
    settings = Settings.load(project=project)
    with open_project_warehouse(settings) as wh:
        _, key = add_key(wh, "write", source="load")
    log = tmp_path / "server.log"
    port = free_port()
    server = start_server(project, port, log)
    load = Load(f"http://127.0.0.1:{port}", key)
    try:
        for thread in load.threads:
            thread.start()
        time.sleep(2.0)
        acked_before_kill = len(load.acked)
        os.kill(server.pid, signal.SIGKILL)  # mid-load: requests are in flight
        server.wait(10)
        time.sleep(0.5)
    finally:
        load.stop.set()
        for thread in load.threads:
            thread.join(15)
        if server.poll() is None:
            server.kill()
    assert acked_before_kill >= 10 * BATCH, "too little load reached the server"
    assert load.failed > 0, "the kill did not interrupt the load"

    counts = event_counts(settings)
    missing = [m for m in load.acked if f"load:{m}" not in counts]
    assert not missing, f"{len(missing)} acknowledged events lost, e.g. {missing[:3]}"
    assert set(counts.values()) == {1}
    assert len(counts) >= len(load.acked)

    # a restarted server takes retries of acknowledged batches without duplicating them
    server = start_server(project, port, log)
    try:
        resend = list({id(b): b for b in load.acked.values()}.values())[:10]
        with httpx.Client(base_url=load.url, headers=load.headers, timeout=10) as client:
            for body in resend:
                assert client.post("/v1/batch", json=body).status_code == 200
            assert client.post("/v1/batch", json=batch_body(99, 0)).status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    after = event_counts(settings)
    assert set(after.values()) == {1}
    assert len(after) == len(counts) + BATCH
