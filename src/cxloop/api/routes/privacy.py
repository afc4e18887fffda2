"""Privacy requests: ``DELETE /v1/customers/{reference}`` (erase a person from every table) and
``GET /v1/customers/{reference}/export`` (all their data as JSON). Admin only, and audited:
an erasure leaves its own audit record (a salted hash of the id and counts per table); an
export leaves a ``read`` record naming the customer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from cxloop.access import audit
from cxloop.api.deps import Admin, SettingsDep, WarehouseDep
from cxloop.api.schemas.customers import CUSTOMER_ERRORS
from cxloop.privacy.erasure import ErasureReport, erase_customer
from cxloop.privacy.person_export import export_customer

router = APIRouter(prefix="/v1/customers", tags=["privacy"])

_ADMIN_ERRORS = {**CUSTOMER_ERRORS, 403: {**CUSTOMER_ERRORS[403], "description": "Not an admin."}}
Reference = Annotated[
    str,
    Path(
        max_length=320, description="A customer id (cus_…), an e-mail address, or source:source_id."
    ),
]


def forget_cached_reports() -> None:
    """Drop the reports servers keep in memory (journeys, drivers, segment stages): an erased
    person must not live on in one."""
    from cxloop.api.routes import drivers, journeys
    from cxloop.understand.closed_loop import clear_loop_metrics_cache
    from cxloop.web.routes import journeys as journey_pages
    from cxloop.web.routes import segments as segment_pages

    for cache in (
        drivers.DRIVER_CACHE,
        journeys._CACHE,
        journey_pages._CACHE,
        segment_pages._STAGE_CACHE,
    ):
        cache.clear()
    clear_loop_metrics_cache()


@router.delete("/{reference}", response_model=ErasureReport, responses=_ADMIN_ERRORS)
def erase(
    principal: Admin, warehouse: WarehouseDep, settings: SettingsDep, reference: Reference
) -> ErasureReport:
    """Erase the customer from every table (`cxloop erase`): source records, identities,
    golden record, events, orders, feedback and its analysis, survey invitations and
    responses, consents, cases, segment membership, CLV and churn scores. Their e-mail and
    phone are kept only as salted hashes so they are never contacted again."""
    report = erase_customer(warehouse, settings, reference, actor=principal.actor)
    forget_cached_reports()
    return report


@router.get("/{reference}/export", responses=_ADMIN_ERRORS)
def export(
    principal: Admin, warehouse: WarehouseDep, settings: SettingsDep, reference: Reference
) -> dict[str, Any]:
    """All the customer's data, grouped by table (`cxloop export customer`; the format is in
    docs/privacy.md)."""
    document = export_customer(warehouse, settings.project, reference)
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="customers",
        target_id=document["customer_id"],
        details={"via": "api", "export": True, "tables": sorted(document["tables"])},
    )
    return document
