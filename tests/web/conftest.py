"""Fixtures for the web pages: an app on a temporary project, people with each role, a signed-in
client, and a little customer data."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse

PASSWORD = "correct-horse-battery"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def starter_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A starter project with its warehouse migrated, made once and copied for each test."""
    directory = tmp_path_factory.mktemp("starter") / "acme"
    init_project(directory)
    return directory


@pytest.fixture
def web_settings(tmp_path: Path, starter_project: Path) -> Settings:
    directory = tmp_path / "acme"
    shutil.copytree(starter_project, directory)
    return Settings.load(
        project=directory, secret_key="test-secret-key-" + "x" * 32, company_name="Acme & Co"
    )


@pytest.fixture
def web_warehouse(web_settings: Settings) -> Iterator[Warehouse]:
    with open_warehouse(web_settings.warehouse_url) as wh:
        yield wh


@pytest.fixture
def app(web_settings: Settings, web_warehouse: Warehouse) -> FastAPI:
    return create_app(web_settings, warehouse=web_warehouse)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def signed_in(client: TestClient, web_warehouse: Warehouse) -> Callable[..., TestClient]:
    """``signed_in("admin", language="es")``: the client, signed in as a new user."""
    count = 0

    def sign_in_as(role: str = "viewer", language: str | None = None) -> TestClient:
        nonlocal count
        count += 1
        email = f"{role}{count}@example.com"
        add_user(
            web_warehouse, email, PASSWORD, role, name=f"{role.title()} {count}", language=language
        )
        client.cookies.clear()
        sign_in(client, email)
        return client

    return sign_in_as


def feedback_rows(count: int, *, start: datetime | None = None) -> list[dict[str, object]]:
    """``count`` pieces of feedback, one a day, in English, Spanish and Chinese by turns."""
    start = start or datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    texts = ("Delivery was late again", "La entrega llegó tarde", "送货太慢了")
    return [
        {
            "feedback_id": f"crm:f{i}",
            "source": "crm",
            "ts": start + timedelta(days=i),
            "kind": ("survey", "ticket", "review")[i % 3],
            "touchpoint": "delivery",
            "language": ("en", "es", "zh")[i % 3],
            "nps": i % 11,
            "text": texts[i % 3],
        }
        for i in range(count)
    ]


@pytest.fixture
def seed_feedback(web_warehouse: Warehouse) -> Callable[..., list[dict[str, object]]]:
    """``seed_feedback(25)`` appends 25 pieces of feedback (or the rows given) and returns them."""

    def seed(
        count: int = 0, rows: list[dict[str, object]] | None = None
    ) -> list[dict[str, object]]:
        rows = rows if rows is not None else feedback_rows(count)
        append_feedback(web_warehouse, rows)
        return rows

    return seed


@pytest.fixture
def csrf_of() -> Callable[[str], str]:
    """The CSRF token of the first form on a page."""
    return csrf_from


def append_feedback(warehouse: Warehouse, rows: list[dict[str, object]]) -> None:
    schema = pa.schema(
        [
            ("feedback_id", pa.string()),
            ("source", pa.string()),
            ("ts", pa.timestamp("us", tz="UTC")),
            ("kind", pa.string()),
            ("touchpoint", pa.string()),
            ("language", pa.string()),
            ("nps", pa.int64()),
            ("text", pa.string()),
        ]
    )
    warehouse.append("feedback", pa.Table.from_pylist(rows, schema=schema))
