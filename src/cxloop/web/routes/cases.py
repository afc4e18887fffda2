"""The Cases inbox (``/cases``) and a case's page (``/cases/{id}``) with its forms.

Agents and up read cases and act on them; viewers have no access (cases name customers and
quote them). Every page that shows cases is audited, and every form posts with a CSRF token.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from cxloop.access import audit
from cxloop.act.case_actions import act_on_case, followup_for
from cxloop.act.case_queries import CaseFilter, get_case, list_cases
from cxloop.act.routing import team_names, team_of
from cxloop.api.deps import Agent, NotifyDep, SettingsDep, SurveysDep, WarehouseDep
from cxloop.domain.access import Role
from cxloop.domain.case import ACTION_KINDS, PRIORITIES, RESOLUTION_CODES, STATUSES
from cxloop.errors import NotFoundError, UsageError
from cxloop.unify.profile import customer_profile
from cxloop.web import csrf
from cxloop.web.rendering import render, ui_language
from cxloop.web.routes.customers import MAX_PAGE, pager

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
TABS = ("active", *STATUSES)
CaseId = Annotated[str, Path(max_length=64)]
Short = Annotated[str, Form(max_length=200)]


@router.get("/cases")
def inbox_page(
    request: Request,
    principal: Agent,
    warehouse: WarehouseDep,
    status: Annotated[str, Query(max_length=20)] = "active",
    team: Annotated[str, Query(max_length=64)] = "",
    priority: Annotated[str, Query(max_length=10)] = "",
    mine: Annotated[str, Query(max_length=3)] = "",
    overdue: Annotated[str, Query(max_length=3)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """The inbox: tabs by status with counts, filters, most urgent first."""
    if status not in TABS:
        raise UsageError(f"status: {status!r}; use one of {', '.join(TABS)}")
    email = principal.user.email if principal.user else None
    my_team = team_of(warehouse, email) if email else None
    chosen_team = my_team if team == "" and my_team else (None if team in ("", "all") else team)
    where = CaseFilter(
        status=(status,), team=chosen_team, priority=priority or None,
        assignee=email if mine and email else None, overdue=bool(overdue),
    )  # fmt: skip
    result = list_cases(warehouse, where, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if result.items:
        audit.record(
            warehouse, principal.actor, "read", target_table="cases",
            details={"page": "cases", "case_ids": [c.case_id for c in result.items]},
        )  # fmt: skip
    counts = dict(result.counts)
    counts["active"] = sum(counts.get(s, 0) for s in ("open", "assigned", "acknowledged"))
    params = {"status": status, "team": team, "priority": priority, "mine": mine,
              "overdue": overdue}  # fmt: skip
    return render(
        request,
        "cases.html",
        {
            "result": result,
            "counts": counts,
            "tabs": TABS,
            "filters": params,
            "team_choice": team or (my_team or "all"),
            "my_team": my_team,
            "teams": team_names(warehouse),
            "priorities": PRIORITIES,
            "tab_url": lambda tab: _url({**params, "status": tab}),
            "pager": pager("/cases", params, page, PAGE_SIZE, result.total),
            "timezone": str(ui_language(request).timezone),
        },
    )


def _url(params: dict[str, str]) -> str:
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items() if v)
    return "/cases" + (f"?{query}" if query else "")


@router.get("/cases/{case_id}")
def case_page(
    request: Request,
    principal: Agent,
    warehouse: WarehouseDep,
    case_id: CaseId,
    done: Annotated[str, Query(max_length=40)] = "",
    followup: Annotated[str, Query(max_length=300)] = "",
) -> Response:
    """A case: facts, the feedback, the forms, the timeline; the customer 360 beside it."""
    case = get_case(warehouse, case_id, original_text=principal.role.allows(Role.ADMIN))
    try:
        profile = customer_profile(warehouse, case.customer_id, timeline_limit=8)
    except NotFoundError:
        profile = None
    audit.record(
        warehouse, principal.actor, "read", target_table="cases", target_id=case_id,
        details={"page": "case", "customer_id": case.customer_id},
    )  # fmt: skip
    return render(
        request,
        "case.html",
        {
            "case": case,
            "profile": profile,
            "teams": team_names(warehouse),
            "resolutions": list(RESOLUTION_CODES),
            "done": done if done in ACTION_KINDS else "",
            "followup": followup,
            "me": principal.user.email if principal.user else "",
            "timezone": str(ui_language(request).timezone),
            "sees_original": principal.role.allows(Role.ADMIN),
        },
    )


@router.post("/cases/{case_id}/events")
def case_event_form(
    request: Request,
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    surveys: SurveysDep,
    notify: NotifyDep,
    case_id: CaseId,
    kind: Annotated[str, Form(max_length=40)],
    assignee: Short = "",
    note: Annotated[str, Form(max_length=4_000)] = "",
    resolution: Annotated[str, Form(max_length=40)] = "",
    team: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record an action from the case page's forms, then show the case again."""
    csrf.check(request, csrf_token)
    if kind not in ACTION_KINDS:
        raise UsageError(f"kind: {kind!r} is not an action on a case")
    followup, problem = followup_for(settings, surveys, kind)
    result = act_on_case(
        warehouse, case_id, kind, principal.actor, assignee=assignee or None, note=note or None,
        resolution=resolution or None, team=team or None, followup=followup,
        notifier=notify.notifier() if notify is not None else None,
    )  # fmt: skip
    audit.record(
        warehouse, principal.actor, "change", target_table="case_events", target_id=case_id,
        details={"via": "web", "kind": kind, "team": team or None},
    )  # fmt: skip
    outcome = result.followup or problem or ""
    target = f"/cases/{quote(case_id, safe='')}?done={kind}"
    if outcome:
        target += f"&followup={quote(outcome[:300], safe='')}"
    return RedirectResponse(target + "#timeline", status_code=303)
