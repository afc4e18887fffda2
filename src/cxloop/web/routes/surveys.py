"""The Surveys pages: every survey's funnel, and one survey's live results."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cxloop.access import audit
from cxloop.api.deps import Analyst, SettingsDep, WarehouseDep
from cxloop.collect.surveys.definitions import SurveyDefinition
from cxloop.domain.access import Role
from cxloop.share.survey_funnel import survey_funnels
from cxloop.share.survey_results import survey_results
from cxloop.web.rendering import render, render_error, ui_language

router = APIRouter(include_in_schema=False)
COMMENTS = 10


def served_surveys(request: Request) -> dict[str, SurveyDefinition]:
    """The surveys the app serves (loaded when it started)."""
    return getattr(request.app.state, "surveys", {})  # type: ignore[no-any-return]


@router.get("/surveys")
def surveys_page(request: Request, principal: Analyst, warehouse: WarehouseDep) -> Response:
    surveys = served_surveys(request)
    funnels = survey_funnels(warehouse, surveys)
    language = ui_language(request).code
    rows = [
        (survey, survey.text("title", language), funnels[survey_id])
        for survey_id, survey in sorted(surveys.items())
    ]
    return render(request, "surveys.html", {"rows": rows})


@router.get("/surveys/{survey_id}")
def survey_page(
    request: Request,
    survey_id: str,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
) -> Response:
    survey = served_surveys(request).get(survey_id)
    if survey is None:
        return render_error(request, 404, f"no survey {survey_id!r}")
    language = ui_language(request).code
    funnel = survey_funnels(warehouse, [survey_id])[survey_id]
    results = survey_results(
        warehouse, survey, language=language, min_group_n=settings.survey_min_group_n,
        small_n=settings.kpi_small_n, original_text=principal.role.allows(Role.ADMIN),
        comments=COMMENTS,
    )  # fmt: skip
    if results.comments:
        audit.record(
            warehouse, principal.actor, "read", target_table="feedback",
            details={"page": f"survey:{survey_id}",
                     "feedback_ids": [c.feedback_id for c in results.comments]},
        )  # fmt: skip
    return render(
        request,
        "survey.html",
        {
            "survey": survey,
            "title": survey.text("title", language),
            "funnel": funnel,
            "results": results,
            "min_group_n": settings.survey_min_group_n,
            "timezone": str(ui_language(request).timezone),
        },
    )
