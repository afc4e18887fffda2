"""Each survey's invitation funnel: invitations sent, opened, responses started and completed,
response and completion rates, and the median time to complete."""

from __future__ import annotations

from collections.abc import Iterable

import ibis.expr.types as ir
from pydantic import BaseModel

from cxloop.act.invitations.funnel import funnel_expr
from cxloop.storage import Warehouse


class SurveyFunnel(BaseModel):
    """The funnel of one survey.

    ``response_rate`` is the share of sent invitations answered in full; ``completion_rate``
    the share of started responses that were completed; both are None when there is nothing
    to divide by.
    """

    survey_id: str
    invitations: int = 0
    opened: int = 0
    started: int = 0
    responses: int = 0
    responded_invitations: int = 0
    median_seconds: float | None = None

    @property
    def response_rate(self) -> float | None:
        if not self.invitations:
            return None
        return min(1.0, self.responded_invitations / self.invitations)

    @property
    def completion_rate(self) -> float | None:
        return self.responses / self.started if self.started else None


def invitation_counts_expr(invitations: ir.Table) -> ir.Table:
    """Per survey: invitations with a ``sent`` event, and of those the ``opened`` and
    ``responded`` ones; counted once, by the invitation funnel's
    :func:`~cxloop.act.invitations.funnel.funnel_expr`."""
    counts = funnel_expr(invitations)
    return counts.select(
        "survey_id",
        invitations=counts.with_sent_event,
        opened=counts.opened_and_sent,
        responded_invitations=counts.responded_and_sent,
    )


def response_counts_expr(responses: ir.Table) -> ir.Table:
    """Per survey: responses started (any status), complete, and the median duration."""
    complete = responses.status == "complete"
    return responses.group_by("survey_id").aggregate(
        started=responses.count(),
        responses=complete.sum().cast("int64"),
        median_seconds=responses.duration_s.median(where=complete),
    )


def survey_funnels(warehouse: Warehouse, survey_ids: Iterable[str]) -> dict[str, SurveyFunnel]:
    """The funnel of each survey (zeros for a survey with no invitation or response)."""
    ids = list(survey_ids)
    funnels = {survey_id: SurveyFunnel(survey_id=survey_id) for survey_id in ids}
    if not ids:
        return funnels
    inv = warehouse.table("survey_invitations")
    resp = warehouse.table("survey_responses")
    counts = [
        warehouse.to_pyarrow(invitation_counts_expr(inv.filter(inv.survey_id.isin(ids)))),
        warehouse.to_pyarrow(response_counts_expr(resp.filter(resp.survey_id.isin(ids)))),
    ]
    for table in counts:
        for row in table.to_pylist():
            funnel = funnels.get(row.pop("survey_id"))
            if funnel is not None:
                for key, value in row.items():
                    setattr(funnel, key, value if value is not None else getattr(funnel, key))
    return funnels
