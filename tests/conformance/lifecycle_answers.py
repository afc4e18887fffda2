"""The conformance suite's last stages, which change the demo company: ``cxloop erase`` of one
customer, then ``cxloop serve`` as its own process taking collector traffic.

Both run on the warehouse :func:`conformance.answers.demo_answers` built (no second build):
the erasure while it is open, the server after it is closed (a DuckDB file and a Spark
folder take one writing process at a time).
"""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from cxloop.access.keys import add_key
from cxloop.config import Settings
from cxloop.privacy.erasure import erase_customer, person_rows
from cxloop.privacy.person import Person, gather_person
from cxloop.project import open_project_warehouse
from cxloop.storage import Warehouse
from cxloop.storage.schema import canonical_tables

#: how long a server may take to answer /healthz (a JVM start on a loaded machine)
SERVE_START_S = 300
#: the collector traffic the server takes
SERVED_EVENTS = 5
SERVED_NAME = "Conformance Served"


def erasure_answers(wh: Warehouse, settings: Settings) -> dict[str, Any]:
    """Erase the first customer (by id) who has a case; return the rows deleted and
    scrubbed per table and every cell of any table still naming them (none, if it worked)."""
    cases = wh.table("cases")
    ids = wh.to_pandas(cases.filter(cases.customer_id.notnull()).select("customer_id"))
    customer_id = str(min(ids["customer_id"]))
    person = gather_person(wh, customer_id)
    report = erase_customer(wh, settings, customer_id, actor="cli:conformance")
    left = {name: n for name, n in person_rows(wh, person).items() if n and name != "audit_log"}
    return {
        "rows": report.rows,
        "scrubbed": report.scrubbed,
        "rows_left": left,
        "references_left": references(wh, person),
    }


def _needles(person: Person) -> list[str]:
    return sorted(
        {
            *person.identifiers(),
            *person.feedback_ids,
            *person.case_ids,
            *person.event_ids,
            *person.invitation_ids,
        }
    )


def references(wh: Warehouse, person: Person) -> list[str]:
    """``table.column: value`` for every cell of every canonical table that names the person
    (one of their ids, e-mail addresses or phone numbers, as a whole word)."""
    words = [re.escape(n) for n in _needles(person) if n]
    pattern = re.compile(r"(?<![0-9A-Za-z_])(?:" + "|".join(words) + r")(?![0-9A-Za-z_])")
    present = set(wh.backend.list_tables())
    found: list[str] = []
    for name in sorted(canonical_tables()):
        if name not in present or not wh.backend.count(name):
            continue
        data = wh.to_pyarrow(wh.table(name))
        for column in data.column_names:
            for value in data.column(column).to_pylist():
                if isinstance(value, str) and pattern.search(value):
                    found.append(f"{name}.{column}: {value[:80]!r}")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_key(wh: Warehouse) -> str:
    """A collector write key for the server stage (made while the warehouse is open)."""
    return add_key(wh, "write", source="conformance")[1]


def serve_answers(settings: Settings, key: str, log: Path) -> dict[str, Any]:
    """Run ``cxloop serve`` on the project's (closed) warehouse, send it a batch of events,
    stop it with Ctrl-C; return what it answered and what it stored."""
    port = _free_port()
    cxloop = Path(sys.executable).with_name("cxloop")
    command = [str(cxloop)] if cxloop.exists() else [sys.executable, "-m", "cxloop"]
    env = {**os.environ, "CXLOOP_WAREHOUSE": settings.warehouse_url,
           "CXLOOP_SECRET_KEY": str(settings.secret_key)}  # fmt: skip
    with log.open("ab") as errors:
        server = subprocess.Popen(
            [*command, "--project", str(settings.project), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        health = _wait_healthy(server, base, log)
        token = base64.b64encode(f"{key}:".encode()).decode()
        batch = {"batch": [{"type": "track", "anonymousId": "conformance-visitor",
                            "event": SERVED_NAME, "messageId": f"conformance-{i}"}
                           for i in range(SERVED_EVENTS)]}  # fmt: skip
        sent = httpx.post(f"{base}/v1/batch", json=batch, timeout=120,
                          headers={"Authorization": f"Basic {token}"})  # fmt: skip
        login = httpx.get(f"{base}/login", timeout=120).status_code
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    with open_project_warehouse(settings) as wh:
        events = wh.table("events")
        stored = wh.to_pandas(events.filter(events.name == SERVED_NAME).count().as_table())
    return {
        "healthz": {k: v for k, v in health.items() if k != "version"},
        "batch_status": sent.status_code,
        "login_status": login,
        "events_stored": int(stored.iloc[0, 0]),
        "exit_code": server.returncode,
    }


def _wait_healthy(server: subprocess.Popen[bytes], base: str, log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + SERVE_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"cxloop serve exited: {log.read_text()[-2000:]}")
        try:
            response = httpx.get(f"{base}/healthz", timeout=5)
            if response.status_code == 200:
                return dict(response.json())
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"cxloop serve did not answer in {SERVE_START_S} s: {log.read_text()}")
