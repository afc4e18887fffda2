"""Each survey's invitation funnel: invitations sent, opened, responses started and completed,
response and completion rates, and the median time to complete."""

from __future__ import annotations

from collections.abc import Iterable

import ibis.expr.types as ir
from pydantic import BaseModel

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
    """Per survey: invitations with a ``sent`` event, ``opened`` and ``responded`` ones."""
    marks = invitations.group_by(["survey_id", "invitation_id"]).aggregate(
        sent=(invitations.status == "sent").any(),
        opened=(invitations.status == "opened").any(),
        responded=(invitations.status == "responded").any(),
    )
    return marks.group_by("survey_id").aggregate(
        invitations=marks.sent.sum().cast("int64"),
        opened=(marks.opened & marks.sent).sum().cast("int64"),
        responded_invitations=(marks.responded & marks.sent).sum().cast("int64"),
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
