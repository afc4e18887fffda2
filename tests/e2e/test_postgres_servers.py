"""Two ``cxloop serve`` processes on one PostgreSQL warehouse at once (what DuckDB's
single-writer file cannot do): both take the same batches concurrently, each event is stored
once, whichever server wrote it first."""

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
from postgres_server import PostgresServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
CLIENTS, BATCHES, BATCH = 4, 8, 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(project: Path, url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    cxloop = Path(sys.executable).with_name("cxloop")
    command = [str(cxloop)] if cxloop.exists() else [sys.executable, "-m", "cxloop"]
    return subprocess.Popen(
        [*command, "--project", str(project), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
        env={**os.environ, "CXLOOP_WAREHOUSE": url},
    )


def _wait_ready(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 180  # imports take 30 s on a loaded machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not start in 180 s: {log.read_text()}")


def _batch(client: int, seq: int) -> dict[str, object]:
    return {
        "batch": [
            {
                "type": "track",
                "userId": f"user-{client}",
                "event": "Shared Load",
                "messageId": f"c{client}-s{seq}-m{i}",
                "properties": {"seq": seq},
            }
            for i in range(BATCH)
        ]
    }


def test_two_servers_share_one_warehouse(tmp_path: Path, postgres_server: PostgresServer) -> None:
    project = tmp_path / "acme"
    url = postgres_server.new_database("serve")
    init_project(project, warehouse_url=url)
    settings = Settings.load(project=project, warehouse=url)
    with open_project_warehouse(settings) as wh:
        _, key = add_key(wh, "write", source="load")
    token = base64.b64encode(f"{key}:".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / f"server{i}.log" for i in range(2)]
    servers = [_serve(project, url, port, log) for port, log in zip(ports, logs, strict=True)]
    statuses: list[int] = []
    lock = threading.Lock()

    def send(client: int) -> None:
        # every client sends each batch to both servers: the same messageIds arrive twice, at
        # about the same moment, through two processes
        with httpx.Client(headers=headers, timeout=30) as http:
            for seq in range(BATCHES):
                for port in ports:
                    response = http.post(
                        f"http://127.0.0.1:{port}/v1/batch", json=_batch(client, seq)
                    )
                    with lock:
                        statuses.append(response.status_code)

    try:
        for server, port, log in zip(servers, ports, logs, strict=True):
            _wait_ready(server, port, log)
        threads = [threading.Thread(target=send, args=(c,)) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT)
        for server in servers:
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    assert statuses == [200] * (CLIENTS * BATCHES * 2)
    with open_project_warehouse(settings) as wh:
        events = wh.table("events")
        rows = wh.to_pandas(events.group_by("event_id").agg(n=events.count()))
    assert len(rows) == CLIENTS * BATCHES * BATCH
    assert set(rows["n"]) == {1}
