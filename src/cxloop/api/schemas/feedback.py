"""Wire formats of ``/v1/feedback``: the library's own models, so the API, the web page and the
Python API say the same thing."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.share.feedback_explorer import FeedbackEntry, FeedbackInsight, FeedbackPage
from cxloop.share.feedback_filters import FeedbackFilters

#: the error answers of the feedback routes, for the OpenAPI document
FEEDBACK_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "Filters that cannot work together (date_from after date_to).",
        401: "No API key or session.",
        403: "The caller has no role that may read feedback.",
        404: "No feedback with this id.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = ["FEEDBACK_ERRORS", "FeedbackEntry", "FeedbackFilters", "FeedbackInsight", "FeedbackPage"]
