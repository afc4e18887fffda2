"""The identity review on a customer's profile page: why two records were (not) linked, and
an analyst's split, merge and undo, applied at once like ``cxloop resolve split|merge|
unoverride`` (stored, audited, re-resolved in one transaction).

The explanation is part of the profile page (``GET /customers/{id}?a=…&b=…``: see
:func:`review_view`); the changes are forms that post here, carry a CSRF token, need the
analyst role, and come back to the profile with what they did.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from cxloop.access import audit
from cxloop.api.deps import Analyst, Principal, SettingsDep, WarehouseDep
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse
from cxloop.unify.corrections import (
    CorrectionResult,
    merge_customers,
    remove_correction,
    split_records,
)
from cxloop.unify.explain import explain_records
from cxloop.unify.options import ResolveOptions
from cxloop.unify.overrides import identity_of
from cxloop.unify.profile import CustomerProfile
from cxloop.unify.review import (
    candidate_customers,
    customer_of_record,
    find_override,
    overrides_naming,
)
from cxloop.web import csrf
from cxloop.web.identity_review import Notice, ReviewView, explanation_view
from cxloop.web.rendering import ui_language

router = APIRouter(include_in_schema=False)

CustomerId = Annotated[str, Path(max_length=300)]
Text = Annotated[str, Form(max_length=300)]
Reason = Annotated[str, Form(max_length=1_000)]
Token = Annotated[str, Form(max_length=200)]
#: the page's anchor for the review, where every change comes back to
ANCHOR = "#identity-review"


def review_view(
    request: Request,
    principal: Principal,
    warehouse: Warehouse,
    settings: Settings,
    profile: CustomerProfile,
    *,
    a: str = "",
    b: str = "",
    applied: str = "",
    undone: str = "",
) -> tuple[ReviewView, int]:
    """The review part of the profile page, and the status the page answers with (4xx when
    the records asked about cannot be explained). Agents get the profile without it."""
    records = [r.record_id for r in profile.source_records]
    overrides = overrides_naming(warehouse, records)
    if not principal.role.allows(Role.ANALYST):
        if a or b:
            raise HTTPException(403, "explanations need the analyst role or higher")
        return ReviewView(False, records, [], overrides, "", ""), 200
    if not records:
        # a customer with no source records left (e.g. all split off): nothing to explain
        return ReviewView(False, records, [], overrides, "", ""), 200
    candidates = candidate_customers(
        warehouse,
        profile.customer_id,
        profile.golden_record.name,
        default_country=settings.resolve_default_country,
    )
    default_b = (
        records[1]
        if len(records) > 1
        else next((c.records[0] for c in candidates if c.records), "")
    )
    view = ReviewView(
        can_change=True,
        records=records,
        candidates=candidates,
        overrides=overrides,
        a=a or records[0],
        b=b or default_b,
        notice=_notice(warehouse, profile.customer_id, applied, undone),
    )
    if not (a or b):
        return view, 200
    try:
        if not a or not b:
            raise UsageError("pick two records to compare (fields a and b)")
        explanation = explain_records(warehouse, a, b)
    except (NotFoundError, UsageError) as error:
        status = 404 if isinstance(error, NotFoundError) else 400
        return replace(view, error=error.message), status
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="identities",
        target_id=f"{a}|{b}",
        details={"view": "explain", "page": "customer", "customer_id": profile.customer_id},
    )
    shown = explanation_view(ui_language(request), explanation, profile.customer_id)
    return replace(view, explanation=shown), 200


def _notice(warehouse: Warehouse, customer_id: str, applied: str, undone: str) -> Notice | None:
    override_id = applied or undone
    override = find_override(warehouse, override_id) if override_id else None
    if override is None:
        return None
    split_customer = None
    if applied and override.kind == "split" and override.records:
        now = customer_of_record(warehouse, override.records[0])
        split_customer = now if now != customer_id else None
    return Notice("applied" if applied else "undone", override, split_customer)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise UsageError("say why (field reason): it is kept with the override")


def _members(warehouse: Warehouse, customer_id: str) -> list[str]:
    """The records of ``customer_id`` now; 404 if it has none."""
    members = sorted(r for r, c in identity_of(warehouse).items() if c == customer_id)
    if not members:
        raise NotFoundError(f"no customer {customer_id!r}")
    return members


def _back(warehouse: Warehouse, members: list[str], result: CorrectionResult, key: str) -> Response:
    """Back to the profile that holds most of ``members`` now, saying what was done."""
    customer_of = identity_of(warehouse)
    home = Counter(customer_of[r] for r in members if r in customer_of).most_common(1)[0][0]
    url = f"/customers/{quote(home, safe='')}?{key}={result.override.override_id}{ANCHOR}"
    return RedirectResponse(url, status_code=303)


@router.post("/customers/{customer_id}/split")
def split_form(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    customer_id: CustomerId,
    records: Annotated[list[str] | None, Form(max_length=1_000)] = None,
    reason: Reason = "",
    csrf_token: Token = "",
) -> Response:
    """Split the records ticked off this customer (cannot-link), then show the profile."""
    csrf.check(request, csrf_token)
    chosen = [r.strip() for r in records or [] if r.strip()]
    if not chosen:
        raise UsageError("tick the records to split off (field records)")
    if any(len(r) > 300 or not r.isprintable() for r in chosen):
        raise UsageError("a record id in field records is not valid")
    _require_reason(reason)
    members = _members(warehouse, customer_id)
    result = split_records(
        warehouse,
        chosen,
        actor=principal.actor,
        reason=reason.strip() or None,
        options=ResolveOptions.from_settings(settings),
        customer_id=customer_id,
    )
    staying = [r for r in members if r not in set(chosen)] or members
    return _back(warehouse, staying, result, "applied")


@router.post("/customers/{customer_id}/merge")
def merge_form(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    customer_id: CustomerId,
    other: Text = "",
    reason: Reason = "",
    csrf_token: Token = "",
) -> Response:
    """Merge another customer (or one record) into this one (must-link), then show the
    profile; the merged customer keeps the oldest of the ids."""
    csrf.check(request, csrf_token)
    other = other.strip()
    if not other or not other.isprintable():
        raise UsageError("name the customer or record to merge into this one (field other)")
    _require_reason(reason)
    members = _members(warehouse, customer_id)
    result = merge_customers(
        warehouse,
        [customer_id, other],
        actor=principal.actor,
        reason=reason.strip() or None,
        options=ResolveOptions.from_settings(settings),
    )
    return _back(warehouse, members, result, "applied")


@router.post("/customers/{customer_id}/overrides/{override_id}/remove")
def undo_form(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    customer_id: CustomerId,
    override_id: Annotated[str, Path(max_length=40)],
    reason: Reason = "",
    csrf_token: Token = "",
) -> Response:
    """End a merge or split that names this customer's records; they are re-linked by their
    own links."""
    csrf.check(request, csrf_token)
    members = _members(warehouse, customer_id)
    override = find_override(warehouse, override_id)
    if override is None:
        raise NotFoundError(f"no override {override_id!r}")
    if not set(members) & (set(override.records) | set(override.apart)):
        raise UsageError(f"override {override_id} names none of the records of {customer_id}")
    result = remove_correction(
        warehouse,
        override_id,
        actor=principal.actor,
        reason=reason.strip() or None,
        options=ResolveOptions.from_settings(settings),
    )
    return _back(warehouse, members, result, "undone")
