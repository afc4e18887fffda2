"""Identity resolution for analysts: why two records were (not) linked, and merges and splits
of customers that hold through every later run. Every call is audited (the explanation reads
personal data; the corrections change it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from cxloop.access import audit
from cxloop.api.deps import Analyst, SettingsDep, WarehouseDep
from cxloop.api.schemas.errors import ErrorResponse
from cxloop.api.schemas.identities import MergeRequest, RemoveOverrideRequest, SplitRequest
from cxloop.unify.corrections import (
    CorrectionResult,
    merge_customers,
    remove_correction,
    split_records,
)
from cxloop.unify.explain import explain_records
from cxloop.unify.explanation import ExplainOptions, PairExplanation
from cxloop.unify.options import ResolveOptions
from cxloop.unify.overrides import Override, list_overrides

router = APIRouter(tags=["identities"])
RecordId = Annotated[str, Query(min_length=1, max_length=300, description="source:source_id")]
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The request cannot work (the reason says why)."},
    404: {"model": ErrorResponse, "description": "No such record, customer or override."},
    422: {"model": ErrorResponse, "description": "The body or query is not valid."},
}


@router.get("/v1/identities/explain", response_model=PairExplanation, responses=_ERRORS)
def explain(
    principal: Analyst,
    warehouse: WarehouseDep,
    a: RecordId,
    b: RecordId,
    model_id: Annotated[str | None, Query(max_length=40)] = None,
) -> PairExplanation:
    """Why source records `a` and `b` were or were not linked: deterministic keys, Splink's
    waterfall (prior, each comparison's match weight, total, probability, threshold), the path
    of links joining them, overrides in force."""
    explanation = explain_records(warehouse, a, b, ExplainOptions(model_id=model_id))
    audit.record(
        warehouse,
        principal.actor,
        "read",
        target_table="identities",
        target_id=f"{a}|{b}",
        details={"view": "explain"},
    )
    return explanation


@router.post("/v1/customers/merge", response_model=CorrectionResult, responses=_ERRORS)
def merge(
    body: MergeRequest, principal: Analyst, warehouse: WarehouseDep, settings: SettingsDep
) -> CorrectionResult:
    """Merge customers or records into one customer (it keeps the oldest id), now and in
    every later run."""
    return merge_customers(
        warehouse,
        body.customers,
        actor=principal.actor,
        reason=body.reason,
        options=ResolveOptions.from_settings(settings),
    )


@router.post(
    "/v1/customers/{customer_id}/split", response_model=CorrectionResult, responses=_ERRORS
)
def split(
    customer_id: Annotated[str, Path(max_length=300)],
    body: SplitRequest,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
) -> CorrectionResult:
    """Split records off this customer: they become a customer of their own and are never
    joined with the rest again."""
    return split_records(
        warehouse,
        body.records,
        actor=principal.actor,
        reason=body.reason,
        options=ResolveOptions.from_settings(settings),
        customer_id=customer_id,
    )


@router.get("/v1/identities/overrides", response_model=list[Override], responses=_ERRORS)
def overrides(
    principal: Analyst,
    warehouse: WarehouseDep,
    include_removed: Annotated[bool, Query(description="Removed overrides too.")] = False,
) -> list[Override]:
    """The analysts' merges and splits (in force, or all)."""
    return list_overrides(warehouse, include_removed=include_removed)


@router.post(
    "/v1/identities/overrides/{override_id}/remove",
    response_model=CorrectionResult,
    responses=_ERRORS,
)
def remove(
    override_id: Annotated[str, Path(max_length=40)],
    body: RemoveOverrideRequest,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
) -> CorrectionResult:
    """End a merge or split; its records are re-linked by their own links."""
    return remove_correction(
        warehouse,
        override_id,
        actor=principal.actor,
        reason=body.reason,
        options=ResolveOptions.from_settings(settings),
    )
