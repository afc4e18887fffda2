"""Wire formats of ``/v1/advocates``: the library's own models, and the invite request."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cxloop.act.ambassadors import AMBASSADOR_SEGMENT, AMBASSADOR_SURVEY, DEFAULT_TOP, MAX_TOP
from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.advocate import Advocate, AdvocateRanking, InviteReport
from cxloop.domain.segment import SEGMENT_ID_PATTERN

#: the error answers of the advocate routes, for the OpenAPI document
ADVOCATE_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "A setting (mail, public address) or a segment file is not usable; the message "
        "says which.",
        401: "No API key or session.",
        403: "The caller's role may not do this.",
        404: "No survey with this id.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}


class InviteRequest(BaseModel):
    """``POST /v1/advocates/invite``: whom to invite to which survey."""

    model_config = ConfigDict(extra="forbid")

    survey: str = Field(default=AMBASSADOR_SURVEY, max_length=64, description="The survey's id.")
    top: int = Field(
        default=DEFAULT_TOP, ge=1, le=MAX_TOP, description="How many advocates, best first."
    )
    segment: str = Field(
        default=AMBASSADOR_SEGMENT,
        pattern=SEGMENT_ID_PATTERN,
        description="The member-list segment that holds the invitees (created if missing).",
    )
    dry_run: bool = Field(default=False, description="Report who would be added and invited only.")


__all__ = ["ADVOCATE_ERRORS", "Advocate", "AdvocateRanking", "InviteReport", "InviteRequest"]
