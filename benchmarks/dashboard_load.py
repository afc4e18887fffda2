"""Dashboard under concurrent load, alone and while the collector takes events, in one run.

A fresh project gets ``--rows`` pieces of analysed feedback (as in
``benchmarks.feedback_explorer``); the real app runs under uvicorn in a subprocess on a
loopback port. ``--clients`` concurrent readers (asyncio, a minimal keep-alive HTTP/1.1 client,
an API key as ``Bearer``) then load pages in three scenarios, each bounded by ``--requests``
per client and a time cap:

1. ``/healthz`` — the floor: the same server, HTTP and framework, no query (the baseline);
2. the dashboard pages ``/``, ``/feedback`` and ``/scorecard``, in turn;
3. the same pages while as many collector clients send 20-event batches to ``/v1/batch``.

It prints p50 / p95 latency and requests per second per scenario, the ratio of each p50 to the
baseline's, the collector's events per second during scenario 3, and the load average. Every
answer must be 200 and every acknowledged event must be in the warehouse afterwards.

    python -m benchmarks.dashboard_load [--quick] [--clients 8] [--requests 30] [--rows 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.collector_load import Connection, batch, start
from benchmarks.feedback_explorer import fill
from cxloop.access.keys import add_key
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse

PAGES = ("/", "/feedback", "/scorecard")


class Reader:
    """A keep-alive HTTP/1.1 connection that GETs pages with an API key."""

    def __init__(self, host: str, port: int, key: str) -> None:
        self.host, self.port = host, port
        self.head = f"Host: {host}:{port}\r\nAuthorization: Bearer {key}\r\n"

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def get(self, path: str) -> int:
        self.writer.write(f"GET {path} HTTP/1.1\r\n{self.head}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        else:  # chunked
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        return int(lines[0].split()[1])

    def close(self) -> None:
        self.writer.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def read_pages(
    url: str, key: str, paths: tuple[str, ...], *, clients: int, requests: int, cap_s: float
) -> dict[str, float]:
    """``clients`` readers, ``requests`` GETs each over ``paths`` in turn (or until the cap)."""
    host, port = url.removeprefix("http://").split(":")
    readers = [Reader(host, int(port), key) for _ in range(clients)]
    await asyncio.gather(*(r.open() for r in readers))
    await asyncio.gather(*(r.get(paths[i % len(paths)]) for i, r in enumerate(readers)))  # warm
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + cap_s

    async def reader(n: int, connection: Reader) -> None:
        nonlocal errors
        for r in range(requests):
            if time.perf_counter() > deadline:
                return
            started = time.perf_counter()
            status = await connection.get(paths[(n + r) % len(paths)])
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(reader(n, c) for n, c in enumerate(readers)))
    elapsed = time.perf_counter() - started
    for connection in readers:
        connection.close()
    return {
        "requests": len(latencies),
        "errors": errors,
        "per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * percentile(latencies, 0.95),
    }


async def send_events(url: str, key: str, clients: int, stop: asyncio.Event) -> list[str]:
    """Collector clients sending 20-event batches until ``stop``; the acknowledged ids."""
    host, port = url.removeprefix("http://").split(":")
    connections = [Connection(host, int(port), key) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in connections))
    acked: list[str] = []

    async def sender(c: int, connection: Connection) -> None:
        r = 0
        while not stop.is_set():
            payload = batch(c, r, 20)
            if await connection.post("/v1/batch", payload) == 200:
                acked.extend(m["messageId"] for m in payload["batch"])
            r += 1

    await asyncio.gather(*(sender(c, conn) for c, conn in enumerate(connections)))
    for connection in connections:
        connection.close()
    return acked


async def pages_under_collector_load(
    url: str, api_key: str, write_key: str, *, clients: int, requests: int, cap_s: float
) -> tuple[dict[str, float], list[str], float]:
    stop = asyncio.Event()
    started = time.perf_counter()
    senders = asyncio.create_task(send_events(url, write_key, clients, stop))
    await asyncio.sleep(0.5)  # the collector is busy before the first page is asked for
    pages = await read_pages(url, api_key, PAGES, clients=clients, requests=requests, cap_s=cap_s)
    stop.set()
    acked = await senders
    return pages, acked, time.perf_counter() - started


def run(clients: int, requests: int, rows: int, cap_s: float) -> list[tuple[str, dict]]:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "acme"
        init_project(project)
        settings = Settings.load(project=project)
        with open_project_warehouse(settings) as wh:
            fill(wh, rows)
            api_key = add_key(wh, "api", role="viewer")[1]
            write_key = add_key(wh, "write", source="load")[1]
        process, url = start(project, "group commit", wait_s=300)  # a busy machine starts slowly
        try:
            options = {"clients": clients, "requests": requests, "cap_s": cap_s}
            floor = asyncio.run(read_pages(url, api_key, ("/healthz",), **options))
            alone = asyncio.run(read_pages(url, api_key, PAGES, **options))
            loaded, acked, seconds = asyncio.run(
                pages_under_collector_load(url, api_key, write_key, **options)
            )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(60)
        with open_project_warehouse(settings) as wh:
            stored = {row[0] for row in wh.ibis.raw_sql("SELECT event_id FROM events").fetchall()}
        lost = [m for m in acked if f"load:{m}" not in stored]
        if lost or floor["errors"] or alone["errors"] or loaded["errors"]:
            raise SystemExit(f"failed: {len(lost)} events lost, errors in a scenario")
        loaded["events_per_s"] = len(acked) / seconds
    return [("/healthz (baseline)", floor), ("pages", alone), ("pages + collector", loaded)]


def main(quick: bool = False, clients: int = 8, requests: int = 30, rows: int = 20_000) -> None:
    if quick:
        clients, requests, rows = 4, 10, 2_000
    results = run(clients, requests, rows, cap_s=60.0)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    base = results[0][1]["p50_ms"]
    print(
        f"\nDashboard load: {clients} concurrent readers, {requests} requests each, "
        f"{rows:,} pieces of feedback; {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {load}\n"
    )
    print("| scenario | requests | req/s | p50 | p95 | p50 vs baseline |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results:
        print(
            f"| {name} | {r['requests']:.0f} | {r['per_s']:.1f} | {r['p50_ms']:.1f} ms "
            f"| {r['p95_ms']:.1f} ms | {r['p50_ms'] / base:.1f}× |"
        )
    print(
        f"\nCollector during scenario 3: {results[2][1]['events_per_s']:,.0f} events/s "
        f"acknowledged, every one found in the warehouse afterwards."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    main(quick=args.quick, clients=args.clients, requests=args.requests, rows=args.rows)
