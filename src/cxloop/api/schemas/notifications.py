"""Wire format of ``/v1/notifications``: the outbox's notifications and their tries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.notification import DeliveryTry, NotificationRecord


class NotificationLog(BaseModel):
    """The newest notifications with how each stands, and the newest tries."""

    items: list[NotificationRecord] = Field(description="Newest first.")
    tries: list[DeliveryTry] = Field(description="Every try of the listed notifications.")


NOTIFICATION_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not signed in."},
    403: {"model": ErrorResponse, "description": "Not an admin."},
    422: {"model": ErrorResponse, "description": "A parameter is wrong."},
}
