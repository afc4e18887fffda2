"""``MODEL.yaml``: a PLS path model written by hand, validated with ``file:line: field`` errors.

.. code-block:: yaml

    blocks:                      # construct: [indicator columns]
      Engagement: [engagement, wellbeing, enps]
      Quality: [csat, ces, no_failure]
      Satisfaction: [nps]
    modes: {Quality: B}          # optional: A (reflective, the default) or B (formative)
    paths:                       # [from, to]
      - [Engagement, Quality]
      - [Quality, Satisfaction]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cxloop.domain.definitions import FieldValueError, load_definition, read_yaml
from cxloop.errors import ConfigError
from cxloop.understand.valuechain.structure import PathModelSpec, structure_problem


class PathModelFile(BaseModel):
    """The contents of a model file."""

    model_config = ConfigDict(extra="forbid")

    blocks: dict[str, list[str]] = Field(description="construct → indicator columns")
    modes: dict[str, Literal["A", "B"]] = Field(default_factory=dict)
    paths: list[tuple[str, str]] = Field(description="[from, to] pairs")

    @model_validator(mode="after")
    def _structure(self) -> PathModelFile:
        problem = structure_problem(self.blocks, self.paths, self.modes)
        if problem is not None:
            message, where = problem
            raise FieldValueError(message, where)
        return self

    def spec(self) -> PathModelSpec:
        """The model as a :class:`PathModelSpec`."""
        return PathModelSpec(blocks=self.blocks, paths=self.paths, modes=self.modes)


def load_model_file(path: str | Path, columns: Iterable[str] | None = None) -> PathModelSpec:
    """Read and validate a model file; with ``columns``, also check every indicator exists.

    Raises :class:`~cxloop.errors.ConfigError` naming the file, line and field
    (``model.yaml:4: blocks.Quality.1: column 'cs' is not in the data``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "model.yaml"
    >>> _ = p.write_text("blocks: {A: [a1, a2], B: [b1]}\\npaths: [[A, B]]\\n")
    >>> load_model_file(p).constructs
    ['A', 'B']
    """
    path = Path(path)
    parsed = load_definition(path, PathModelFile)
    if columns is not None:
        known = set(columns)
        for name, block in parsed.blocks.items():
            for i, column in enumerate(block):
                if column not in known:
                    _, lines = read_yaml(path)
                    line = lines.get(("blocks", name, i)) or lines.get(("blocks", name), 1)
                    raise ConfigError(
                        f"{path}:{line}: blocks.{name}.{i}: column {column!r} is not in the data"
                    )
    return parsed.spec()
