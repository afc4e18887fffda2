"""``GET /v1/surveys`` (every survey with its funnel) and ``GET /v1/surveys/{id}`` (one
survey's definition, funnel and results).

Analysts and admins may read them, as on the Surveys pages. Results follow the same rules:
redacted comments for all but admins, employee results only for groups of at least
``survey_min_group_n``, never an individual employee's answers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from cxloop.api.deps import Analyst, SettingsDep, WarehouseDep
from cxloop.api.schemas.surveys import (
    SURVEY_ERRORS,
    SurveyDetail,
    SurveyFunnelPublic,
    SurveySummary,
)
from cxloop.collect.surveys.definitions import SurveyDefinition
from cxloop.domain.access import Role
from cxloop.errors import NotFoundError
from cxloop.share.survey_funnel import SurveyFunnel, survey_funnels
from cxloop.share.survey_results import survey_results

router = APIRouter(prefix="/v1/surveys", tags=["surveys"])


def _surveys(request: Request) -> dict[str, SurveyDefinition]:
    return getattr(request.app.state, "surveys", {})  # type: ignore[no-any-return]


def _funnel(funnel: SurveyFunnel) -> SurveyFunnelPublic:
    return SurveyFunnelPublic(
        **funnel.model_dump(exclude={"survey_id", "responded_invitations"}),
        response_rate=funnel.response_rate,
        completion_rate=funnel.completion_rate,
    )


@router.get("", response_model=list[SurveySummary], responses=SURVEY_ERRORS)
def get_surveys(
    request: Request, principal: Analyst, warehouse: WarehouseDep
) -> list[SurveySummary]:
    """Every survey the server serves, with its invitation funnel."""
    surveys = _surveys(request)
    funnels = survey_funnels(warehouse, surveys)
    return [
        SurveySummary(
            id=s.id,
            version=s.version,
            title=s.name,
            audience=s.audience,
            touchpoint=s.touchpoint,
            team=s.team,
            languages=s.languages,
            anonymous=s.anonymous,
            questions=len(s.questions),
            funnel=_funnel(funnels[s.id]),
        )
        for _, s in sorted(surveys.items())
    ]


@router.get("/{survey_id}", response_model=SurveyDetail, responses=SURVEY_ERRORS)
def get_survey(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    survey_id: Annotated[str, Path(max_length=64, description="A survey id.")],
    language: Annotated[
        str | None, Query(max_length=8, description="Language of question and option texts.")
    ] = None,
) -> SurveyDetail:
    """The survey's definition, its funnel and its live results."""
    survey = _surveys(request).get(survey_id)
    if survey is None:
        raise NotFoundError(f"no survey {survey_id!r}")
    results = survey_results(
        warehouse, survey, language=language or survey.fallback_language,
        min_group_n=settings.survey_min_group_n, small_n=settings.kpi_small_n,
        original_text=principal.role.allows(Role.ADMIN),
    )  # fmt: skip
    funnel = survey_funnels(warehouse, [survey_id])[survey_id]
    return SurveyDetail(definition=survey, funnel=_funnel(funnel), results=results)
