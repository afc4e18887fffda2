"""``GET /v1/notifications``: the notification outbox and its delivery log.

Notifications name recipients (staff and customer addresses, webhook URLs): admins only.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from cxloop.access import audit
from cxloop.act.notify_config import NotifyConfig
from cxloop.act.notify_dispatch import delivery_log, notification_records
from cxloop.api.deps import Admin, NotifyDep, WarehouseDep
from cxloop.api.schemas.notifications import NOTIFICATION_ERRORS, NotificationLog

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])


@router.get("", response_model=NotificationLog, responses=NOTIFICATION_ERRORS)
def list_notifications(
    principal: Admin,
    warehouse: WarehouseDep,
    notify: NotifyDep,
    status: Annotated[
        Literal["deferred", "pending", "retrying", "sent", "failed"] | None,
        Query(description="Only notifications in this state."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 100,
) -> NotificationLog:
    """The newest notifications (deferred by quiet hours, pending, retrying, sent or failed)
    with their tries: time, attempt, round, HTTP status and error."""
    config = (notify.config() if notify is not None else None) or NotifyConfig()
    items = notification_records(warehouse, config, status=status, limit=limit)
    wanted = [item.notification_id for item in items]
    tries = delivery_log(warehouse, notification_ids=wanted, limit=50 * limit) if wanted else []
    audit.record(
        warehouse, principal.actor, "read", target_table="notifications",
        details={"via": "api", "count": len(items)},
    )  # fmt: skip
    return NotificationLog(items=items, tries=tries)
