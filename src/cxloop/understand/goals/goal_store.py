"""Goals in the warehouse (``kpi_goals``), so every backend and page reads the same goals."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa

from cxloop.domain.goal import Goal, GoalScope
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema

_COLUMNS = (
    "goal_id", "kpi", "target", "direction", "scope", "period", "valid_from", "valid_to",
    "owner", "title",
)  # fmt: skip


def sync_goals(wh: Warehouse, goals: list[Goal]) -> int:
    """Make ``kpi_goals`` hold exactly ``goals`` (as ``goals.yaml`` defines them).

    Goals no longer in the file are deleted, the others inserted or replaced, in one
    transaction. Returns the number of goals stored. ``valid_from`` is the goal's start and
    ``valid_to`` its deadline.
    """
    rows = [
        {
            "goal_id": g.id, "kpi": g.kpi, "target": g.target, "direction": g.direction,
            "scope": json.dumps({g.scope.dimension: g.scope.value} if g.scope.dimension else {}),
            "period": g.period, "valid_from": g.start, "valid_to": g.deadline,
            "owner": g.owner, "title": g.title,
        }
        for g in goals
    ]  # fmt: skip
    keep = {g.id for g in goals}
    existing = wh.to_pandas(wh.table("kpi_goals").select("goal_id"))["goal_id"].tolist()
    with wh.transaction():
        stale = [str(i) for i in existing if i not in keep]
        if stale:
            wh.delete("kpi_goals", "goal_id", stale)
        if rows:
            wh.replace(
                "kpi_goals", pa.Table.from_pylist(rows, schema=arrow_schema("kpi_goals", _COLUMNS))
            )
    return len(rows)


def stored_goals(wh: Warehouse, *, team: str | None = None) -> list[Goal]:
    """The goals in ``kpi_goals``, ordered by id; with ``team``, only that team's goals."""
    frame = wh.to_pandas(wh.table("kpi_goals").order_by("goal_id"))
    goals = [_goal(row) for row in frame.to_dict("records")]
    if team is not None:
        goals = [g for g in goals if g.scope.dimension == "team" and g.scope.value == team]
    return goals


def _goal(row: dict[str, Any]) -> Goal:
    scope = json.loads(row["scope"] or "{}")
    dimension, value = next(iter(scope.items()), (None, None))
    return Goal(
        id=row["goal_id"], kpi=row["kpi"], title=_text(row.get("title")),
        scope=GoalScope(dimension=dimension, value=value), target=float(row["target"]),
        direction=row["direction"] or "higher", deadline=_day(row["valid_to"]),
        owner=_text(row.get("owner")) or "", start=_day(row["valid_from"]),
        period=row["period"] or "month",
    )  # fmt: skip


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _day(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    return pd.Timestamp(value).date()
