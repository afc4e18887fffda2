"""Oversized bodies on the API and the dashboard's forms are refused early, never buffered.

A real server on loopback takes a raw socket that declares or streams a body far larger than
``request_max_body_bytes``; the 413 must come back while most of the body is still unsent,
which it can only do when the server stopped reading at the limit.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from browser.live_server import serve
from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse

LIMIT = 100_000
HUGE = 256 * 1024 * 1024  # what the client offers to send
CHUNK = b"x" * 65_536


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(host:port, an admin API key) of the real app under uvicorn."""
    root = tmp_path_factory.mktemp("body-limit") / "acme"
    init_project(root)
    settings = Settings.load(project=root, request_max_body_bytes=LIMIT)
    with open_project_warehouse(settings) as wh:
        key = add_key(wh, "api", role="admin")[1]
    with serve(create_app(settings)) as base:
        yield base.removeprefix("http://"), key


def send_huge(address: str, head: str) -> tuple[bytes, int]:
    """Send ``head`` then body bytes until the server answers; (the answer, bytes sent)."""
    host, port = address.split(":")
    sent = 0
    chunked = "chunked" in head
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head.encode())
        while sent < HUGE:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            piece = (b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n") if chunked else CHUNK
            try:
                sock.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(CHUNK)
        sock.settimeout(30)
        answer = b""
        while b"\r\n\r\n" not in answer:
            try:
                data = sock.recv(65_536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
    return answer, sent


def head(address: str, path: str, key: str, length: str, kind: str = "application/json") -> str:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: {kind}\r\n{length}\r\n"
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/v1/cases/case-1/events", "application/json"),
        ("/login", "application/x-www-form-urlencoded"),
    ],
)
@pytest.mark.parametrize("framing", ["declared", "chunked"])
def test_a_huge_body_is_refused_before_it_is_read(
    server: tuple[str, str], path: str, kind: str, framing: str
) -> None:
    address, key = server
    length = (
        f"Content-Length: {HUGE}\r\n" if framing == "declared" else "Transfer-Encoding: chunked\r\n"
    )
    answer, sent = send_huge(address, head(address, path, key, length, kind))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # the answer came while at most a few socket buffers' worth had gone out
    assert sent < HUGE // 8, f"{sent:,} bytes sent before the 413"


def test_the_api_answers_413_in_its_error_format(tmp_path: Path) -> None:
    init_project(tmp_path / "acme")
    settings = Settings.load(project=tmp_path / "acme", request_max_body_bytes=1_000)
    with open_project_warehouse(settings) as wh:
        key = add_key(wh, "api", role="admin")[1]
    auth = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(settings)) as client:
        big = {"kind": "commented", "note": "x" * 2_000}
        declared = client.post("/v1/cases/c1/events", json=big, headers=auth)
        assert declared.status_code == 413
        error = declared.json()["error"]
        assert error["code"] == "payload_too_large" and "1,000 bytes" in error["message"]

        def stream() -> Iterator[bytes]:  # no Content-Length: counted while read
            yield b'{"kind": "commented", "note": "'
            for _ in range(10):
                yield b"x" * 200
            yield b'"}'

        streamed = client.post("/v1/cases/c1/events", content=stream(), headers=auth)
        assert streamed.status_code == 413
        assert streamed.json()["error"]["code"] == "payload_too_large"
        small = client.post("/v1/cases/c1/events", json={"kind": "commented"}, headers=auth)
        assert small.status_code in (400, 404)  # read, and answered on its merits
        assert small.json()["error"]["code"] != "payload_too_large"
        form = client.post(
            "/login",
            content=stream(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status_code == 413
