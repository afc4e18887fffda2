"""Sending a survey's invitations: plan, record the skipped, send the rest, record each send.

Each e-mail's ``sent`` (or ``failed``) event is written as soon as the SMTP server has answered,
in its own transaction, so an interrupted run loses at most the message in flight, and a
re-run sends only to those with no event yet or whose last send failed.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from cxloop.act.email_sender import MailError, MailTransport, sender_domain
from cxloop.act.invitations.audience import Audience
from cxloop.act.invitations.eligibility import FAILED, SENT
from cxloop.act.invitations.email_content import InvitationContent, build_invitation_email
from cxloop.act.invitations.opt_out import OptOutClaims, opt_out_url, sign_opt_out
from cxloop.act.invitations.planning import (
    ConsentMode,
    PlannedInvitation,
    audience_candidates,
    plan_invitations,
)
from cxloop.act.invitations.records import InvitationEvent, events_table
from cxloop.errors import ConfigError, UsageError
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.collect.surveys import SurveyDefinition
    from cxloop.config import Settings

#: consecutive connection failures after which a run stops (the rest stay un-attempted)
MAX_CONNECTION_FAILURES = 3


@dataclass(frozen=True)
class InvitationOptions:
    """What a send needs from settings (build it with :meth:`from_settings`)."""

    secret: str = ""
    public_base_url: str | None = None
    mail_from: str | None = None
    throttle_days: int = 30
    consent: ConsentMode = "opt-out"
    token_max_age_days: int = 30
    company_name: str = "My company"

    @classmethod
    def from_settings(cls, settings: Settings) -> InvitationOptions:
        return cls(
            secret=settings.signing_key(),
            public_base_url=settings.public_base_url,
            mail_from=settings.mail_from,
            throttle_days=settings.survey_throttle_days,
            consent=settings.survey_consent,
            token_max_age_days=settings.survey_token_max_age_days,
            company_name=settings.company_name,
        )


class InvitationOutcome(BaseModel):
    """What a send did (or, in a dry run, would do) for one person."""

    customer_id: str | None
    invitation_id: str
    trigger: str
    status: Literal["sent", "failed", "throttled", "no_consent", "already_invited", "pending"]
    language: str | None = None
    reason: str | None = None
    employee_id: str | None = None


class SendReport(BaseModel):
    """The result of :func:`send_invitations`; ``counts`` by outcome status.

    ``pending`` counts people who were to be sent an e-mail but were not: all of them in a
    dry run, and those left when a run stopped because the SMTP server was unreachable.
    ``smtp_error`` is the last failure to reach or use the server (not a refused recipient),
    ``stopped`` says why the run stopped early.
    """

    survey_id: str
    audience: str
    dry_run: bool
    counts: dict[str, int]
    stopped: str | None = None
    smtp_error: str | None = None
    outcomes: list[InvitationOutcome]


def send_invitations(
    warehouse: Warehouse,
    survey: SurveyDefinition,
    audience: Audience,
    options: InvitationOptions,
    *,
    transport: MailTransport | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SendReport:
    """Invite an audience to a survey by e-mail.

    Parameters
    ----------
    warehouse
        Where the customers, consents and invitations are, and where events are written.
    survey
        A survey definition: a customer survey for a customer audience, an employee survey
        for an employee audience (a team, a file of employee ids, or all employees).
    audience
        Whom to invite (:func:`~cxloop.act.invitations.audience.segment_audience`,
        :func:`~cxloop.act.invitations.audience.team_audience` and others).
    options
        Secret, links, sender, throttle and consent mode.
    transport
        Sends the messages (an :class:`~cxloop.act.email_sender.SmtpTransport`); needed unless
        ``dry_run``.
    dry_run
        Decide and report only: nothing is written and nothing is sent.
    now
        The time the throttle window ends at (default: now).
    progress
        Called with (messages handled, messages to send) after each message.
    """
    if survey.audience == "employees" and audience.respondent != "employee":
        raise UsageError(
            f"survey {survey.id!r} is for employees; invite them with --team, --employees or "
            "--all-employees"
        )
    if survey.audience != "employees" and audience.respondent == "employee":
        raise UsageError(
            f"survey {survey.id!r} is for {survey.audience}; --team, --employees and "
            "--all-employees invite employees to employee surveys"
        )
    if not dry_run:
        check_ready(options, transport)
    now = now or datetime.now(UTC)
    candidates = audience_candidates(warehouse, survey.id, audience)
    plans = plan_invitations(
        warehouse,
        candidates,
        languages=list(survey.languages),
        now=now,
        throttle_days=options.throttle_days,
        consent=options.consent,
        suppression_secret=options.secret or None,
    )
    outcomes = {p.candidate.invitation_id: _outcome(p) for p in plans}
    stopped = smtp_error = None
    if not dry_run:
        from cxloop.collect.surveys import sync_surveys

        sync_surveys(warehouse, {survey.id: survey})
        skipped = [_event(survey.id, p, p.decision, now) for p in plans if _is_skip(p)]
        if skipped:
            warehouse.append("survey_invitations", events_table(skipped))
        assert transport is not None
        try:
            stopped, smtp_error = _send_all(
                warehouse, survey, options, transport, plans, outcomes, progress
            )
        finally:
            transport.close()
    report_outcomes = list(outcomes.values())
    return SendReport(
        survey_id=survey.id,
        audience=audience.describe(),
        dry_run=dry_run,
        counts=dict(Counter(o.status for o in report_outcomes)),
        stopped=stopped,
        smtp_error=smtp_error,
        outcomes=report_outcomes,
    )


def check_ready(options: InvitationOptions, transport: MailTransport | None) -> None:
    if not options.public_base_url:
        raise ConfigError(
            "setting 'public_base_url' is not set: the e-mail's links need the address "
            "people reach this server at (e.g. https://cx.acme.example)"
        )
    if not options.public_base_url.startswith(("https://", "http://")):
        raise ConfigError(
            f"setting 'public_base_url' {options.public_base_url!r}: expected an http(s):// URL"
        )
    if not options.mail_from:
        raise ConfigError("setting 'mail_from' is not set: e-mail needs a sender address")
    if transport is None:
        raise UsageError("send_invitations needs a mail transport unless dry_run is true")


def _is_skip(plan: PlannedInvitation) -> bool:
    return plan.decision in ("throttled", "no_consent", "failed")


def _outcome(plan: PlannedInvitation) -> InvitationOutcome:
    status = "pending" if plan.decision == "send" else plan.decision
    employee = plan.candidate.respondent == "employee"
    return InvitationOutcome(
        customer_id=None if employee else plan.candidate.customer_id,
        employee_id=plan.candidate.customer_id if employee else None,
        invitation_id=plan.candidate.invitation_id,
        trigger=plan.candidate.trigger,
        status=status,
        language=plan.language,
        reason=plan.reason,
    )


def _event(
    survey_id: str,
    plan: PlannedInvitation,
    status: str,
    ts: datetime,
    extra: dict[str, object] | None = None,
) -> InvitationEvent:
    details: dict[str, object] = {"trigger": plan.candidate.trigger}
    if plan.language:
        details["language"] = plan.language
    if plan.reason and status != SENT:
        details["reason"] = plan.reason
    details.update(plan.details or {})
    details.update(extra or {})
    employee = plan.candidate.respondent == "employee"
    return InvitationEvent(
        invitation_id=plan.candidate.invitation_id,
        survey_id=survey_id,
        customer_id=None if employee else plan.candidate.customer_id,
        employee_id=plan.candidate.customer_id if employee else None,
        status=status,
        ts=ts,
        details=details,
        attempt=plan.failures + 1,
    )


def _send_all(
    warehouse: Warehouse,
    survey: SurveyDefinition,
    options: InvitationOptions,
    transport: MailTransport,
    plans: list[PlannedInvitation],
    outcomes: dict[str, InvitationOutcome],
    progress: Callable[[int, int], None] | None,
) -> tuple[str | None, str | None]:
    from cxloop.collect.surveys import InvitationClaims, sign_invitation

    to_send = [p for p in plans if p.decision == "send"]
    assert options.public_base_url and options.mail_from
    domain = sender_domain(options.mail_from)
    connection_failures = 0
    smtp_error: str | None = None
    stopped = None
    for done, plan in enumerate(to_send, start=1):
        candidate = plan.candidate
        language = plan.language or survey.languages[0]
        token = sign_invitation(
            options.secret,
            InvitationClaims(
                invitation_id=candidate.invitation_id,
                survey_id=survey.id,
                respondent=candidate.respondent,
                respondent_id=candidate.customer_id,
                language=language,
            ),
        )
        message_id = f"<{candidate.invitation_id}@{domain}>"
        content = invitation_content(survey, language, plan.greeting_name, options)
        if candidate.respondent == "customer":  # the opt-out link records a customer's consent
            opt_out = sign_opt_out(
                options.secret, OptOutClaims(customer_id=candidate.customer_id, language=language)
            )
            content = dataclasses.replace(
                content, opt_out_url=opt_out_url(options.public_base_url, opt_out)
            )
        message = build_invitation_email(
            content,
            to=plan.email or "",
            mail_from=options.mail_from,
            message_id=message_id,
            base_url=options.public_base_url,
            token=token,
        )
        outcome = outcomes[candidate.invitation_id]
        try:
            transport.send(message)
        except MailError as exc:
            plan.reason = exc.reason
            event = _event(survey.id, plan, FAILED, datetime.now(UTC))
            outcome.status, outcome.reason = "failed", exc.reason
            connection_failures = connection_failures + 1 if exc.connection else 0
            if exc.connection:
                smtp_error = exc.reason
        else:
            event = _event(survey.id, plan, SENT, datetime.now(UTC), {"message_id": message_id})
            outcome.status, outcome.reason = "sent", None
            connection_failures = 0
        warehouse.append("survey_invitations", events_table([event]))
        if progress is not None:
            progress(done, len(to_send))
        if connection_failures >= MAX_CONNECTION_FAILURES:
            stopped = (
                f"stopped after {MAX_CONNECTION_FAILURES} failed connections in a row "
                f"({smtp_error}); run the send again to retry"
            )
            break
    return stopped, smtp_error


def invitation_content(
    survey: SurveyDefinition,
    language: str,
    recipient_name: str | None,
    options: InvitationOptions,
) -> InvitationContent:
    """The words of one invitation: the survey's title, intro and first question in
    ``language`` (falling back to the survey's first language)."""
    first = survey.questions[0]
    return InvitationContent(
        language=language,
        survey_id=survey.id,
        title=survey.text("title", language) or survey.id,
        intro=survey.text("intro", language),
        question_text=survey.text(first.id, language) or "",
        question_type=first.type,
        recipient_name=recipient_name,
        company_name=options.company_name,
        token_max_age_days=options.token_max_age_days,
    )
