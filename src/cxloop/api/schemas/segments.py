"""Wire formats of ``/v1/segments``: the library's own models."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.segment import MemberPage, SegmentDetail, SegmentMember, SegmentSummary

#: the error answers of the segment routes, for the OpenAPI document
SEGMENT_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "A segment definition of the project is not valid; the message names the file.",
        401: "No API key or session.",
        403: "The caller's role may not read this.",
        404: "No segment with this id; the message lists the ids.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = ["SEGMENT_ERRORS", "MemberPage", "SegmentDetail", "SegmentMember", "SegmentSummary"]
