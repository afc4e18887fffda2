"""``GET /v1/customers`` (search) and ``GET /v1/customers/{reference}`` (the 360 profile).

Both read personal data, so both need the agent role and leave a ``read`` row in the audit log
naming the customers shown.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from cxloop.access import audit
from cxloop.api.deps import Agent, SettingsDep, WarehouseDep
from cxloop.api.schemas.customers import CUSTOMER_ERRORS, CustomerProfile, CustomerSearchResult
from cxloop.understand.segments import profile_with_segments
from cxloop.unify.profile import DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT
from cxloop.unify.search import MAX_LIMIT, MAX_QUERY_LENGTH, search_customers

router = APIRouter(prefix="/v1/customers", tags=["customers"])


@router.get("", response_model=CustomerSearchResult, responses=CUSTOMER_ERRORS)
def list_customers(
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description="Name (any script, accents aside), e-mail or part of one, phone, "
            "customer id prefix, source:source_id, or a source's own id. Empty: everyone.",
        ),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CustomerSearchResult:
    """Customers matching `q`, most recently seen first, a page at a time."""
    result = search_customers(
        warehouse, q, limit, offset, default_country=settings.resolve_default_country
    )
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="customers",
        details={
            "via": "api",
            "query": result.query,
            "customer_ids": [hit.customer_id for hit in result.customers],
        },
    )
    return result


@router.get("/{reference}", response_model=CustomerProfile, responses=CUSTOMER_ERRORS)
def get_customer(
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    reference: Annotated[
        str,
        Path(
            max_length=320,
            description="A customer id (cus_…), an e-mail address, or source:source_id.",
        ),
    ],
    timeline_limit: Annotated[
        int, Query(ge=0, le=MAX_TIMELINE_LIMIT, description="Timeline rows, newest first.")
    ] = DEFAULT_TIMELINE_LIMIT,
    timeline_offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CustomerProfile:
    """One customer's golden record, source records, identities, figures, segments (lifecycle,
    ladder, RFM), CLV and timeline."""
    profile = profile_with_segments(
        warehouse, settings, reference,
        timeline_limit=timeline_limit, timeline_offset=timeline_offset,
    )  # fmt: skip
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="customers",
        target_id=profile.customer_id,
        details={
            "via": "api",
            "reference": reference if reference != profile.customer_id else None,
            "timeline_items": len(profile.timeline.items),
        },
    )
    return profile
