"""Shared fixtures: an empty warehouse, a fresh project, and small file writers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """A migrated DuckDB warehouse in a temporary file."""
    with open_warehouse(f"duckdb:///{tmp_path / 'wh.duckdb'}") as wh:
        yield wh


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A fresh starter project, as ``cxloop init`` writes it."""
    directory = tmp_path / "acme"
    init_project(directory)
    return Settings.load(project=directory)
