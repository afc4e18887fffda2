"""The results file of ``cxloop bench``: one JSON line per measured stage, written at once.

A full-scale run takes most of an hour, so nothing measured may wait for the end to be saved:
the runner appends each stage's figure to ``FILE.jsonl`` (after a first line that names the run:
its scale and the folder of its data and warehouse) as soon as the stage's process exits.
``cxloop bench --resume FILE`` reads it back and runs only the stages not measured yet, on the
same data and warehouse, appending to the same file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxloop.errors import UsageError

SUFFIX = ".jsonl"


def results_path(out: Path) -> Path:
    """The progressive results file of ``--out FILE`` / ``--resume FILE``: ``FILE.jsonl``."""
    return out if out.suffix == SUFFIX else out.with_suffix(SUFFIX)


@dataclass
class ResultsLog:
    """An append-only record of one run: its header and every stage figure so far."""

    path: Path
    header: dict[str, Any]
    figures: list[dict[str, Any]] = field(default_factory=list)
    company: dict[str, Any] | None = None

    @classmethod
    def start(cls, path: Path, header: dict[str, Any]) -> ResultsLog:
        """A new results file (an existing one is replaced) holding ``header``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"run": header}) + "\n", encoding="utf-8")
        return cls(path, header)

    @classmethod
    def read(cls, path: Path) -> ResultsLog:
        """The run recorded in ``path``; a missing or foreign file is a :class:`UsageError`."""
        if not path.is_file():
            raise UsageError(f"--resume {path}: no such results file")
        records = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                records.extend([json.loads(line)] if line.strip() else [])
            except json.JSONDecodeError as exc:
                raise UsageError(f"--resume {path}: line {number} is not JSON") from exc
        if not records or "run" not in records[0]:
            raise UsageError(f"--resume {path}: not a cxloop bench results file")
        figures = [r["figure"] for r in records[1:] if "figure" in r]
        company = next((r["company"] for r in records[1:] if "company" in r), None)
        return cls(path, records[0]["run"], figures, company)

    def note_company(self, made: dict[str, Any]) -> None:
        """Record the synthetic data's row counts and generation cost, once per file."""
        if self.company is None:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"company": made}) + "\n")
            self.company = made

    def append(self, figure: dict[str, Any]) -> None:
        """Record ``figure`` now (flushed to disk before the next stage starts)."""
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"figure": figure}) + "\n")
            handle.flush()
        self.figures.append(figure)

    def measured(self) -> dict[str, dict[str, Any]]:
        """The latest figure of each stage that finished without an error."""
        return {f["stage"]: f for f in self.figures if "error" not in f}
