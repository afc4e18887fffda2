"""Wire format of ``/v1/drivers``: the library's own models."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.drivers import DriverImportance, DriverReport, LeftOutDriver

#: the error answers of the drivers route, for the OpenAPI document
DRIVERS_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "An unknown driver, too many drivers, or too little data; the message says which.",
        401: "No API key or session.",
        403: "The caller has no role that may read key drivers.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = ["DRIVERS_ERRORS", "DriverImportance", "DriverReport", "LeftOutDriver"]
