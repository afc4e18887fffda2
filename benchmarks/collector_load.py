"""Collector load: group commit against one transaction per request, in one run.

Starts ``cxloop``'s app under uvicorn in a subprocess on a loopback port (a fresh project per
run), and 50 concurrent clients (asyncio + httpx, in this process) send Segment ``/v1/batch``
requests of unique events: first browser-style (1 event per request), then library-style (20
events per request). Each scenario runs with group commit on (the default) and with
``CollectorOptions(group_commit=False)``: every request in its own transaction, committed in the
request's thread, the baseline. A request counts only when it is answered 200, which means its
rows are committed. After each run the warehouse is opened and every acknowledged event must be
in it. Bounded: a fixed number of requests per client and a time cap per run.

    python -m benchmarks.collector_load [--quick] [--clients 50] [--requests 40]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyarrow as pa

from cxloop.access.keys import add_key
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse

SCENARIOS = (("1 event/request", 1), ("20 events/request", 20))
MODES = ("group commit", "one transaction per request")
STATS = "COLLECTOR-STATS"


def serve(project: str, port: int, mode: str) -> None:
    """The server side (run in a subprocess): the real app with the chosen write mode."""
    import uvicorn
    from fastapi import FastAPI

    from cxloop.api import create_app
    from cxloop.collect.collector import CollectorOptions

    settings = Settings.load(project=project, collector_rate_limit=1e9)
    app = create_app(settings)
    app.state.collector_options = CollectorOptions(group_commit=mode == MODES[0])

    def report(app: FastAPI) -> None:
        writer = app.state.collector.writer
        stats = writer.stats if writer is not None else None
        print(STATS, json.dumps(stats.__dict__ if stats else None), flush=True)

    app.state.on_stop.insert(0, report)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(project: Path, mode: str, wait_s: float = 60.0) -> tuple[subprocess.Popen, str]:
    port = free_port()
    code = f"from benchmarks.collector_load import serve; serve({str(project)!r}, {port}, {mode!r})"
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the collector did not start")


class Connection:
    """A minimal keep-alive HTTP/1.1 client: httpx's own CPU time would crowd the server out
    on a small machine, and the clients share it with the server."""

    def __init__(self, host: str, port: int, key: str) -> None:
        self.host, self.port = host, port
        token = base64.b64encode(f"{key}:".encode()).decode()
        self.head = (
            f"Host: {host}:{port}\r\nAuthorization: Basic {token}\r\n"
            "Content-Type: application/json\r\n"
        )

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, document: object) -> int:
        body = json.dumps(document).encode()
        request = f"POST {path} HTTP/1.1\r\n{self.head}Content-Length: {len(body)}\r\n\r\n"
        self.writer.write(request.encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next(
            int(v)
            for k, _, v in (x.partition(":") for x in lines[1:])
            if k.lower() == "content-length"
        )
        await self.reader.readexactly(length)
        return int(lines[0].split()[1])

    def close(self) -> None:
        self.writer.close()


def batch(client: int, request: int, events: int) -> dict:
    return {
        "batch": [
            {
                "type": "track",
                "userId": f"u{client}",
                "event": "Button Clicked",
                "messageId": f"c{client}-r{request}-e{e}",
                "properties": {"button": "buy", "n": request},
            }
            for e in range(events)
        ]
    }


async def load(
    url: str, key: str, *, clients: int, requests: int, events: int, cap_s: float
) -> dict[str, object]:
    """``clients`` concurrent senders, ``requests`` each (or until ``cap_s``)."""
    host, port = url.removeprefix("http://").split(":")
    connections = [Connection(host, int(port), key) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in connections))
    # warm up: every connection once, not measured
    await asyncio.gather(
        *(c.post("/v1/batch", batch(-i - 1, 0, events)) for i, c in enumerate(connections))
    )
    latencies: list[float] = []
    acked: list[str] = []
    errors = 0
    deadline = time.perf_counter() + cap_s

    async def sender(c: int, connection: Connection) -> None:
        nonlocal errors
        for r in range(requests):
            if time.perf_counter() > deadline:
                return
            payload = batch(c, r, events)
            started = time.perf_counter()
            status = await connection.post("/v1/batch", payload)
            if status == 200:
                latencies.append(time.perf_counter() - started)
                acked.extend(m["messageId"] for m in payload["batch"])
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(sender(c, conn) for c, conn in enumerate(connections)))
    elapsed = time.perf_counter() - started
    for connection in connections:
        connection.close()
    latencies.sort()
    return {
        "requests": len(latencies),
        "events": len(acked),
        "errors": errors,
        "seconds": elapsed,
        "events_per_s": len(acked) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "acked": acked,
    }


def preload(settings: Settings, rows: int) -> None:
    """Events already in the warehouse (every append checks its ids against them)."""
    now = datetime.now(UTC)
    with open_project_warehouse(settings) as wh:
        for start in range(0, rows, 500_000):
            n = min(500_000, rows - start)
            wh.append(
                "events",
                pa.table(
                    {
                        "event_id": [f"bench:old-{i}" for i in range(start, start + n)],
                        "source": pa.array(["bench"] * n),
                        "type": pa.array(["track"] * n),
                        "name": pa.array(["Old Event"] * n),
                        "ts": pa.array([now] * n, pa.timestamp("us", tz="UTC")),
                    }
                ),
            )


def run_one(
    work: Path, mode: str, events: int, clients: int, requests: int, cap_s: float, existing: int
) -> dict:
    project = work / f"{mode[:5]}-{events}".replace(" ", "")
    init_project(project)
    settings = Settings.load(project=project)
    with open_project_warehouse(settings) as wh:
        _, key = add_key(wh, "write", source="bench")
    if existing:
        preload(settings, existing)
    process, url = start(project, mode)
    try:
        result = asyncio.run(
            load(url, key, clients=clients, requests=requests, events=events, cap_s=cap_s)
        )
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=60)
    stats = next(
        (json.loads(line.split(" ", 1)[1]) for line in output.splitlines() if STATS in line), None
    )
    result["requests_per_tx"] = stats["items"] / max(1, stats["groups"]) if stats else 1.0
    with open_project_warehouse(settings, read_only=True) as wh:
        t = wh.table("events")
        stored = set(wh.to_pyarrow(t.select("event_id")).column(0).to_pylist())
    acked = result.pop("acked")
    lost = sum(f"bench:{m}" not in stored for m in acked)  # type: ignore[union-attr]
    if lost:
        raise AssertionError(f"{mode}: {lost} acknowledged events are not in the warehouse")
    return result


def to_markdown(
    rows: list[tuple[str, str, dict]], clients: int, existing: int, command: str
) -> str:
    lines = [
        f"Measured on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {clients} concurrent clients on loopback (same machine); "
        f"{existing:,} events already stored; with `{command}`.",
        "",
        "| requests carry | writes | requests | requests / transaction | events/s "
        "| p50 latency | p99 latency | events/s vs baseline |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    baseline = {s: r["events_per_s"] for s, m, r in rows if m == MODES[1]}
    for scenario, mode, r in rows:
        ratio = r["events_per_s"] / baseline[scenario]
        lines.append(
            f"| {scenario} | {mode} | {r['requests']:,} | {r['requests_per_tx']:.1f} "
            f"| {r['events_per_s']:,.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms "
            f"| {ratio:.2f}× |"
        )
    return "\n".join(lines)


def main(
    quick: bool = False, clients: int = 50, requests: int | None = None, existing: int = 0
) -> None:
    requests = requests or (6 if quick else 40)
    cap_s = 20.0 if quick else 60.0
    command = "python -m benchmarks.collector_load" + (" --quick" if quick else "")
    if existing:
        command += f" --existing-events {existing}"
    work = Path(tempfile.mkdtemp(prefix="cxloop-collector-bench-"))
    rows = []
    try:
        for scenario, events in SCENARIOS:
            for mode in MODES:
                result = run_one(work, mode, events, clients, requests, cap_s, existing)
                rows.append((scenario, mode, result))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("## Collector load\n")
    print(to_markdown(rows, clients, existing, command))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="6 requests per client.")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=None, help="Requests per client.")
    parser.add_argument(
        "--existing-events", type=int, default=0, help="Events stored before the run."
    )
    args = parser.parse_args()
    main(
        quick=args.quick,
        clients=args.clients,
        requests=args.requests,
        existing=args.existing_events,
    )
