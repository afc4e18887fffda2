"""What ``generate_demo_company`` produced: the files, in an order they can be imported in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

KIND_ORDER = (
    "teams", "employees", "employee_pulses", "customers", "orders", "events", "feedback",
)  # fmt: skip


@dataclass(frozen=True)
class DemoFile:
    """One generated source file and how to import it.

    ``mapping`` is the mapping YAML to use when the file does not carry canonical column
    names; ``id_column`` names the record-id column when it is not the canonical one.
    """

    kind: str
    path: Path
    source: str
    mapping: Path | None
    id_column: str | None = None


@dataclass(frozen=True)
class DemoSurveys:
    """Survey definitions (YAML, as a project keeps them) and their complete responses
    (JSON Lines of ``survey_responses`` rows), loaded after the files."""

    definitions: tuple[Path, ...]
    responses: Path


@dataclass(frozen=True)
class DemoManifest:
    """The demo company on disk.

    ``files`` are in a valid import order (teams, employees, employee pulses, customers of each
    source, orders, events, feedback); ``ground_truth`` is the directory with the planted truth.
    """

    directory: Path
    files: tuple[DemoFile, ...]
    ground_truth: Path
    customers: int
    seed: int
    surveys: DemoSurveys | None = None
    start: date | None = None
    months: int | None = None

    def to_json(self) -> str:
        """The manifest as JSON, paths relative to ``directory``."""

        def rel(path: Path | None) -> str | None:
            return None if path is None else path.relative_to(self.directory).as_posix()

        data: dict[str, object] = {
            "customers": self.customers,
            "seed": self.seed,
            "start": None if self.start is None else self.start.isoformat(),
            "months": self.months,
            "ground_truth": rel(self.ground_truth),
            "files": [
                {
                    "kind": f.kind,
                    "path": rel(f.path),
                    "source": f.source,
                    "mapping": rel(f.mapping),
                    "id_column": f.id_column,
                }
                for f in self.files
            ],
        }
        if self.surveys is not None:
            data["surveys"] = {
                "definitions": [rel(p) for p in self.surveys.definitions],
                "responses": rel(self.surveys.responses),
            }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def previous_start(directory: Path) -> date | None:
    """The window start a demo written into ``directory`` earlier used (None: none there)."""
    try:
        data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        return date.fromisoformat(data["start"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
