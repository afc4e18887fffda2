"""``GET /v1/segments``, ``/v1/segments/{id}`` and ``/v1/segments/{id}/members``.

Counts and definitions are aggregates: viewers may read them. Members are customer ids, which
are customer data: the agent role, and a ``read`` row in the audit log naming them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from cxloop.access import audit
from cxloop.api.deps import Agent, SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.segments import SEGMENT_ERRORS, MemberPage, SegmentDetail, SegmentSummary
from cxloop.domain.segment import SEGMENT_ID_PATTERN
from cxloop.understand.segments import find_segment, load_segments, member_page
from cxloop.understand.segments import segment_detail as detail_of
from cxloop.understand.segments import summaries as summaries_of

router = APIRouter(prefix="/v1/segments", tags=["segments"])
MAX_PAGE = 1_000
SegmentId = Annotated[
    str, Path(max_length=64, pattern=SEGMENT_ID_PATTERN, description="A segment id.")
]


@router.get("", response_model=list[SegmentSummary], responses=SEGMENT_ERRORS)
def list_segments(
    principal: Viewer, warehouse: WarehouseDep, settings: SettingsDep
) -> list[SegmentSummary]:
    """Every segment of the project with its rule and current member count."""
    definitions = [d for d, _ in load_segments(settings.project)]
    return summaries_of(warehouse, definitions)


@router.get("/{segment_id}", response_model=SegmentDetail, responses=SEGMENT_ERRORS)
def get_segment(
    principal: Viewer, warehouse: WarehouseDep, settings: SettingsDep, segment_id: SegmentId
) -> SegmentDetail:
    """One segment: its definition, member count and history of entries and exits."""
    definition, _ = find_segment(settings.project, segment_id)
    return detail_of(warehouse, definition)


@router.get("/{segment_id}/members", response_model=MemberPage, responses=SEGMENT_ERRORS)
def get_segment_members(
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    segment_id: SegmentId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> MemberPage:
    """The segment's current members (customer ids, when they entered), newest first."""
    find_segment(settings.project, segment_id)
    page = member_page(warehouse, segment_id, limit, offset)
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="segment_members",
        target_id=segment_id,
        details={"via": "api", "customer_ids": [m.customer_id for m in page.members]},
    )
    return page
