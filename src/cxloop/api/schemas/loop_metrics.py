"""Wire format of ``/v1/loop/metrics``: the library's own models."""

from __future__ import annotations

from typing import Any

from cxloop.api.schemas.errors import ErrorResponse
from cxloop.domain.loop_metrics import CurvePoint, LoopEffect, LoopMetrics, NpsAfterResolution

#: the error answers of the loop-metrics route, for the OpenAPI document
LOOP_METRICS_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "until not after since.",
        401: "No API key or session.",
        403: "The caller has no role that may read the Scorecard.",
        422: "A parameter is not valid; the message and details name it.",
    }.items()
}

__all__ = ["LOOP_METRICS_ERRORS", "CurvePoint", "LoopEffect", "LoopMetrics", "NpsAfterResolution"]
