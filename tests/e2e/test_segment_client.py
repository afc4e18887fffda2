"""Segment's own Python library (segment-analytics-python) sends to a real cxloop server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from segment import analytics
from segment.analytics import Client
from segment.analytics.request import APIError

from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse


class Server:
    """A uvicorn server on a free loopback port, in a thread."""

    def __init__(self, settings: Settings) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> Server:
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                return self
            self.thread.join(0.01)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Settings, str]]:
    init_project(tmp_path / "acme")
    settings = Settings.load(project=tmp_path / "acme")
    with open_project_warehouse(settings) as wh:
        _, key = add_key(wh, "write", source="backend")
    yield settings, key
    analytics.default_client = None


def stored(settings: Settings, table: str) -> list[dict]:
    with open_project_warehouse(settings, read_only=True) as wh:
        return wh.to_pyarrow(wh.table(table)).to_pylist()


def test_identify_and_track_land_in_the_warehouse(project) -> None:
    settings, key = project
    with Server(settings) as server:
        analytics.write_key = key
        analytics.host = server.url
        analytics.sync_mode = True
        analytics.identify(
            "u-1", {"email": "ana@example.es", "firstName": "Ana"}, anonymous_id="anon-1"
        )
        analytics.track("u-1", "Order Placed", {"order_id": "o-1", "amount": 42.5})
        analytics.page("u-1", "Docs", "Pricing")
        analytics.group("u-1", "acme-inc", {"plan": "enterprise"})
        analytics.alias("old-id", "u-1")
        last_week = datetime.now(UTC) - timedelta(days=7)
        analytics.track("u-1", "Order Delivered", timestamp=last_week, message_id="fixed-id")
        analytics.track("u-1", "Order Delivered", timestamp=last_week, message_id="fixed-id")
    events = {e["event_id"]: e for e in stored(settings, "events")}
    assert len(events) == 6
    by_name = {e["name"]: e for e in events.values()}
    assert set(by_name) == {
        "Identified",
        "Order Placed",
        "Pricing",
        "Group",
        "Alias",
        "Order Delivered",
    }
    assert all(e["source"] == "backend" and e["channel"] == "server" for e in events.values())
    assert by_name["Order Placed"]["properties"] == '{"order_id":"o-1","amount":42.5}'
    assert abs(events["backend:fixed-id"]["ts"] - last_week) < timedelta(seconds=5)
    [record] = stored(settings, "source_records")
    assert (record["record_id"], record["email"], record["first_name"]) == (
        "backend:u-1",
        "ana@example.es",
        "Ana",
    )
    links = {(r["from_id"], r["to_id"], r["method"]) for r in stored(settings, "identity_links")}
    assert links == {("anon-1", "u-1", "identify"), ("old-id", "u-1", "alias")}


def test_batched_gzipped_sends_from_the_background_consumer(project) -> None:
    settings, key = project
    errors: list[Exception] = []
    with Server(settings) as server:
        client = Client(
            key,
            host=server.url,
            gzip=True,
            upload_size=25,
            on_error=lambda e, batch: errors.append(e),
        )
        for i in range(120):
            client.track(f"user-{i % 7}", "Button Clicked", {"i": i})
        client.flush()
        client.join()
    assert errors == []
    assert len(stored(settings, "events")) == 120


def test_a_wrong_write_key_is_an_api_error(project) -> None:
    settings, _ = project
    with Server(settings) as server:
        client = Client("cxw_000000000000_" + "x" * 32, host=server.url, sync_mode=True)
        with pytest.raises(APIError) as info:
            client.track("u", "Anything")
    assert info.value.status == 401
    assert stored(settings, "events") == []
