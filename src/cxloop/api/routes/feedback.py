"""``GET /v1/feedback`` (filtered, searched, paged, with insights) and
``GET /v1/feedback/{feedback_id}``.

Viewers and up may read feedback, and every read leaves a ``read`` row in the audit log naming
the feedback shown. Only admins get the original ``text``; every other role gets ``null``
there and reads the PII-redacted copy in ``insight.redacted_text`` (their search, too, looks
only in the redacted copy).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import ValidationError

from cxloop.access import audit
from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.feedback import FEEDBACK_ERRORS, FeedbackEntry, FeedbackPage
from cxloop.errors import UsageError
from cxloop.share.feedback_explorer import (
    MAX_ID_LENGTH,
    MAX_LIMIT,
    Visibility,
    get_feedback,
    list_feedback,
)
from cxloop.share.feedback_filters import (
    MAX_QUERY_LENGTH,
    CesBand,
    CsatBand,
    FeedbackFilters,
    NpsBand,
)
from cxloop.understand.text.parts import Intent, SentimentLabel

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


def feedback_filters(
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description="Words the text contains, each anywhere (case and accents aside; "
            "Chinese matches any substring). Non-admins search the redacted text.",
        ),
    ] = "",
    language: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", description="en, es, zh…"),
    ] = None,
    sentiment: Annotated[SentimentLabel | None, Query()] = None,
    theme: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    intent: Annotated[Intent | None, Query()] = None,
    touchpoint: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    team: Annotated[str | None, Query(min_length=1, max_length=100, description="Team id.")] = None,
    nps_band: Annotated[NpsBand | None, Query(description="0-6, 7-8, 9-10.")] = None,
    csat_band: Annotated[CsatBand | None, Query(description="1-2, 3, 4-5.")] = None,
    ces_band: Annotated[CesBand | None, Query(description="1-3, 4, 5-7 (7: easy).")] = None,
    date_from: Annotated[date | None, Query(description="First day, inclusive.")] = None,
    date_to: Annotated[date | None, Query(description="Last day, inclusive.")] = None,
) -> FeedbackFilters:
    """The filters of a request, checked together (one line naming the field if not)."""
    return filters_from(locals())


def filters_from(values: Mapping[str, object]) -> FeedbackFilters:
    """:class:`FeedbackFilters` from plain values, or a :class:`UsageError` naming the field."""
    try:
        return FeedbackFilters.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "filters"
        message = str(first.get("msg", "not valid")).removeprefix("Value error, ")
        raise UsageError(f"{where}: {message}" if where != "filters" else message) from None


Filters = Annotated[FeedbackFilters, Depends(feedback_filters)]


@router.get("", response_model=FeedbackPage, responses=FEEDBACK_ERRORS)
def list_feedback_route(
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> FeedbackPage:
    """Feedback matching the filters, newest first, with its insights, a page at a time.
    Dates are days in the project's time zone."""
    page = list_feedback(
        warehouse,
        filters,
        limit,
        offset,
        visibility=Visibility.for_role(principal.role),
        timezone=settings.timezone,
    )
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="feedback",
        details={
            "via": "api",
            "filters": filters.model_dump(mode="json", exclude_defaults=True),
            "feedback_ids": [item.feedback_id for item in page.items],
        },
    )
    return page


@router.get("/{feedback_id}", response_model=FeedbackEntry, responses=FEEDBACK_ERRORS)
def get_feedback_route(
    principal: Viewer,
    warehouse: WarehouseDep,
    feedback_id: Annotated[str, Path(max_length=MAX_ID_LENGTH, description="A feedback id.")],
) -> FeedbackEntry:
    """One piece of feedback with its insights."""
    entry = get_feedback(warehouse, feedback_id, visibility=Visibility.for_role(principal.role))
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="feedback",
        target_id=entry.feedback_id,
        details={"via": "api", "original_text": entry.text is not None},
    )
    return entry
