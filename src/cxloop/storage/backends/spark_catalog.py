"""The table catalog of a Spark warehouse: one JSON file that names, for every table, its
schema and the folders of Parquet files that hold its rows.

Spark's plain Parquet tables have no transactions, no DELETE and no UPDATE. A Spark warehouse
therefore never changes a file once written: a write puts new rows in a new folder (a *part*),
a delete or update writes the table's surviving rows to a new part, and the table's list of
parts changes only in memory until the transaction commits. Commit replaces the catalog file
in one atomic rename; a process that dies before it leaves the previous catalog, and the parts
nobody names are swept away the next time the warehouse is opened for writing.

Readers in other processes: a part that a commit stops naming is *retired*, not removed: the
catalog lists it with the time it was retired, and it is removed by the first commit (or
writer's open) after the catalog's ``retired_kept_s`` (setting ``spark_retired_kept_s``,
default :data:`RETIRED_KEPT_S`). A reader that reloads the catalog before each
query (:meth:`Catalog.refresh`) therefore finds every part of the generation it read, however
many commits come meanwhile, unless its query outlasts that grace period.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import shutil
import time
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
#: seconds a part stays on disk after a commit stops naming it (for readers mid-query),
#: unless the setting ``spark_retired_kept_s`` says otherwise
RETIRED_KEPT_S = 600.0


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
    retired_kept_s
        Seconds a part stays on disk after a commit stops naming it, for readers in other
        processes mid-query (None: :data:`RETIRED_KEPT_S`). Longer than the longest query.
    """

    def __init__(
        self, root: Path, *, read_only: bool = False, retired_kept_s: float | None = None
    ) -> None:
        self.root = root
        self.read_only = read_only
        self.retired_kept_s = RETIRED_KEPT_S if retired_kept_s is None else retired_kept_s
        self._lock: IO[str] | None = None
        if not read_only:
            root.mkdir(parents=True, exist_ok=True)
            self._lock = _take_lock(root / LOCK_FILE)
        elif not (root / CATALOG_FILE).is_file():
            raise WarehouseError(f"Spark warehouse {root}: no {CATALOG_FILE} (run `cxloop init`)")
        self.retired: dict[str, float] = {}  # part → when a commit stopped naming it
        self._seen: tuple[int, int, int] | None = None  # the catalog file last read
        self.committed = self._load()
        self.tables = copy.deepcopy(self.committed)
        self._created: list[str] = []  # parts written since the last commit or rollback
        if not read_only:
            self.sweep()

    # -- reading the file ----------------------------------------------------------------------
    def _load(self) -> dict[str, TableEntry]:
        path = self.root / CATALOG_FILE
        try:
            with path.open(encoding="utf-8") as handle:  # one file: the old or the new one
                stat = os.fstat(handle.fileno())
                data = json.loads(handle.read())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise WarehouseError(f"Spark warehouse {path}: unreadable catalog: {exc}") from exc
        try:
            tables = {
                name: TableEntry(dict(entry["schema"]), list(entry["parts"]))
                for name, entry in data["tables"].items()
            }
            self.retired = {str(k): float(v) for k, v in data.get("retired", {}).items()}
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise WarehouseError(f"Spark warehouse {path}: unreadable catalog: {exc}") from exc
        self._seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        return tables

    def refresh(self) -> set[str]:
        """For a read-only catalog: load the committed catalog again if a writer has replaced
        it since it was read; return the tables whose schema or parts changed."""
        if not self.read_only:
            return set()  # the one writer: its catalog is the committed one
        try:
            stat = (self.root / CATALOG_FILE).stat()
        except FileNotFoundError:
            return set()
        if (stat.st_ino, stat.st_mtime_ns, stat.st_size) == self._seen:
            return set()
        before = self.committed
        self.committed = self._load()
        self.tables = copy.deepcopy(self.committed)
        return {
            name
            for name in set(before) | set(self.committed)
            if name not in before or name not in self.committed
            or before[name] != self.committed[name]
        }  # fmt: skip

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
        now = time.time()
        named = _named_parts(self.tables)
        retired = {**self.retired, **dict.fromkeys(_named_parts(self.committed) - named, now)}
        expired = {rel for rel, since in retired.items() if now - since >= self.retired_kept_s}
        kept = {rel: since for rel, since in retired.items() if rel not in expired | named}
        document: dict[str, Any] = {
            "format": FORMAT,
            "tables": {
                name: {"schema": entry.schema, "parts": entry.parts}
                for name, entry in self.tables.items()
            },
            "retired": kept,
        }
        target = self.root / CATALOG_FILE
        temporary = target.with_name(f".{CATALOG_FILE}.{uuid.uuid4().hex}")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        self.committed = copy.deepcopy(self.tables)
        self.retired = kept
        # parts written and replaced within this transaction: no reader ever saw them
        unseen = {rel for rel in self._created if rel not in named}
        self._created = []
        for rel in (expired | unseen) - named:
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
        that died mid-write), and retired parts past their grace period."""
        shutil.rmtree(self.root / STAGING_FOLDER, ignore_errors=True)
        now = time.time()
        named = _named_parts(self.committed) | {
            rel for rel, since in self.retired.items() if now - since < self.retired_kept_s
        }
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
