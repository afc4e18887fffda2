"""The one error shape every API error has."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """``{"error": {"code", "message", "details"}}``."""

    error: ErrorBody
