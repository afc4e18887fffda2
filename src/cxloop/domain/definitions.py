"""Loading YAML definitions (mappings, surveys, rules, goals…) into pydantic models.

A mistake in a definition is reported as ``file:line: field: what is wrong``, so a CX team
editing YAML by hand finds it at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cxloop.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class FieldValueError(ValueError):
    """A validator's complaint about a field below the one it validates.

    A model validator that checks several fields together raises it with ``loc``, the path
    from the model to the field at fault (``("questions", 2, "show_if")``), so that the
    error names that field's line rather than the model's.
    """

    def __init__(self, message: str, loc: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.loc = loc


def _line_index(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _line_index(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), out)


def read_yaml(path: str | Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse a YAML file; return its data and the line of every key path."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: invalid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _line_index(node, (), lines)
    return data, lines


def load_definition(
    path: str | Path, model: type[M], *, defaults: dict[str, Any] | None = None
) -> M:
    """Load and validate one definition file; ``defaults`` fill top-level keys it lacks.

    Examples
    --------
    >>> from pydantic import BaseModel
    >>> class Goal(BaseModel):
    ...     kpi: str
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.yaml"
    >>> _ = p.write_text("kpi: nps\\n")
    >>> load_definition(p, Goal).kpi
    'nps'
    """
    path = Path(path)
    data, lines = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of keys to values at the top level")
    if defaults:
        data = {**defaults, **data}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc, lines)) from exc


def _describe(path: Path, exc: ValidationError, lines: dict[tuple[Any, ...], int]) -> str:
    first = exc.errors()[0]
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    cause = (first.get("ctx") or {}).get("error")
    message = first["msg"]
    if isinstance(cause, FieldValueError):
        loc = (*loc, *cause.loc)
        message = str(cause)
    line = None
    for n in range(len(loc), -1, -1):
        line = lines.get(loc[:n])
        if line is not None:
            break
    where = ".".join(str(p) for p in loc) or "(top level)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}:{line or 1}: {where}: {message}{more}"
