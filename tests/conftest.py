"""Shared fixtures: an empty warehouse, a fresh project, and small file writers."""

from __future__ import annotations

import csv
import json
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


def write_csv(
    path: Path,
    rows: list[dict[str, object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write ``rows`` (dicts with the same keys) as a CSV file."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
