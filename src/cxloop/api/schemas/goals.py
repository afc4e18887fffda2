"""Wire formats of ``/v1/goals``: the library's own models."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.goal import Goal, GoalEvaluation, GoalScope, Projection, TrendPoint

#: the error answers of the goal routes, for the OpenAPI document
GOAL_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        401: "No API key or session.",
        403: "The caller has no role that may read goals.",
        404: "No goal with this id.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = ["GOAL_ERRORS", "Goal", "GoalEvaluation", "GoalScope", "Projection", "TrendPoint"]
