"""A person's action on a case, and what follows it: the follow-up survey on resolution.

When a case is resolved and the setting ``case_followup_survey`` names a customer survey, its
customer is invited by e-mail through :mod:`cxloop.act.invitations`, so throttling
(``survey_throttle_days``) and consent (``survey_consent``) apply as for any invitation. The
invitation's trigger is ``case:<case_id>``: a case resolved, reopened and resolved again
invites its customer once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel

from cxloop.act.case_workflow import CaseState, record_case_event
from cxloop.act.email_sender import MailTransport
from cxloop.act.invitations import InvitationOptions, case_audience, send_invitations
from cxloop.domain.case import CaseEvent
from cxloop.errors import ConfigError, CxloopError
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.act.notify_outbox import Notifier
    from cxloop.collect.surveys import SurveyDefinition
    from cxloop.config import Settings


@dataclass(frozen=True)
class FollowUp:
    """The survey a resolved case's customer is invited to, and how to send it."""

    survey: SurveyDefinition
    options: InvitationOptions
    transport: Callable[[], MailTransport]

    @classmethod
    def from_settings(
        cls, settings: Settings, surveys: dict[str, SurveyDefinition]
    ) -> FollowUp | None:
        """None when ``case_followup_survey`` is unset (follow-ups are off)."""
        survey_id = settings.case_followup_survey
        if not survey_id:
            return None
        survey = surveys.get(survey_id)
        if survey is None:
            known = ", ".join(sorted(surveys)) or "none"
            raise ConfigError(
                f"setting 'case_followup_survey': no survey {survey_id!r} (surveys: {known})"
            )
        from cxloop.act.email_sender import SmtpConfig, SmtpTransport

        return cls(
            survey=survey,
            options=InvitationOptions.from_settings(settings),
            transport=lambda: SmtpTransport(SmtpConfig.from_settings(settings)),
        )


def followup_for(
    settings: Settings, surveys: dict[str, SurveyDefinition], kind: str
) -> tuple[FollowUp | None, str | None]:
    """The follow-up for an action of ``kind`` (only ``resolved`` has one), or why there is
    none although the setting asks for one (``not_sent: …``): a wrong survey id must not stop
    a case from being resolved."""
    if kind != "resolved" or not settings.case_followup_survey:
        return None, None
    try:
        return FollowUp.from_settings(settings, surveys), None
    except ConfigError as exc:
        return None, f"not_sent: {exc.message}"


class CaseActionResult(BaseModel):
    """The event recorded, the case's status after it, and the follow-up's outcome."""

    event: CaseEvent
    status: str
    assignee: str | None
    team_id: str | None = None
    followup: str | None = None


def send_followup(
    warehouse: Warehouse, followup: FollowUp, case_id: str, customer_id: str, now: datetime
) -> str:
    """Invite a resolved case's customer; return the outcome (``sent``, ``throttled``,
    ``no_consent``, ``already_invited``, ``failed``, or ``not_sent: <reason>``)."""
    try:
        report = send_invitations(
            warehouse,
            followup.survey,
            case_audience(case_id, customer_id),
            followup.options,
            transport=followup.transport(),
            now=now,
        )
    except CxloopError as exc:
        return f"not_sent: {exc.message}"
    if not report.outcomes:
        return "not_sent: no such customer"
    outcome = report.outcomes[0]
    return outcome.status if outcome.reason is None else f"{outcome.status}: {outcome.reason}"


def act_on_case(
    warehouse: Warehouse,
    case_id: str,
    kind: str,
    actor: str,
    *,
    assignee: str | None = None,
    note: str | None = None,
    resolution: str | None = None,
    team: str | None = None,
    followup: FollowUp | None = None,
    now: datetime | None = None,
    notifier: Notifier | None = None,
) -> CaseActionResult:
    """Record an action (see :func:`~cxloop.act.case_workflow.record_case_event`) and, with a
    ``notifier``, the notifications it causes; on ``resolved``, invite the customer to the
    follow-up survey when ``followup`` is given."""
    event, state = record_case_event(
        warehouse, case_id, kind, actor, assignee=assignee, note=note, resolution=resolution,
        team=team, now=now, notifier=notifier,
    )  # fmt: skip
    cases = warehouse.table("cases")
    rows = warehouse.to_pyarrow(
        cases.filter(cases.case_id == case_id).select("customer_id", "team_id")
    ).to_pylist()
    outcome = None
    if kind == "resolved" and followup is not None:
        outcome = send_followup(warehouse, followup, case_id, rows[0]["customer_id"], event.ts)
    return _result(event, state, state.team_id or rows[0]["team_id"], outcome)


def _result(
    event: CaseEvent, state: CaseState, team_id: str | None, outcome: str | None
) -> CaseActionResult:
    return CaseActionResult(
        event=event, status=state.status, assignee=state.assignee, team_id=team_id,
        followup=outcome,
    )  # fmt: skip
