"""The real app under uvicorn, in a thread, on a free port of 127.0.0.1: for browser tests;
``serve_project`` adds the test's user to a project and serves it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

import uvicorn
from fastapi import FastAPI

from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.storage import Warehouse, open_warehouse


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` until the block ends; yields its base address (``http://127.0.0.1:PORT``)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class User(NamedTuple):
    """The account a browser test signs in with."""

    email: str
    password: str
    role: str
    name: str


@contextmanager
def serve_project(
    settings: Settings, user: User, seed: Callable[[Warehouse], object] | None = None
) -> Iterator[str]:
    """Serve the app over ``settings``' warehouse (as :func:`serve` does) after ``seed`` filled
    it and ``user`` was added; yields the base address."""
    warehouse = open_warehouse(settings.warehouse_url)
    try:
        if seed is not None:
            seed(warehouse)
        add_user(warehouse, user.email, user.password, user.role, name=user.name)
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base
    finally:
        warehouse.close()
