"""The Settings page (your account; for analysts the tracking plan and its violations; for admins
the users and keys, and the notification channels with recent deliveries) and the language
form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from cxloop.access import audit
from cxloop.access.keys import list_keys
from cxloop.access.users import list_users, set_user_language
from cxloop.act.notify_config import NotifyConfig
from cxloop.act.notify_dispatch import notification_records
from cxloop.api.deps import NotifyDep, Viewer, WarehouseDep
from cxloop.collect.collector import Collector
from cxloop.collect.tracking_plan import PLAN_FILE
from cxloop.collect.tracking_violations import violation_report
from cxloop.domain.access import Role
from cxloop.storage import Warehouse
from cxloop.web import csrf
from cxloop.web.i18n import LANGUAGES
from cxloop.web.redirects import safe_next
from cxloop.web.rendering import render, ui_language

router = APIRouter(include_in_schema=False)

#: the form's value for "no setting: follow the browser"
AUTOMATIC = "auto"
#: how many recent violations the page lists as examples
RECENT_VIOLATIONS = 20
#: how many recent notifications the page lists
RECENT_NOTIFICATIONS = 25


@dataclass(frozen=True)
class TrackingPlanView:
    """The tracking plan the collector checks ``track`` calls against, and what broke it."""

    loaded: bool
    strict: bool
    events: list[str]
    file: str
    total: int
    counts: list[dict[str, Any]]
    recent: list[dict[str, Any]]


def tracking_plan_view(request: Request, warehouse: Warehouse) -> TrackingPlanView:
    """The running collector's plan (as ``GET /v1/tracking-plan/violations`` reports it) and the
    violations recorded in ``tracking_violations``."""
    collector: Collector | None = getattr(request.app.state, "collector", None)
    plan = collector.plan if collector is not None else None
    report = violation_report(warehouse, recent=RECENT_VIOLATIONS)
    return TrackingPlanView(
        loaded=bool(plan and plan.active),
        strict=bool(plan and plan.strict),
        events=sorted(plan.events) if plan else [],
        file=PLAN_FILE,
        total=report["total"],
        counts=report["counts"],
        recent=report["recent"],
    )


@dataclass(frozen=True)
class NotificationsView:
    """The channels of ``notifications.yaml`` and the newest notifications with their status."""

    loaded: bool
    channels: list[dict[str, Any]]
    recent: list[dict[str, Any]]
    counts: dict[str, int]


def notifications_view(warehouse: Warehouse, config: NotifyConfig | None) -> NotificationsView:
    """What the Settings page shows admins about notifications."""
    config = config or NotifyConfig()
    channels = []
    for channel in config.file.channels:
        if channel.type == "email":
            target, ready = ", ".join(channel.to), True
        elif channel.type == "webhook":
            target, ready = channel.url, config.secrets.get(channel.id) is not None
        else:
            target = f"${channel.url_env}" if channel.url_env else "Slack"
            ready = config.slack_urls.get(channel.id) is not None
        channels.append(
            {"id": channel.id, "type": channel.type, "target": target, "events": channel.events,
             "enabled": channel.enabled, "ready": ready}
        )  # fmt: skip
    records = notification_records(warehouse, config, limit=RECENT_NOTIFICATIONS)
    counts: dict[str, int] = {}
    for record in records:
        counts[record.status] = counts.get(record.status, 0) + 1
    return NotificationsView(
        loaded=config.path is not None,
        channels=channels,
        recent=[r.model_dump() for r in records],
        counts=counts,
    )


@router.get("/settings")
def settings_page(
    request: Request, principal: Viewer, warehouse: WarehouseDep, notify: NotifyDep
) -> Response:
    is_admin = principal.role.allows(Role.ADMIN)
    is_analyst = principal.role.allows(Role.ANALYST)
    return render(
        request,
        "settings.html",
        {
            "is_admin": is_admin,
            "users": list_users(warehouse) if is_admin else [],
            "keys": list_keys(warehouse) if is_admin else [],
            "notifications": notifications_view(
                warehouse, notify.config() if notify is not None else None
            )
            if is_admin
            else None,
            "tracking": tracking_plan_view(request, warehouse) if is_analyst else None,
            "timezone": str(ui_language(request).timezone),
            "automatic": AUTOMATIC,
        },
    )


@router.post("/settings/language")
def change_language(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    language: Annotated[str, Form(max_length=10)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/settings",
) -> Response:
    """Save the signed-in user's UI language (``auto``: follow the browser), then go back."""
    csrf.check(request, csrf_token)
    if principal.user is None:
        raise HTTPException(400, "only a signed-in person has a language setting")
    if language != AUTOMATIC and language not in LANGUAGES:
        raise HTTPException(422, f"language {language!r}: expected one of {', '.join(LANGUAGES)}")
    chosen = None if language == AUTOMATIC else language
    set_user_language(warehouse, principal.user.user_id, chosen)
    audit.record(
        warehouse,
        principal.actor,
        "change",
        target_table="users",
        target_id=principal.user.user_id,
        details={"language": chosen},
    )
    return RedirectResponse(safe_next(next), status_code=303)
