"""The invitation funnel of a survey: sent → opened → started → responded, with rates.

Counted from ``survey_invitations`` alone (the events the sender and the form write), one
invitation at a time: an invitation counts at a stage when it has an event of that stage or a
later one (a respondent who clicked a score in the e-mail may start without an ``opened``
event). Skips are counted by each invitation's latest status, so a failed send that was
retried and went out counts as sent, not as failed.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel

from cxloop.act.invitations.eligibility import (
    FAILED,
    NO_CONSENT,
    OPENED,
    RESPONDED,
    SENT,
    STARTED,
    THROTTLED,
)
from cxloop.storage import Warehouse

#: each stage and the statuses that show an invitation reached it
STAGES: dict[str, tuple[str, ...]] = {
    "sent": (SENT, OPENED, STARTED, RESPONDED),
    "opened": (OPENED, STARTED, RESPONDED),
    "started": (STARTED, RESPONDED),
    "responded": (RESPONDED,),
}
SKIPS = (FAILED, THROTTLED, NO_CONSENT)


class InvitationFunnel(BaseModel):
    """One survey's funnel. Rates are None when their denominator is 0.

    ``open_rate`` = opened / sent, ``response_rate`` = responded / sent,
    ``completion_rate`` = responded / started.
    """

    survey_id: str
    sent: int = 0
    opened: int = 0
    started: int = 0
    responded: int = 0
    failed: int = 0
    throttled: int = 0
    no_consent: int = 0
    open_rate: float | None = None
    response_rate: float | None = None
    completion_rate: float | None = None


def funnel_expr(invitations: ir.Table) -> ir.Table:
    """Per survey: how many invitations reached each stage, and how many ended skipped.

    Columns: ``survey_id``, one per :data:`STAGES` key and one per :data:`SKIPS` status, and
    the counts of the Surveys pages (:mod:`cxloop.share.survey_funnel`), which read the
    events literally: ``with_sent_event`` (invitations with a ``sent`` event), and of those
    ``opened_and_sent`` and ``responded_and_sent`` (with an ``opened``/``responded`` event).
    """
    ranked = invitations.mutate(
        _n=ibis.row_number().over(
            group_by=invitations.invitation_id,
            order_by=[ibis.desc(invitations.ts), ibis.desc(invitations.invitation_event_id)],
        )
    )
    per_invitation = ranked.group_by(["survey_id", "invitation_id"]).aggregate(
        **{
            f"_{stage}": ranked.status.isin(list(statuses)).any()
            for stage, statuses in STAGES.items()
        },
        _last=ranked.status.max(where=ranked._n == 0),
        _sent_event=(ranked.status == SENT).any(),
        _opened_event=(ranked.status == OPENED).any(),
        _responded_event=(ranked.status == RESPONDED).any(),
    )
    sent_event = per_invitation._sent_event
    return per_invitation.group_by("survey_id").aggregate(
        **{stage: per_invitation[f"_{stage}"].cast("int64").sum() for stage in STAGES},
        **{status: (per_invitation._last == status).cast("int64").sum() for status in SKIPS},
        with_sent_event=sent_event.cast("int64").sum(),
        opened_and_sent=(per_invitation._opened_event & sent_event).cast("int64").sum(),
        responded_and_sent=(per_invitation._responded_event & sent_event).cast("int64").sum(),
    )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def invitation_funnels(
    warehouse: Warehouse, survey_id: str | None = None
) -> list[InvitationFunnel]:
    """The funnel of every survey with invitations (or of one), ordered by survey id.

    Examples
    --------
    >>> from cxloop.storage import open_warehouse
    >>> invitation_funnels(open_warehouse("duckdb:///:memory:"))
    []
    """
    invitations = warehouse.table("survey_invitations")
    if survey_id is not None:
        invitations = invitations.filter(invitations.survey_id == survey_id)
    frame = warehouse.to_pandas(funnel_expr(invitations).order_by("survey_id"))
    funnels = []
    for row in frame.to_dict("records"):
        counts = {k: int(row[k] or 0) for k in (*STAGES, *SKIPS)}
        funnels.append(
            InvitationFunnel(
                survey_id=str(row["survey_id"]),
                **counts,
                open_rate=_rate(counts["opened"], counts["sent"]),
                response_rate=_rate(counts["responded"], counts["sent"]),
                completion_rate=_rate(counts["responded"], counts["started"]),
            )
        )
    return funnels


def invitation_funnel(warehouse: Warehouse, survey_id: str) -> InvitationFunnel:
    """One survey's funnel (all zeros when it has no invitations yet)."""
    found = invitation_funnels(warehouse, survey_id)
    return found[0] if found else InvitationFunnel(survey_id=survey_id)
