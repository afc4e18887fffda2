"""Wire formats of ``/v1/cases``: the library's own models, and the body of a new event."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cxloop.act.case_actions import CaseActionResult
from cxloop.act.case_workflow import MAX_NOTE_LENGTH
from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.case import CaseDetail, CaseEvent, CasePage, CaseSummary


class CaseEventCreate(BaseModel):
    """An action on a case: what happened, and what it needs (see docs/cases.md)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[
        "assigned", "acknowledged", "commented", "customer_contacted", "resolved", "reopened",
        "closed", "reassigned",
    ]  # fmt: skip
    assignee: str | None = Field(
        default=None, max_length=200, description="For assigned: who takes the case."
    )
    note: str | None = Field(
        default=None, max_length=MAX_NOTE_LENGTH, description="The comment or what was done."
    )
    resolution: str | None = Field(
        default=None, max_length=40, description="For resolved: a resolution code."
    )
    team: str | None = Field(
        default=None,
        max_length=64,
        description="For reassigned: the team id the case (and its SLA) goes to; the note "
        "says why.",
    )


#: the error answers of the case routes, for the OpenAPI document
CASE_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "A parameter or the event is not valid (a missing resolution code, a comment "
        "without text, an unknown team); the message names the field.",
        401: "No API key or session.",
        403: "The caller's role may not read or act on cases (agent and up may).",
        404: "No case with this id.",
        409: "The event cannot follow the case's status (a closed case cannot be resolved), "
        "or the case already belongs to the team it is reassigned to.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = [
    "CASE_ERRORS",
    "CaseActionResult",
    "CaseDetail",
    "CaseEvent",
    "CaseEventCreate",
    "CasePage",
    "CaseSummary",
]
