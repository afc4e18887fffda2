"""The Advocates page (``/advocates``): promoters ranked by engagement and value, for agents
and up (audited, as segment members are), and for analysts the "invite to the ambassador
programme" form: *Preview* shows who would be added and invited, *Invite* does it (audited)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from cxloop.access import audit
from cxloop.act.ambassadors import AMBASSADOR_SEGMENT, AMBASSADOR_SURVEY, DEFAULT_TOP, MAX_TOP
from cxloop.api.deps import Agent, Analyst, Principal, SettingsDep, SurveysDep, WarehouseDep
from cxloop.api.routes.advocates import run_invite
from cxloop.api.schemas.advocates import InviteRequest
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.domain.advocate import InviteReport
from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.understand.advocates import rank_advocates
from cxloop.understand.segments import SegmentOptions, reference_moment
from cxloop.web import csrf
from cxloop.web.rendering import render

router = APIRouter(include_in_schema=False)
SHOWN = 50
#: the invitation statuses the result lists, in this order
STATUSES = ("sent", "pending", "failed", "throttled", "no_consent", "already_invited")


def _page(
    request: Request,
    principal: Principal,
    warehouse: Warehouse,
    settings: Settings,
    surveys: dict[str, Any],
    *,
    report: InviteReport | None = None,
    done: dict[str, int] | None = None,
    chosen_survey: str = AMBASSADOR_SURVEY,
    top: int = DEFAULT_TOP,
) -> Response:
    options = SegmentOptions.from_settings(
        settings, reference_moment(warehouse, settings.segments_as_of)
    )
    ranking = rank_advocates(warehouse, options, limit=SHOWN)
    if ranking.advocates:
        audit.record(
            warehouse,
            principal.actor,
            "read",
            target_table="customers",
            details={
                "page": "advocates",
                "customer_ids": [a.customer_id for a in ranking.advocates],
            },
        )
    customer_surveys = sorted(s.id for s in surveys.values() if s.audience == "customers")
    return render(
        request,
        "advocates.html",
        {
            "ranking": ranking,
            "can_invite": principal.role.allows(Role.ANALYST),
            "surveys": customer_surveys,
            "chosen_survey": chosen_survey,
            "top": top,
            "max_top": MAX_TOP,
            "segment_id": AMBASSADOR_SEGMENT,
            "report": report,
            "done": done,
            "statuses": STATUSES,
        },
    )


@router.get("/advocates")
def advocates_page(
    request: Request,
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    surveys: SurveysDep,
    added: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    sent: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    skipped: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> Response:
    done = None
    if added is not None and sent is not None:
        done = {"added": added, "sent": sent, "skipped": skipped or 0}
    return _page(request, principal, warehouse, settings, surveys, done=done)


@router.post("/advocates/invite")
def invite_form(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    surveys: SurveysDep,
    survey: Annotated[str, Form(max_length=64)] = AMBASSADOR_SURVEY,
    top: Annotated[str, Form(max_length=10)] = str(DEFAULT_TOP),
    action: Annotated[str, Form(max_length=10)] = "preview",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Preview (a dry run, shown on the page) or invite (then back to the page with counts)."""
    csrf.check(request, csrf_token)
    if not top.strip().isdigit() or not 1 <= int(top) <= MAX_TOP:
        raise UsageError(f"field top: give a whole number from 1 to {MAX_TOP:,}")
    if action not in ("preview", "invite"):
        raise UsageError("field action: expected preview or invite")
    body = InviteRequest(survey=survey, top=int(top), dry_run=action == "preview")
    report = run_invite(principal.actor, warehouse, settings, surveys, body, "page")
    if body.dry_run:
        return _page(
            request, principal, warehouse, settings, surveys,
            report=report, chosen_survey=survey, top=body.top,
        )  # fmt: skip
    counts = report.invitations
    skipped = sum(n for status, n in counts.items() if status not in ("sent", "already_invited"))
    query = {"added": len(report.added), "sent": counts.get("sent", 0), "skipped": skipped}
    return RedirectResponse(f"/advocates?{urlencode(query)}", status_code=303)
