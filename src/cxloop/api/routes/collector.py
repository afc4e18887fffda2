"""The Segment-compatible collector (``POST /v1/track`` …) and its tracking-plan report.

Collector routes are public: they authenticate by write key themselves (the HTTP Basic user,
or ``writeKey`` in the body). The endpoints are ``async`` and never block the event loop:
validation runs in the thread pool, and the wait for the group commit is an awaited future.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from cxloop.access.keys import verify_key
from cxloop.api.deps import Analyst, Public, WarehouseDep
from cxloop.api.errors import error_json
from cxloop.api.schemas.collector import CollectorAck, PlanSummary, ViolationReport
from cxloop.api.schemas.errors import ErrorResponse
from cxloop.collect.collector import Collector, CollectorOptions
from cxloop.collect.refusal import Refused
from cxloop.collect.request_body import CappedBody, check_declared_length, decode_body
from cxloop.collect.segment_messages import MESSAGE_TYPES, request_body_schema
from cxloop.collect.tracking_violations import violation_report
from cxloop.domain.access import ApiKey, KeyKind

log = logging.getLogger("cxloop.api")
router = APIRouter(tags=["collector"])
CORS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Content-Encoding",
    "Access-Control-Max-Age": "86400",
}
# analytics.js (analytics-next) posts to /v1/t, /v1/p … and /v1/b for batches
SHORT_PATHS = {"t": "track", "p": "page", "i": "identify", "g": "group", "a": "alias"}
SHORT_PATHS |= {"s": "screen", "b": "batch"}
INLINE_BODY_BYTES = 8_192
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "Invalid JSON or messages; `details` lists `{index, field, message}` per problem.",
        401: "Missing, unknown or revoked write key.",
        413: "Body (after gunzip) over `collector_max_body_bytes`.",
        415: "Content-Encoding other than gzip.",
        429: "Rate limit of the write key reached; see Retry-After.",
        503: "Could not commit; nothing of the request was stored. Retry.",
    }.items()
}


def start_collector(app: FastAPI) -> None:
    """``on_start`` hook: load the tracking plan and start the writer.

    Set ``app.state.collector_options`` (a :class:`CollectorOptions`) before start to change
    how it writes.
    """
    options = getattr(app.state, "collector_options", None) or CollectorOptions()
    warehouse = app.state.warehouse
    collector = Collector.for_project(
        warehouse,
        app.state.settings,
        lambda text: verify_key(warehouse, text, KeyKind.WRITE),
        options,
    )
    collector.start()
    app.state.collector = collector


def stop_collector(app: FastAPI) -> None:
    """``on_stop`` hook: commit what is queued, then stop the writer."""
    collector: Collector | None = getattr(app.state, "collector", None)
    if collector is not None:
        collector.stop()


def basic_user(header: str | None) -> str | None:
    """The user of an ``Authorization: Basic`` header (Segment's write key); None if the
    header is absent or of another scheme."""
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Refused(401, "unauthorized", "the Authorization header is not valid Basic") from None
    return decoded.split(":", 1)[0]


async def collect(request: Request, kind: str) -> Response:
    """Take one request: limits, write key, rate limit, validation, then wait for the commit."""
    received_at = datetime.now(UTC)
    collector: Collector = request.app.state.collector
    limit = collector.max_body_bytes
    try:
        check_declared_length(request.headers.get("content-length"), limit)
        key: ApiKey | None = None
        text = basic_user(request.headers.get("authorization"))
        if text is not None:
            key = collector.cached_key(text)
            if key is None:
                key = await run_in_threadpool(collector.authenticate, text)
            collector.admit(key)
        body = CappedBody(limit)
        async for chunk in request.stream():
            body.add(chunk)
        raw = decode_body(body.bytes(), request.headers.get("content-encoding"), limit)
        if collector.group_commit and key is not None and len(raw) <= INLINE_BODY_BYTES:
            # a known key and a small body, only queued: validating takes well under a
            # millisecond, less than a trip through the thread pool would
            future = collector.accept(kind, raw, key, received_at)
        else:
            future = await run_in_threadpool(collector.accept, kind, raw, key, received_at)
    except Refused as refusal:
        if refusal.recording is not None:
            with contextlib.suppress(Exception):
                await asyncio.wrap_future(refusal.recording)
        headers = dict(CORS)
        if refusal.retry_after is not None:
            headers["Retry-After"] = str(refusal.retry_after)
        return error_json(
            refusal.status, refusal.code, refusal.message, refusal.details, headers=headers
        )
    try:
        await asyncio.wrap_future(future)
    except Exception as exc:
        log.warning("collector request not stored: %s", exc)
        return error_json(
            503,
            "service_unavailable",
            "the events could not be stored; nothing of this request was kept, retry it",
            headers={**CORS, "Retry-After": "1"},
        )
    return JSONResponse({"success": True}, headers=CORS)


def _endpoint(kind: str) -> Any:
    async def endpoint(request: Request) -> Response:
        return await collect(request, kind)

    endpoint.__name__ = f"collect_{kind}"
    return endpoint


async def preflight() -> Response:
    """CORS preflight for browsers sending straight to the collector."""
    return Response(status_code=204, headers=PREFLIGHT)


for _kind in (*MESSAGE_TYPES, "batch"):
    router.add_api_route(
        f"/v1/{_kind}",
        _endpoint(_kind),
        methods=["POST"],
        dependencies=[Public],
        response_model=CollectorAck,
        responses=_ERRORS,
        summary=f"Segment {_kind}",
        description=f"Segment's HTTP Tracking API `{_kind}` call. Answers 200 only once every "
        "message of the request is committed to the warehouse.",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": request_body_schema(_kind)}},
            }
        },
    )
    router.add_api_route(
        f"/v1/{_kind}",
        preflight,
        methods=["OPTIONS"],
        dependencies=[Public],
        include_in_schema=False,
    )
for _short, _kind in SHORT_PATHS.items():
    router.add_api_route(
        f"/v1/{_short}",
        _endpoint(_kind),
        methods=["POST"],
        dependencies=[Public],
        include_in_schema=False,
    )
    router.add_api_route(
        f"/v1/{_short}",
        preflight,
        methods=["OPTIONS"],
        dependencies=[Public],
        include_in_schema=False,
    )


@router.get("/v1/tracking-plan/violations", response_model=ViolationReport)
def tracking_plan_violations(
    principal: Analyst,
    request: Request,
    warehouse: WarehouseDep,
    recent: int = Query(20, ge=0, le=500, description="How many recent violations to list."),
) -> ViolationReport:
    """Tracking-plan violations counted by event name and problem, with recent examples."""
    collector: Collector | None = getattr(request.app.state, "collector", None)
    plan = collector.plan if collector is not None else None
    report = violation_report(warehouse, recent=recent)
    return ViolationReport(
        plan=PlanSummary(
            loaded=bool(plan and plan.active),
            strict=bool(plan and plan.strict),
            events=sorted(plan.events) if plan else [],
        ),
        **report,
    )
