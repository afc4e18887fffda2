"""The tracking plan: which ``track`` events the collector expects, with JSON-Schema properties.

``tracking_plan.yaml`` in the project directory::

    strict: false              # true: refuse messages that break the plan (400)
    events:
      Order Placed:
        description: A customer completed checkout.
        properties:            # JSON Schema (Draft 2020-12) of the event's properties
          type: object
          required: [order_id, amount]
          properties:
            order_id: {type: string}
            amount: {type: number, minimum: 0}

A plan with no events checks nothing. With events, a ``track`` call whose event is not listed
is an "unknown event", and one whose properties break the schema is a schema violation. Either
is recorded in ``tracking_violations``; in strict mode the message is also refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from cxloop.domain.definitions import load_definition

PLAN_FILE = "tracking_plan.yaml"
UNKNOWN_EVENT = "unknown event"
MAX_PROBLEMS_PER_MESSAGE = 5


class PlannedEvent(BaseModel):
    """One event of the plan."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    properties: dict[str, Any] | None = Field(
        default=None, description="JSON Schema (Draft 2020-12) of the event's properties."
    )

    @field_validator("properties")
    @classmethod
    def _is_a_schema(cls, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if schema is not None:
            try:
                Draft202012Validator.check_schema(schema)
            except SchemaError as exc:
                where = "/".join(str(p) for p in exc.path)
                raise ValueError(
                    f"not a valid JSON Schema{f' at {where}' if where else ''}: {exc.message}"
                ) from None
        return schema


class TrackingPlan(BaseModel):
    """The whole plan, as ``tracking_plan.yaml`` holds it.

    Examples
    --------
    >>> plan = TrackingPlan.model_validate(
    ...     {"events": {"Signed Up": {"properties": {"required": ["plan"]}}}}
    ... )
    >>> plan.check("Signed Up", {})
    [('properties', "missing required property 'plan'")]
    >>> plan.check("Signed Out", {})
    [('event', 'unknown event')]
    """

    model_config = ConfigDict(extra="forbid")

    strict: bool = False
    events: dict[str, PlannedEvent] = Field(default_factory=dict)
    _validators: dict[str, Draft202012Validator] = PrivateAttr(default_factory=dict)

    @property
    def active(self) -> bool:
        """A plan without events checks nothing."""
        return bool(self.events)

    def check(self, event: str, properties: dict[str, Any] | None) -> list[tuple[str, str]]:
        """The problems of one ``track`` call as ``(field, problem)``; empty when it fits."""
        if not self.active:
            return []
        planned = self.events.get(event)
        if planned is None:
            return [("event", UNKNOWN_EVENT)]
        if planned.properties is None:
            return []
        validator = self._validators.get(event)
        if validator is None:
            validator = Draft202012Validator(
                planned.properties, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            self._validators[event] = validator
        errors = sorted(validator.iter_errors(properties or {}), key=lambda e: list(e.path))
        return [_describe(error) for error in errors[:MAX_PROBLEMS_PER_MESSAGE]]


def _describe(error: ValidationError) -> tuple[str, str]:
    """A stable description of a schema error, without the offending value, so that the same
    mistake sent a thousand times is counted as one problem."""
    field = ".".join(["properties", *(str(p) for p in error.path)])
    keyword, expected = error.validator, error.validator_value
    if keyword == "required":
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else "?"
        return field, f"missing required property {missing!r}"
    if keyword == "additionalProperties":
        return field, error.message
    if keyword == "type":
        return field, f"expected type {_short(expected)}"
    if keyword in ("enum", "const"):
        return field, f"expected one of {_short(expected)}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return field, f"must satisfy {keyword} {_short(expected)}"
    if keyword in ("minLength", "maxLength", "pattern", "format", "minItems", "maxItems"):
        return field, f"must satisfy {keyword} {_short(expected)}"
    return field, f"does not satisfy {keyword}"


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def load_tracking_plan(project: Path) -> TrackingPlan | None:
    """Read ``tracking_plan.yaml`` from the project directory; None if there is none.

    A mistake raises :class:`~cxloop.errors.ConfigError` naming the file, line and field.
    """
    path = Path(project) / PLAN_FILE
    if not path.is_file():
        return None
    return load_definition(path, TrackingPlan)
