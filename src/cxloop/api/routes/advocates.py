"""``GET /v1/advocates`` (the ranking) and ``POST /v1/advocates/invite`` (the ambassador
programme).

The ranking names customers: the agent role, and a ``read`` row in the audit log naming them,
as for segment members. The invite changes a segment and sends e-mail: the analyst role, and a
``change`` row in the audit log (a dry run writes a ``read`` row: it shows who would be invited).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cxloop.access import audit
from cxloop.act.ambassadors import invite_advocates
from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.api.deps import Agent, Analyst, SettingsDep, SurveysDep, WarehouseDep
from cxloop.api.schemas.advocates import (
    ADVOCATE_ERRORS,
    AdvocateRanking,
    InviteReport,
    InviteRequest,
)
from cxloop.domain.advocate import InviteReport as InviteReportModel
from cxloop.errors import NotFoundError
from cxloop.understand.advocates import rank_advocates
from cxloop.understand.segments import SegmentOptions, reference_moment

router = APIRouter(prefix="/v1/advocates", tags=["advocates"])
MAX_LIMIT = 1_000


@router.get("", response_model=AdvocateRanking, responses=ADVOCATE_ERRORS)
def list_advocates(
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many, best first.")] = 20,
) -> AdvocateRanking:
    """Promoters (latest NPS 9–10) ranked by engagement and value, with the score's parts."""
    options = SegmentOptions.from_settings(
        settings, reference_moment(warehouse, settings.segments_as_of)
    )
    ranking = rank_advocates(warehouse, options, limit=limit)
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="customers",
        details={"via": "api", "advocates": [a.customer_id for a in ranking.advocates]},
    )
    return ranking


def run_invite(
    principal_actor: str,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    surveys: SurveysDep,
    request: InviteRequest,
    via: str,
) -> InviteReportModel:
    """Invite the top advocates (shared by the API and the Advocates page), audited."""
    survey = surveys.get(request.survey)
    if survey is None:
        known = ", ".join(sorted(surveys)) or "none"
        raise NotFoundError(f"survey {request.survey!r}: not in surveys/*.yaml (known: {known})")
    transport = None if request.dry_run else SmtpTransport(SmtpConfig.from_settings(settings))
    report = invite_advocates(
        warehouse, settings, survey, top=request.top, segment_id=request.segment,
        transport=transport, dry_run=request.dry_run,
    )  # fmt: skip
    audit.record(
        warehouse,
        principal_actor,
        "read" if request.dry_run else "change",
        target_table="segment_members",
        target_id=report.segment_id,
        details={
            "via": via,
            "action": "advocates.invite",
            "survey_id": report.survey_id,
            "dry_run": report.dry_run,
            "added": report.added,
            "invitations": report.invitations,
        },
    )
    return report


@router.post("/invite", response_model=InviteReport, responses=ADVOCATE_ERRORS)
def invite(
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    surveys: SurveysDep,
    body: InviteRequest,
) -> InviteReportModel:
    """Add the top advocates to the ambassador segment and invite its members to a survey by
    e-mail (throttled, with consent, never twice); ``dry_run`` changes nothing."""
    return run_invite(principal.actor, warehouse, settings, surveys, body, "api")
