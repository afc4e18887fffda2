"""HTTP on loopback for ``cxloop bench``: the servers (in a child process) and the clients.

Two servers: ``cxloop`` (the real app on a project, as ``cxloop serve`` runs it) and ``echo``
(a plain FastAPI app under the same uvicorn: ``POST /v1/batch`` parses the JSON and answers
``{"success": true}``, nothing stored: the collector's baseline). The clients are minimal
keep-alive HTTP/1.1 connections on asyncio, so that the load generator's own CPU time on a
small machine does not crowd out the server it measures. Every run is bounded: a fixed number
of requests per client and a time cap.

"""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request


def echo_app() -> Any:
    """The collector's baseline: the same framework and server, no validation, no writes."""
    app = FastAPI()

    @app.post("/v1/batch")
    async def batch(request: Request) -> dict[str, bool]:
        json.loads(await request.body())
        return {"success": True}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serve(kind: str, project: str, port: int) -> None:
    """The server side (a child process): ``kind`` is ``cxloop`` or ``echo``."""
    import uvicorn

    if kind == "echo":
        app = echo_app()
    else:
        from cxloop.api import create_app
        from cxloop.config import Settings

        app = create_app(Settings.load(project=project, collector_rate_limit=1e9))
    # keep-alive longer than the slowest answer under load, as a reverse proxy would keep it
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                timeout_keep_alive=75)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A server running in a child process on a loopback port."""

    process: subprocess.Popen[bytes]
    url: str

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)

    def stop(self) -> None:
        """Stop it (SIGTERM: uvicorn shuts down cleanly and the writer commits)."""
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(kind: str, project: Path | None, wait_s: float = 300.0) -> Server:
    """Start a server and wait until ``/healthz`` answers (a busy machine starts slowly)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from cxloop.bench.loopback import serve; "
            "serve(sys.argv[1], sys.argv[2], int(sys.argv[3]))",
            kind,
            str(project or ""),
            str(port),
        ]
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the {kind} server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return Server(process, url)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the {kind} server did not answer within {wait_s:.0f} s")


class Connection:
    """One keep-alive HTTP/1.1 connection: POST JSON or GET a page, read the whole answer."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.last_error = ""
        self.head = f"Host: {host}:{port}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, document: object = None) -> int:
        body = b"" if document is None else json.dumps(document).encode()
        extra = f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n" if body else ""
        self.writer.write(f"{method} {path} HTTP/1.1\r\n{self.head}{extra}\r\n".encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        fields = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
        status = int(lines[0].split()[1])
        if "content-length" in fields:
            answer = await self.reader.readexactly(int(fields["content-length"]))
            if status != 200:
                self.last_error = answer[:300].decode("utf-8", "replace")
        else:  # chunked
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        return status

    def close(self) -> None:
        self.writer.close()


def basic_auth(key: str) -> dict[str, str]:
    """A Segment write key as HTTP Basic user."""
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


def event_batch(client: int, request: int, events: int) -> dict[str, object]:
    """A Segment ``/v1/batch`` body of ``events`` unique track calls."""
    return {
        "batch": [
            {"type": "track", "userId": f"c{client}", "event": "Button Clicked",
             "messageId": f"bench-{client}-{request}-{e}", "properties": {"n": request}}
            for e in range(events)
        ]
    }  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _drive(
    server: Server, headers: dict[str, str], clients: int, requests: int, cap_s: float,
    call: Any,
) -> dict[str, float]:  # fmt: skip
    host, port = server.host_port
    connections = [Connection(host, port, headers) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in connections))
    await asyncio.gather(*(call(c, n, -1) for n, c in enumerate(connections)))  # warm-up
    latencies: list[float] = []
    errors: Counter[int] = Counter()
    deadline = time.perf_counter() + cap_s

    async def client(n: int, connection: Connection) -> None:
        for r in range(requests):
            if time.perf_counter() > deadline:
                return
            began = time.perf_counter()
            try:
                status = await call(connection, n, r)
            except (asyncio.IncompleteReadError, ConnectionError):
                errors[0] += 1  # the server closed the connection: count it, open another
                connection.close()
                await connection.open()
                continue
            if status == 200:
                latencies.append(time.perf_counter() - began)
            else:
                errors[status] += 1

    began = time.perf_counter()
    await asyncio.gather(*(client(n, c) for n, c in enumerate(connections)))
    seconds = time.perf_counter() - began
    for connection in connections:
        connection.close()
    if not latencies:
        said = next((c.last_error for c in connections if c.last_error), "")
        raise RuntimeError(f"no request to {server.url} was answered 200: {dict(errors)} {said}")
    return {
        "requests": len(latencies), "errors": sum(errors.values()), "seconds": seconds,
        "per_s": len(latencies) / seconds,
        "p50_ms": 1000 * percentile(latencies, 0.5), "p95_ms": 1000 * percentile(latencies, 0.95),
    }  # fmt: skip


def post_batches(
    server: Server, key: str, *, clients: int, requests: int, events: int, cap_s: float
) -> dict[str, float]:
    """``clients`` senders of ``events``-event batches; events/s counts answered batches."""

    async def call(connection: Connection, n: int, r: int) -> int:
        return await connection.request("POST", "/v1/batch", event_batch(n, r, events))

    result = asyncio.run(_drive(server, basic_auth(key), clients, requests, cap_s, call))
    result["events"] = result["requests"] * events
    result["events_per_s"] = result["events"] / result["seconds"]
    return result


def get_pages(
    server: Server, key: str, paths: tuple[str, ...], *, clients: int, requests: int, cap_s: float
) -> dict[str, float]:
    """``clients`` readers GETting ``paths`` in turn with an API key."""

    async def call(connection: Connection, n: int, r: int) -> int:
        return await connection.request("GET", paths[(n + r) % len(paths)])

    headers = {"Authorization": f"Bearer {key}"}
    return asyncio.run(_drive(server, headers, clients, requests, cap_s, call))
