"""``POST /v1/surveys/{id}/send``: invite an audience to a survey through the server.

The CLI's ``cxloop survey send`` opens the warehouse itself, which the running server holds on
the embedded DuckDB warehouse; this route sends through the server's own connection instead.
Analysts and admins may send; every call, dry runs included, is recorded in the audit log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path

from cxloop.access import audit
from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.act.invitations import (
    Audience,
    InvitationOptions,
    SendReport,
    all_employees_audience,
    customer_ids_audience,
    employee_ids_audience,
    event_audience,
    segment_audience,
    send_invitations,
    team_audience,
)
from cxloop.api.deps import Analyst, SettingsDep, SurveysDep, WarehouseDep
from cxloop.api.schemas.survey_sends import SEND_ERRORS, SendRequest
from cxloop.errors import NotFoundError

router = APIRouter(prefix="/v1/surveys", tags=["surveys"])
#: how far back ``after_event`` looks without ``since`` (as the CLI)
DEFAULT_EVENT_WINDOW = timedelta(days=7)


def request_audience(body: SendRequest) -> Audience:
    """The audience a request names."""
    if body.segment is not None:
        return segment_audience(body.segment, wave=body.wave)
    if body.customer_ids is not None:
        return customer_ids_audience(body.customer_ids, wave=body.wave)
    if body.after_event is not None:
        since = body.since or datetime.now(UTC) - DEFAULT_EVENT_WINDOW
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
        return event_audience(body.after_event, since, wave=body.wave)
    if body.team is not None:
        return team_audience(body.team, wave=body.wave)
    if body.employee_ids is not None:
        return employee_ids_audience(body.employee_ids, wave=body.wave)
    return all_employees_audience(wave=body.wave)


@router.post("/{survey_id}/send", response_model=SendReport, responses=SEND_ERRORS)
def send_survey(
    body: SendRequest,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    surveys: SurveysDep,
    survey_id: Annotated[str, Path(max_length=64, description="A survey id.")],
) -> SendReport:
    """Invite the audience by e-mail, as `cxloop survey send` does: throttled, with consent,
    never twice for the same trigger. The report says what happened to each person; when the
    SMTP server failed, `smtp_error` (and `stopped`) say so and the next call retries."""
    survey = surveys.get(survey_id)
    if survey is None:
        raise NotFoundError(f"no survey {survey_id!r}")
    audience = request_audience(body)
    transport = None if body.dry_run else SmtpTransport(SmtpConfig.from_settings(settings))
    report = send_invitations(
        warehouse, survey, audience, InvitationOptions.from_settings(settings),
        transport=transport, dry_run=body.dry_run,
    )  # fmt: skip
    audit.record(
        warehouse,
        principal.actor,
        "send",
        target_table="survey_invitations",
        target_id=survey_id,
        details={
            "audience": report.audience,
            "dry_run": body.dry_run,
            "counts": report.counts,
            "smtp_error": report.smtp_error,
        },
    )
    return report
