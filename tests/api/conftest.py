"""An app over a fresh project, with a key per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project, open_project_warehouse

PASSWORD = "correct horse battery staple"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A client of a running app, and an API key per role (``keys["analyst"]``)."""
    directory = tmp_path / "acme"
    init_project(directory)
    settings = Settings.load(project=directory)
    keys: dict[str, str] = {}
    with open_project_warehouse(settings) as wh:
        for role in Role:
            keys[role.value] = add_key(wh, "api", role=role)[1]
            add_user(wh, f"{role.value}@example.com", PASSWORD, role)
        keys["write"] = add_key(wh, "write", source="web")[1]
    with TestClient(create_app(settings)) as client:
        yield client, keys
