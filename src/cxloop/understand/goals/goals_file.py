"""``goals.yaml``: the project's KPI goals, validated on load with ``file:line: field`` errors.

.. code-block:: yaml

    goals:
      - id: delivery-csat
        kpi: csat
        scope: {team: delivery}   # or: company (the default)
        target: 0.8               # shares are written 0..1
        deadline: 2027-06-30
        owner: Head of Delivery
        direction: higher         # optional: derived from the KPI (lower for ces, churn_rate)
        start: 2026-01-01         # optional: first day the trend reads
        period: month             # optional: day, week, month (default) or quarter
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from cxloop.domain.definitions import load_definition, read_yaml
from cxloop.domain.goal import Goal, GoalScope
from cxloop.errors import ConfigError
from cxloop.understand.goals.status import default_direction, format_value, kpi_range
from cxloop.understand.kpi import KPIS

GOALS_FILE = "goals.yaml"
#: dimensions a goal can be scoped to; ``segment`` reads the members of a computed segment
SCOPE_DIMENSIONS = ("team", "touchpoint", "segment", "channel", "language", "country")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class GoalDefinition(BaseModel):
    """One entry of ``goals.yaml``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id: letters, digits, '_', '-', '.'.")
    kpi: str
    title: str | None = None
    scope: Literal["company"] | dict[str, str] = "company"
    target: float
    direction: Literal["higher", "lower"] | None = None
    deadline: date
    owner: str = Field(min_length=1)
    start: date | None = None
    period: Literal["day", "week", "month", "quarter"] = "month"

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("an id is 1-64 letters, digits, '_', '-' or '.', starting with a "
                             "letter or digit")  # fmt: skip
        return value

    @field_validator("kpi")
    @classmethod
    def _kpi(cls, value: str) -> str:
        if value not in KPIS:
            raise ValueError(f"unknown KPI {value!r}; valid KPIs: {', '.join(KPIS)}")
        return value

    @field_validator("scope")
    @classmethod
    def _scope(cls, value: Any, info: ValidationInfo) -> Any:
        if value == "company":
            return value
        if len(value) != 1:
            raise ValueError("a scope is 'company' or one dimension and its value, e.g. "
                             "{team: delivery}")  # fmt: skip
        ((dimension, _),) = value.items()
        if dimension not in SCOPE_DIMENSIONS:
            raise ValueError(f"unknown scope {dimension!r}; valid scopes: company, "
                             f"{', '.join(SCOPE_DIMENSIONS)}")  # fmt: skip
        kpi = info.data.get("kpi")
        if kpi is None:
            return value
        definition = KPIS[kpi]
        if dimension == "segment":
            if definition.table == "employee_pulses":
                raise ValueError(f"KPI {kpi!r} is about employees, not customers: it cannot "
                                 "be scoped to a customer segment")  # fmt: skip
        elif dimension not in definition.dimensions:
            raise ValueError(f"KPI {kpi!r} cannot be scoped to {dimension!r}; valid scopes: "
                             f"company, {', '.join(definition.dimensions)}, segment")  # fmt: skip
        return value

    @field_validator("target")
    @classmethod
    def _target(cls, value: float, info: ValidationInfo) -> float:
        kpi = info.data.get("kpi")
        if kpi is None:
            return value
        lo, hi = kpi_range(kpi)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            unit = KPIS[kpi].unit
            hint = " (shares are written 0..1: 0.8 for 80%)" if unit == "share" else ""
            raise ValueError(f"target {value} is outside what {kpi} can be, {lo} to {hi}{hint}")
        return value

    @field_validator("start")
    @classmethod
    def _start(cls, value: date | None, info: ValidationInfo) -> date | None:
        deadline = info.data.get("deadline")
        if value is not None and deadline is not None and value >= deadline:
            raise ValueError(f"start {value} must be before the deadline {deadline}")
        return value

    def to_goal(self) -> Goal:
        """The goal with its scope parsed and its direction filled in."""
        scope = GoalScope()
        if isinstance(self.scope, dict):
            ((dimension, value),) = self.scope.items()
            scope = GoalScope(dimension=dimension, value=str(value))
        return Goal(
            id=self.id, kpi=self.kpi, title=self.title, scope=scope, target=self.target,
            direction=self.direction or default_direction(self.kpi), deadline=self.deadline,
            owner=self.owner, start=self.start, period=self.period,
        )  # fmt: skip


class GoalsFile(BaseModel):
    """The whole ``goals.yaml``."""

    model_config = ConfigDict(extra="forbid")

    goals: list[GoalDefinition] = Field(default_factory=list)


def load_goals(path: str | Path) -> list[Goal]:
    """Read and validate a goals file; a missing file means no goals.

    Raises :class:`~cxloop.errors.ConfigError` naming the file, line and field of the first
    mistake (``goals.yaml:7: goals.1.target: …``), also for an id used twice.
    """
    path = Path(path)
    if not path.exists():
        return []
    parsed = load_definition(path, GoalsFile)
    seen: dict[str, int] = {}
    for i, definition in enumerate(parsed.goals):
        if definition.id in seen:
            _, lines = read_yaml(path)
            line = lines.get(("goals", i, "id"), 1)
            raise ConfigError(
                f"{path}:{line}: goals.{i}.id: {definition.id!r} is already the id of goal "
                f"{seen[definition.id]}"
            )
        seen[definition.id] = i
    return [d.to_goal() for d in parsed.goals]


def goal_title(goal: Goal) -> str:
    """The goal's title, or one made from its KPI, scope and target."""
    if goal.title:
        return goal.title
    sign = "≥" if goal.direction == "higher" else "≤"
    return (
        f"{KPIS[goal.kpi].title}, {goal.scope.label}: {sign} {format_value(goal.kpi, goal.target)}"
    )
