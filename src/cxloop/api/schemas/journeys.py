"""Wire format of ``/v1/journeys``: the library's own models."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.journey import (
    JourneyLink,
    JourneyNode,
    JourneyPath,
    JourneyReport,
    MomentOfTruth,
    MomentsOfTruth,
    StepTransition,
    TouchpointDropOff,
    TouchpointSatisfaction,
)

#: the error answers of the journeys route, for the OpenAPI document
JOURNEY_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        401: "No API key or session.",
        403: "The caller has no role that may read journeys.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = [
    "JOURNEY_ERRORS", "JourneyLink", "JourneyNode", "JourneyPath", "JourneyReport",
    "MomentOfTruth", "MomentsOfTruth", "StepTransition", "TouchpointDropOff",
    "TouchpointSatisfaction",
]  # fmt: skip
