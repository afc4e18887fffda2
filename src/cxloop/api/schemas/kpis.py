"""Wire formats of ``/v1/kpis``: the library's own models."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.kpi import KpiInfo, KpiReport, KpiResult

#: the error answers of the KPI routes, for the OpenAPI document
KPI_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "A dimension the KPI cannot be broken down by, or until not after since.",
        401: "No API key or session.",
        403: "The caller has no role that may read KPIs.",
        404: "No KPI with this name; the message lists the valid ones.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = ["KPI_ERRORS", "KpiInfo", "KpiReport", "KpiResult"]
