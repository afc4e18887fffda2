"""The Customers pages: search (``/customers``) and one customer's 360 profile
(``/customers/{reference}``). Agents and up; every page that shows customers is audited."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from cxloop.access import audit
from cxloop.api.deps import Agent, SettingsDep, WarehouseDep
from cxloop.storage import Warehouse
from cxloop.understand.segments import profile_with_segments
from cxloop.unify.profile import COMPARED_FIELDS, CustomerProfile
from cxloop.unify.search import MAX_QUERY_LENGTH, search_customers
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language
from cxloop.web.routes.identity_review import review_view

router = APIRouter(include_in_schema=False)

#: customers per page of search results, timeline items per page of a profile
PAGE_SIZE = 25
TIMELINE_PAGE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Pager:
    """Where a page of a list is, and the addresses of its neighbours."""

    page: int
    pages: int
    first: int
    last: int
    total: int
    previous_url: str | None
    next_url: str | None


def pager(path: str, params: dict[str, Any], page: int, size: int, total: int) -> Pager:
    pages = max(1, math.ceil(total / size))

    def url(number: int) -> str:
        query = {k: v for k, v in params.items() if v} | ({"page": number} if number > 1 else {})
        return path + (f"?{urlencode(query)}" if query else "")

    return Pager(
        page=page,
        pages=pages,
        first=min(total, (page - 1) * size + 1),
        last=min(total, page * size),
        total=total,
        previous_url=url(page - 1) if page > 1 else None,
        next_url=url(page + 1) if page < pages else None,
    )


@router.get("/customers")
def customers_page(
    request: Request,
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    result = search_customers(
        warehouse,
        q,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
        default_country=settings.resolve_default_country,
    )
    if result.customers:
        audit.record(
            warehouse,
            principal.actor,
            "read",
            target_table="customers",
            details={
                "page": "customers",
                "query": result.query,
                "customer_ids": [hit.customer_id for hit in result.customers],
            },
        )
    return render(
        request,
        "customers.html",
        {
            "q": result.query,
            "result": result,
            "pager": pager("/customers", {"q": result.query}, page, PAGE_SIZE, result.total),
            "any_customers": bool(result.total) or warehouse_has_customers(warehouse),
            "timezone": str(ui_language(request).timezone),
        },
    )


def warehouse_has_customers(warehouse: Warehouse) -> bool:
    table = warehouse.table("customers")
    return bool(warehouse.to_pyarrow(table.limit(1).count()).as_py())


@dataclass(frozen=True)
class FieldRow:
    """One field of the source records side by side; ``differs`` when they disagree."""

    name: str
    values: list[Any]
    differs: bool


def record_rows(profile: CustomerProfile) -> list[FieldRow]:
    """The compared fields any record has, then the attributes, record by record."""
    records = profile.source_records
    differing = set(profile.differing_fields)
    rows = []
    for name in COMPARED_FIELDS:
        values = [getattr(r, name) for r in records]
        if any(v is not None for v in values):
            rows.append(FieldRow(name, values, name in differing))
    keys = sorted({key for r in records for key in r.attributes})
    for key in keys:
        values = [r.attributes.get(key) for r in records]
        present = {str(v).strip().casefold() for v in values if v not in (None, "")}
        rows.append(FieldRow(key, values, len(present) > 1))
    return rows


@router.get("/customers/{reference}")
def customer_page(
    request: Request,
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    reference: str,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    a: Annotated[str, Query(max_length=300)] = "",
    b: Annotated[str, Query(max_length=300)] = "",
    b_id: Annotated[str, Query(max_length=300)] = "",
    applied: Annotated[str, Query(max_length=40)] = "",
    undone: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The profile; for analysts also the identity review (``a`` and ``b``: two records to
    explain, ``b_id`` typed in wins over ``b``; ``applied`` / ``undone``: an override just
    changed)."""
    profile = profile_with_segments(
        warehouse,
        settings,
        reference,
        timeline_limit=TIMELINE_PAGE,
        timeline_offset=(page - 1) * TIMELINE_PAGE,
    )
    canonical = f"/customers/{quote(profile.customer_id, safe='')}"
    if reference != profile.customer_id:  # an e-mail or a source record: one address each
        return RedirectResponse(canonical + (f"?page={page}" if page > 1 else ""), 303)
    review, status = review_view(
        request,
        principal,
        warehouse,
        settings,
        profile,
        a=a.strip(),
        b=b_id.strip() or b.strip(),
        applied=applied,
        undone=undone,
    )
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="customers",
        target_id=profile.customer_id,
        details={"page": "customer", "timeline_items": len(profile.timeline.items)},
    )
    return render(
        request,
        "customer.html",
        {
            "profile": profile,
            "golden": profile.golden_record,
            "record_rows": record_rows(profile),
            "pager": pager(canonical, {}, page, TIMELINE_PAGE, profile.timeline.total),
            "timezone": str(ui_language(request).timezone),
            "review": review,
            "scripts": CHART_SCRIPTS if review.explanation else [],
        },
        status_code=status,
    )
