"""Wire format of ``/v1/gap``: the library's own models."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.perception_gap import GapCell, GapReport, GapRow

#: the error answers of the gap route, for the OpenAPI document
GAP_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "until not after since.",
        401: "No API key or session.",
        403: "The caller has no role that may read the perception gap.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = ["GAP_ERRORS", "GapCell", "GapReport", "GapRow"]
