"""``GET /v1/cases``, ``GET /v1/cases/{id}`` and ``POST /v1/cases/{id}/events``.

Cases name customers and quote their feedback: agents and up may read them and act on them;
viewers may not. Every read and every action leaves a row in the audit log. Only admins get a
case's original feedback text; everybody else gets the redacted text.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from cxloop.access import audit
from cxloop.act.case_actions import CaseActionResult, act_on_case, followup_for
from cxloop.act.case_queries import MAX_PAGE, CaseFilter, get_case, list_cases
from cxloop.api.deps import Agent, NotifyDep, SettingsDep, SurveysDep, WarehouseDep
from cxloop.api.schemas.cases import CASE_ERRORS, CaseDetail, CaseEventCreate, CasePage
from cxloop.domain.access import Role

router = APIRouter(prefix="/v1/cases", tags=["cases"])
CaseId = Annotated[str, Path(max_length=64, description="A case id.")]


@router.get("", response_model=CasePage, responses=CASE_ERRORS)
def list_cases_route(
    principal: Agent,
    warehouse: WarehouseDep,
    status: Annotated[
        list[str] | None,
        Query(
            description="open, assigned, acknowledged, resolved, closed or active; repeat "
            "for several."
        ),
    ] = None,
    team: Annotated[str | None, Query(max_length=64, description="Owning team id.")] = None,
    overdue: Annotated[bool, Query(description="Only cases past due.")] = False,
    assignee: Annotated[str | None, Query(max_length=200)] = None,
    priority: Annotated[str | None, Query(max_length=10)] = None,
    customer_id: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CasePage:
    """Cases, most urgent first (overdue, priority, due time), with counts by status."""
    where = CaseFilter(
        status=tuple(status) if status else None, team=team, overdue=overdue,
        assignee=assignee, priority=priority, customer_id=customer_id,
    )  # fmt: skip
    page = list_cases(warehouse, where, limit=limit, offset=offset)
    audit.record(
        warehouse, principal.actor, "read", target_table="cases",
        details={"via": "api", "case_ids": [c.case_id for c in page.items]},
    )  # fmt: skip
    return page


@router.get("/{case_id}", response_model=CaseDetail, responses=CASE_ERRORS)
def get_case_route(principal: Agent, warehouse: WarehouseDep, case_id: CaseId) -> CaseDetail:
    """One case with its events (oldest first) and the feedback that opened it."""
    case = get_case(warehouse, case_id, original_text=principal.role.allows(Role.ADMIN))
    audit.record(
        warehouse, principal.actor, "read", target_table="cases", target_id=case_id,
        details={"via": "api"},
    )  # fmt: skip
    return case


@router.post(
    "/{case_id}/events", response_model=CaseActionResult, status_code=201, responses=CASE_ERRORS
)
def post_case_event(
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    surveys: SurveysDep,
    notify: NotifyDep,
    case_id: CaseId,
    body: CaseEventCreate,
) -> CaseActionResult:
    """Record an action on a case. The transition is checked against the case's status:
    a closed case cannot be resolved (409). Resolving invites the customer to the follow-up
    survey when ``case_followup_survey`` is set; the notifications the action causes
    (``notifications.yaml``) are written with it. Reassigning (``kind: reassigned``) needs a
    known ``team`` (400 otherwise) and a ``note`` with the reason."""
    followup, problem = followup_for(settings, surveys, body.kind)
    result = act_on_case(
        warehouse, case_id, body.kind, principal.actor, assignee=body.assignee,
        note=body.note, resolution=body.resolution, team=body.team, followup=followup,
        notifier=notify.notifier() if notify is not None else None,
    )  # fmt: skip
    if problem and result.followup is None:
        result.followup = problem
    audit.record(
        warehouse, principal.actor, "change", target_table="case_events",
        target_id=case_id, details={"via": "api", "kind": body.kind, "team": body.team},
    )  # fmt: skip
    return result
