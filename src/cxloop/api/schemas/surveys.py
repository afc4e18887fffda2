"""Wire formats of ``/v1/surveys``: a survey's definition with its funnel (and, for one
survey, its results)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.collect.surveys.definitions import SurveyDefinition
from cxloop.share.survey_results import SurveyResults


class SurveyFunnelPublic(BaseModel):
    """Invitations, opens, responses and their rates."""

    invitations: int
    opened: int
    started: int
    responses: int
    response_rate: float | None
    completion_rate: float | None
    median_seconds: float | None


class SurveySummary(BaseModel):
    """One survey in the list."""

    id: str
    version: int
    title: str
    audience: str
    touchpoint: str | None
    team: str | None
    languages: list[str]
    anonymous: bool
    questions: int
    funnel: SurveyFunnelPublic


class SurveyDetail(BaseModel):
    """One survey: its definition, funnel and live results."""

    definition: SurveyDefinition
    funnel: SurveyFunnelPublic
    results: SurveyResults


SURVEY_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        401: "No API key or session.",
        403: "The caller has no role that may read surveys (analyst or admin).",
        404: "No survey with this id.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}
