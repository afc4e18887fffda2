"""The ambassador programme: invite the strongest advocates.

:func:`invite_advocates` takes the top of the advocate ranking
(:func:`cxloop.understand.advocates.rank_advocates`), adds them to a member-list segment
(``segments/ambassadors.yaml`` by default, created on first use; see
:mod:`cxloop.understand.segments.member_lists`), refreshes that segment's membership log, and
invites its members to a survey through :mod:`cxloop.act.invitations` — throttled, with
consent, and once per person: the invitation id is a hash of (survey, customer,
``segment:<id>``), so a rerun invites nobody twice. A dry run writes nothing (no file, no log,
no invitation) and reports who would be added and invited.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cxloop.act.email_sender import MailTransport
from cxloop.act.invitations import InvitationOptions, segment_audience, send_invitations
from cxloop.act.invitations.sending import check_ready
from cxloop.collect.surveys import SurveyDefinition
from cxloop.config import Settings
from cxloop.domain.advocate import InviteReport
from cxloop.domain.segment import SegmentDefinition
from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.understand.advocates import rank_advocates
from cxloop.understand.segments.definitions import load_segments
from cxloop.understand.segments.member_lists import (
    MemberListRule,
    plan_listed_members,
    segment_path,
    write_definition,
)
from cxloop.understand.segments.membership import membership_state, refresh_segment
from cxloop.understand.segments.options import SegmentOptions, reference_moment

AMBASSADOR_SEGMENT = "ambassadors"
AMBASSADOR_SURVEY = "ambassador-programme"
DEFAULT_TOP = 20
MAX_TOP = 10_000
SEGMENT_NAME = "Ambassador programme"
SEGMENT_DESCRIPTION = "Advocates invited to the ambassador programme."


def _existing(settings: Settings, segment_id: str) -> SegmentDefinition | None:
    for definition, _ in load_segments(settings.project):
        if definition.id == segment_id:
            return definition
    return None


def invite_advocates(
    warehouse: Warehouse,
    settings: Settings,
    survey: SurveyDefinition,
    *,
    top: int = DEFAULT_TOP,
    segment_id: str = AMBASSADOR_SEGMENT,
    transport: MailTransport | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> InviteReport:
    """Add the ``top`` advocates to segment ``segment_id`` and invite its members to ``survey``.

    Parameters
    ----------
    warehouse, settings
        The project's warehouse and settings (windows, throttle, consent, sender).
    survey
        A customer survey (the starter project has ``ambassador-programme``).
    top
        How many advocates, from the top of the ranking, to add.
    segment_id
        The member-list segment that holds the programme's invitees.
    transport
        Sends the e-mails; needed unless ``dry_run``.
    dry_run
        Report only: no segment file, no membership change, no invitation.
    now
        When (the membership log's time and the throttle's end; default now).
    """
    if not 1 <= top <= MAX_TOP:
        raise UsageError(f"--top {top}: choose between 1 and {MAX_TOP:,} advocates")
    invitation_options = InvitationOptions.from_settings(settings)
    if not dry_run:  # before the segment changes: a send that cannot start changes nothing
        check_ready(invitation_options, transport)
    options = SegmentOptions.from_settings(
        settings, reference_moment(warehouse, settings.segments_as_of)
    )
    ranking = rank_advocates(warehouse, options, limit=top)
    chosen = [a.customer_id for a in ranking.advocates]
    existing = _existing(settings, segment_id)
    update = plan_listed_members(
        existing, segment_id, chosen, name=SEGMENT_NAME, description=SEGMENT_DESCRIPTION
    )
    members = update.definition.members or []
    if dry_run:
        state = membership_state(warehouse, [segment_id]).select("customer_id")
        current = set(warehouse.to_pandas(state)["customer_id"])
        audience = segment_audience(segment_id, members=sorted(current | set(chosen)))
    else:
        if update.added or update.created:
            path = Path(existing.path) if existing and existing.path else None
            write_definition(
                path or segment_path(settings.project, segment_id), update.definition,
                writer="cxloop advocates invite",
            )  # fmt: skip
        rule = MemberListRule(tuple(members))
        refresh_segment(warehouse, update.definition, rule, options, now=now)
        audience = segment_audience(segment_id)
    report = send_invitations(
        warehouse, survey, audience, invitation_options,
        transport=transport, dry_run=dry_run, now=now,
    )  # fmt: skip
    if dry_run:
        size = len(audience.members or ())
    else:
        state = membership_state(warehouse, [segment_id])
        size = int(warehouse.to_pyarrow(state.count()).as_py())
    return InviteReport(
        segment_id=segment_id,
        survey_id=survey.id,
        dry_run=dry_run,
        chosen=chosen,
        added=update.added,
        segment_created=update.created,
        segment_members=size,
        invitations=report.counts,
        outcomes=[
            {"customer_id": o.customer_id, "status": o.status, "reason": o.reason}
            for o in report.outcomes
        ],
        stopped=report.stopped,
        smtp_error=report.smtp_error,
    )
