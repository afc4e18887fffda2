"""The table catalog of a Spark warehouse: one JSON file that names, for every table, its
schema and the folders of Parquet files that hold its rows.

Spark's plain Parquet tables have no transactions, no DELETE and no UPDATE. A Spark warehouse
therefore never changes a file once written: a write puts new rows in a new folder (a *part*),
a delete or update writes the table's surviving rows to a new part, and the table's list of
parts changes only in memory until the transaction commits. Commit replaces the catalog file
in one atomic rename; a process that dies before it leaves the previous catalog, and the parts
nobody names are swept away the next time the warehouse is opened for writing.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ibis

from cxloop.errors import WarehouseBusyError, WarehouseError

CATALOG_FILE = "_cxloop_catalog.json"
LOCK_FILE = ".cxloop_write.lock"
DATA_FOLDER = "data"
STAGING_FOLDER = "staging"
FORMAT = 1


@dataclass
class TableEntry:
    """A table: its columns (name → Ibis type string) and its parts (relative folders)."""

    schema: dict[str, str]
    parts: list[str] = field(default_factory=list)

    def ibis_schema(self) -> ibis.Schema:
        return ibis.schema(self.schema)


class Catalog:
    """The committed catalog of one warehouse folder and the working copy a transaction edits.

    Parameters
    ----------
    root
        The warehouse folder (created if missing, when writable).
    read_only
        Open without the writer's lock; nothing may be written.
    """

    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        self.root = root
        self.read_only = read_only
        self._lock: IO[str] | None = None
        if not read_only:
            root.mkdir(parents=True, exist_ok=True)
            self._lock = _take_lock(root / LOCK_FILE)
        elif not (root / CATALOG_FILE).is_file():
            raise WarehouseError(f"Spark warehouse {root}: no {CATALOG_FILE} (run `cxloop init`)")
        self.committed = self._load()
        self.tables = copy.deepcopy(self.committed)
        self._created: list[str] = []  # parts written since the last commit or rollback
        if not read_only:
            self.sweep()

    # -- reading the file ----------------------------------------------------------------------
    def _load(self) -> dict[str, TableEntry]:
        path = self.root / CATALOG_FILE
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            tables = data["tables"]
            return {
                name: TableEntry(dict(entry["schema"]), list(entry["parts"]))
                for name, entry in tables.items()
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise WarehouseError(f"Spark warehouse {path}: unreadable catalog: {exc}") from exc

    # -- parts ---------------------------------------------------------------------------------
    def new_part(self, table: str) -> str:
        """A fresh, not yet existing part folder for ``table`` (relative to the root)."""
        rel = f"{DATA_FOLDER}/{table}/{uuid.uuid4().hex}"
        self._created.append(rel)
        return rel

    def staging_path(self) -> Path:
        """A fresh folder for a batch on its way into a table (removed by the caller)."""
        path = self.root / STAGING_FOLDER / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def path(self, rel: str) -> str:
        return str(self.root / rel)

    # -- transactions --------------------------------------------------------------------------
    def commit(self) -> None:
        """Make the working copy the committed catalog (one atomic rename), then remove the
        parts no table names any more."""
        if self.read_only:
            raise WarehouseError(f"Spark warehouse {self.root} is open read-only")
        document: dict[str, Any] = {
            "format": FORMAT,
            "tables": {
                name: {"schema": entry.schema, "parts": entry.parts}
                for name, entry in self.tables.items()
            },
        }
        target = self.root / CATALOG_FILE
        temporary = target.with_name(f".{CATALOG_FILE}.{uuid.uuid4().hex}")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        before = _named_parts(self.committed)
        self.committed = copy.deepcopy(self.tables)
        self._created = []
        for rel in before - _named_parts(self.committed):
            shutil.rmtree(self.root / rel, ignore_errors=True)

    def rollback(self) -> None:
        """Forget the working copy and the parts written for it."""
        kept = _named_parts(self.committed)
        for rel in self._created:
            if rel not in kept:
                shutil.rmtree(self.root / rel, ignore_errors=True)
        self._created = []
        self.tables = copy.deepcopy(self.committed)

    def sweep(self) -> None:
        """Remove parts and staged batches that no committed table names (left by a process
        that died mid-write)."""
        shutil.rmtree(self.root / STAGING_FOLDER, ignore_errors=True)
        named = _named_parts(self.committed)
        data = self.root / DATA_FOLDER
        if not data.is_dir():
            return
        for table_dir in data.iterdir():
            for part in table_dir.iterdir() if table_dir.is_dir() else ():
                rel = f"{DATA_FOLDER}/{table_dir.name}/{part.name}"
                if rel not in named:
                    shutil.rmtree(part, ignore_errors=True)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None


def _named_parts(tables: dict[str, TableEntry]) -> set[str]:
    return {rel for entry in tables.values() for rel in entry.parts}


def _take_lock(path: Path) -> IO[str]:
    """One writer per warehouse folder, as with a DuckDB file."""
    handle = path.open("a", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise WarehouseBusyError(
            f"Spark warehouse {path.parent} is open for writing by another process (is "
            "`cxloop serve` running?); stop it or send the data through its HTTP API"
        ) from exc
    return handle
