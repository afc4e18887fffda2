"""``valuechain.yaml``: the employee → customer chain that ``cxloop valuechain run`` fits.

A :class:`~cxloop.understand.valuechain.model_file.PathModelFile` (blocks, modes, paths) whose
indicators are columns of the team × period table (:mod:`.team_periods`), plus how that table is
built and read. The starter project ships one fitted to the demo company; every key is in
docs/valuechain.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from cxloop.domain.definitions import FieldValueError, load_definition
from cxloop.errors import ConfigError
from cxloop.understand.valuechain.model_file import PathModelFile
from cxloop.understand.valuechain.team_periods import INDICATORS, TeamPeriodOptions

CHAIN_FILE = "valuechain.yaml"


class ChainFile(PathModelFile):
    """The contents of ``valuechain.yaml``."""

    period: Literal["quarter", "month"] = "quarter"
    failure_events: list[str] = Field(default_factory=list)
    failure_window_days: int = Field(14, ge=0, le=366)
    follow_up_days: int = Field(90, ge=1, le=730)
    min_feedback: int = Field(10, ge=1)
    min_pulses: int = Field(3, ge=1)
    within_team: bool = Field(
        False, description="Remove each team's mean from every indicator before fitting."
    )
    engagement: str = Field(description="The construct the chain starts from.")
    outcomes: list[str] = Field(description="The customer outcomes engagement is read against.")
    scheme: Literal["centroid", "factorial", "path"] = "path"
    bootstrap: int = Field(500, ge=0, le=10_000)
    seed: int = 0

    @model_validator(mode="after")
    def _chain(self) -> ChainFile:
        for name, block in self.blocks.items():
            for i, column in enumerate(block):
                if column not in INDICATORS:
                    raise FieldValueError(
                        f"unknown column {column!r}; the team x period table has: "
                        + ", ".join(INDICATORS),
                        ("blocks", name, i),
                    )
        if self.engagement not in self.blocks:
            raise FieldValueError(f"{self.engagement!r} is not a block", ("engagement",))
        for i, name in enumerate(self.outcomes):
            if name not in self.blocks:
                raise FieldValueError(f"{name!r} is not a block", ("outcomes", i))
        if self.bootstrap == 1:
            raise FieldValueError("use 0 (no intervals) or at least 2 resamples", ("bootstrap",))
        return self

    def options(self) -> TeamPeriodOptions:
        """How to build the team × period table."""
        return TeamPeriodOptions(
            period=self.period, failure_events=tuple(self.failure_events),
            failure_window_days=self.failure_window_days, follow_up_days=self.follow_up_days,
            min_feedback=self.min_feedback, min_pulses=self.min_pulses,
        )  # fmt: skip


def load_chain_file(path: str | Path) -> ChainFile:
    """Read and validate ``valuechain.yaml`` (``file:line: field: …`` errors)."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"{path}: file not found; `cxloop init` writes a starter valuechain.yaml "
            "(see docs/valuechain.md)"
        )
    return load_definition(path, ChainFile)
