"""``GET /v1/goals`` and ``GET /v1/goals/{goal_id}``: KPI goals with status and trend points.

Goals and KPIs are aggregates, no one's personal data: every role from viewer up may read them.
The goals are those of ``kpi_goals``, which the server fills from ``goals.yaml`` when it starts
(:func:`sync_project_goals`) and ``cxloop goals`` refreshes.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Query

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.goals import GOAL_ERRORS, GoalEvaluation
from cxloop.errors import ConfigError, NotFoundError
from cxloop.understand.goals import GOALS_FILE, evaluate_goals, load_goals, stored_goals, sync_goals

router = APIRouter(prefix="/v1/goals", tags=["goals"])
log = logging.getLogger("cxloop.api")

AsOf = Annotated[date | None, Query(description="Judge the goals as on this day (default: today).")]


@router.get("", response_model=list[GoalEvaluation], responses=GOAL_ERRORS)
def get_goals(
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    team: Annotated[
        str | None, Query(max_length=200, description="Only the goals scoped to this team id.")
    ] = None,
    as_of: AsOf = None,
) -> list[GoalEvaluation]:
    """Every goal with its status, the rule's sentence, the latest value and the trend."""
    goals = stored_goals(warehouse, team=team)
    return evaluate_goals(warehouse, goals, as_of=as_of, small_n=settings.kpi_small_n)


@router.get("/{goal_id}", response_model=GoalEvaluation, responses=GOAL_ERRORS)
def get_goal(
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    goal_id: Annotated[str, Path(max_length=64, description="A goal id from GET /v1/goals.")],
    as_of: AsOf = None,
) -> GoalEvaluation:
    """One goal with its status and its KPI per period (value, n, 95% interval)."""
    goal = next((g for g in stored_goals(warehouse) if g.id == goal_id), None)
    if goal is None:
        raise NotFoundError(f"no goal with id {goal_id!r}")
    return evaluate_goals(warehouse, [goal], as_of=as_of, small_n=settings.kpi_small_n)[0]


def sync_project_goals(app: FastAPI) -> None:
    """On start: store the project's ``goals.yaml`` in ``kpi_goals``. A file with a mistake
    leaves the stored goals as they were; the error is logged and shown on the Scorecard."""
    settings = app.state.settings
    app.state.goals_error = None
    try:
        goals = load_goals(settings.project / GOALS_FILE)
    except ConfigError as exc:
        app.state.goals_error = exc.message
        log.warning("goals.yaml not loaded: %s", exc.message)
        return
    sync_goals(app.state.warehouse, goals)
