"""An app over a fresh project, with a key per role; ``seeded_client`` fills the project
first (the small companies of tests/*_tables.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project, open_project_warehouse
from cxloop.storage import Warehouse

PASSWORD = "correct horse battery staple"
Seed = Callable[[Warehouse], object]
Served = tuple[TestClient, dict[str, str]]


@pytest.fixture
def seeded_client(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """``seeded_client(seed=None, users=False)``: a client of a running app over a fresh
    project that ``seed(warehouse)`` filled, and an API key per role (``keys["analyst"]``)
    plus a write key (``keys["write"]``); with ``users``, a user per role too
    (``<role>@example.com``, password ``PASSWORD``). The app stops when the test ends."""
    with ExitStack() as stack:

        def start(seed: Seed | None = None, *, users: bool = False) -> Served:
            directory = tmp_path / "acme"
            init_project(directory)
            settings = Settings.load(project=directory)
            keys: dict[str, str] = {}
            with open_project_warehouse(settings) as wh:
                if seed is not None:
                    seed(wh)
                for role in Role:
                    keys[role.value] = add_key(wh, "api", role=role)[1]
                    if users:
                        add_user(wh, f"{role.value}@example.com", PASSWORD, role)
                keys["write"] = add_key(wh, "write", source="web")[1]
            return stack.enter_context(TestClient(create_app(settings))), keys

        yield start


@pytest.fixture
def served(seeded_client: Callable[..., Served]) -> Served:
    """A client of a running app, and an API key per role (``keys["analyst"]``)."""
    return seeded_client(users=True)
