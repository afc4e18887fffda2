"""Wire formats of ``/v1/customers``: the library's own models, so the API, the CLI's
``--json`` and the Python API say the same thing."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.unify.profile import (
    CustomerProfile,
    GoldenRecord,
    Identity,
    ProfileSummary,
    SourceRecord,
    Timeline,
    TimelineItem,
)
from cxloop.unify.search import CustomerHit, CustomerSearchResult

#: the error answers of the customer routes, for the OpenAPI document
CUSTOMER_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "The reference names several customers (an e-mail shared by them), or a bad "
        "parameter.",
        401: "No API key or session.",
        403: "The caller's role is below agent.",
        404: "No customer matches.",
    }.items()
}

__all__ = [
    "CUSTOMER_ERRORS",
    "CustomerHit",
    "CustomerProfile",
    "CustomerSearchResult",
    "GoldenRecord",
    "Identity",
    "ProfileSummary",
    "SourceRecord",
    "Timeline",
    "TimelineItem",
]
