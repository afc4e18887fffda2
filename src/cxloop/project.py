"""A cxloop project: a directory with ``cxloop.toml``, definitions and the warehouse file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from cxloop.config import Settings
from cxloop.errors import ConfigError
from cxloop.storage import Warehouse, open_warehouse


class InitResult(BaseModel):
    """What ``cxloop init`` did."""

    project: str
    created: list[str]
    kept: list[str]
    warehouse: str
    schema_version: int


class StatusReport(BaseModel):
    """The ``cxloop status --json`` document."""

    warehouse: str
    schema_version: int
    tables: dict[str, int]


#: starter files kept under another name in the package (a dotfile is easy to lose in a wheel)
STARTER_RENAMES = {"gitignore": ".gitignore"}


def starter_files() -> dict[str, str]:
    """The starter project, as relative path → text."""
    root = resources.files("cxloop") / "starter"
    files: dict[str, str] = {}

    def walk(node: object, prefix: str) -> None:
        for child in node.iterdir():  # type: ignore[attr-defined]
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif not child.name.startswith((".", "__")):
                files[STARTER_RENAMES.get(rel, rel)] = child.read_text(encoding="utf-8")

    walk(root, "")
    return files


def init_project(directory: str | Path, *, warehouse_url: str | None = None) -> InitResult:
    """Write a starter project into ``directory`` (existing files are kept) and create its
    warehouse with every migration applied."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{directory}: exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    created, kept = [], []
    for rel, text in sorted(starter_files().items()):
        target = directory / rel
        if target.exists():
            kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        created.append(rel)
    settings = Settings.load(project=directory, warehouse=warehouse_url)
    with open_project_warehouse(settings) as wh:
        version = wh.schema_version()
        shown = wh.url  # without a password
    return InitResult(
        project=str(directory.resolve()),
        created=created,
        kept=kept,
        warehouse=shown,
        schema_version=version,
    )


def open_project_warehouse(settings: Settings, *, read_only: bool = False) -> Warehouse:
    """Open the project's warehouse, migrating it if it is writable."""
    temp = settings.warehouse_temp_directory
    return open_warehouse(
        settings.warehouse_url,
        read_only=read_only,
        memory_limit=settings.warehouse_memory_limit,
        temp_directory=str((settings.project / temp).resolve()) if temp else None,
        options=settings.engine_options(),
        retired_kept_s=settings.spark_retired_kept_s,
    )


def project_status(settings: Settings) -> StatusReport:
    """Warehouse URL, schema version and row count per canonical table."""
    with open_project_warehouse(settings) as wh:
        return StatusReport(
            warehouse=wh.url,  # without a password
            schema_version=wh.schema_version(),
            tables=wh.counts(),
        )
