"""Column mappings: how a source's columns become canonical fields.

A mapping is a YAML file a CX team keeps in ``mappings/``::

    kind: customers
    source: support
    id_column: Ticket Contact ID
    columns:
      first_name: Nombre                      # canonical field: source column
      created_at: {column: Alta, format: "%d/%m/%Y %H:%M", timezone: Europe/Madrid}
      amount: {column: Total, decimal: ",", thousands: "."}
      language: {value: es}                   # a constant
    defaults:
      timezone: UTC
    exclude: [internal_notes]                 # never kept, not even as attributes
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cxloop.domain.definitions import load_definition


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name like Europe/Madrid)"
        ) from exc
    return value


class Coercion(BaseModel):
    """How to read values of one kind: dates, numbers, booleans."""

    model_config = ConfigDict(extra="forbid")

    format: str | list[str] | None = Field(
        default=None, description="strptime format(s) for dates and timestamps."
    )
    timezone: str | None = Field(default=None, description="Zone of times without an offset.")
    dayfirst: bool | None = Field(
        default=None, description="Read 03/04/2025 as 3 April (true) or March 4 (false)."
    )
    decimal: str | None = Field(default=None, description="Decimal separator: '.' or ','.")
    thousands: str | None = Field(default=None, description="Thousands separator: ',', '.', ' '.")
    true_values: list[str] | None = None
    false_values: list[str] | None = None

    _tz = field_validator("timezone")(classmethod(lambda cls, v: _check_timezone(v)))

    @field_validator("decimal")
    @classmethod
    def _decimal(cls, value: str | None) -> str | None:
        if value is not None and value not in (".", ","):
            raise ValueError("decimal separator must be '.' or ','")
        return value

    @property
    def formats(self) -> list[str]:
        if self.format is None:
            return []
        return [self.format] if isinstance(self.format, str) else list(self.format)

    def merged(self, fallback: Coercion) -> Coercion:
        """These options, with unset ones taken from ``fallback``."""
        names = set(Coercion.model_fields)
        values = fallback.model_dump(include=names)
        values.update(self.model_dump(include=names, exclude_none=True))
        return Coercion.model_validate(values)


class ColumnSpec(Coercion):
    """Where one canonical field comes from: a source column or a constant value."""

    column: str | None = None
    value: Any = None

    @model_validator(mode="after")
    def _one_origin(self) -> ColumnSpec:
        if (self.column is None) == (self.value is None):
            raise ValueError("give exactly one of 'column' (a source column) or 'value'")
        return self


class Mapping(BaseModel):
    """A source's column mapping for one import kind."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    source: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.\-]+$")
    id_column: str | None = None
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    defaults: Coercion = Field(default_factory=Coercion)
    exclude: list[str] = Field(default_factory=list)

    @field_validator("columns", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}

    def spec_for(self, field: str) -> ColumnSpec | None:
        return self.columns.get(field)

    @property
    def mapped_source_columns(self) -> set[str]:
        return {s.column for s in self.columns.values() if s.column is not None}


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a mapping YAML file."""
    return load_definition(path, Mapping)
