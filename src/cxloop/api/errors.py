"""Errors as ``{"error": {"code", "message", "details"}}``; the caller's mistakes are 4xx.

Web pages get a redirect to the login page (401) or an error page instead of JSON.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import cast
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from cxloop.errors import (
    ConflictError,
    CxloopError,
    DataError,
    NotFoundError,
    UsageError,
    WarehouseBusyError,
)

log = logging.getLogger("cxloop.api")


def error_json(
    status: int,
    code: str,
    message: str,
    details: object = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers=headers)


def wants_html(request: Request) -> bool:
    """Pages (not /v1, not assets) answer people in a browser."""
    path = request.url.path
    return not (path.startswith("/v1") or path.startswith("/static") or path == "/healthz")


def _code(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _invalid_message(details: list[dict[str, object]]) -> str:
    """One line naming the first parameter at fault: ``the request is not valid: query
    parameter sentiment: Input should be 'negative', 'neutral' or 'positive'``."""
    if not details:
        return "the request is not valid"
    loc = [str(part) for part in cast(list[object], details[0]["loc"])]
    where = loc[0] if loc else ""
    name = ".".join(loc[1:])
    place = {"query": "query parameter", "path": "path parameter", "body": "body field"}
    subject = f"{place.get(where, where)} {name}".strip() if name else where
    message = str(details[0]["message"])
    return (
        f"the request is not valid: {subject}: {message}"
        if subject
        else f"the request is not valid: {message}"
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_html(request):
            if exc.status_code == 401:
                target = quote(
                    request.url.path + (f"?{request.url.query}" if request.url.query else "")
                )
                return RedirectResponse(f"/login?next={target}", status_code=303)
            return request.app.state.render_error(request, exc.status_code, str(exc.detail))
        return error_json(
            exc.status_code,
            "payload_too_large" if exc.status_code == 413 else _code(exc.status_code),
            str(exc.detail),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"loc": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
            for e in exc.errors()
        ]
        if wants_html(request):
            return request.app.state.render_error(request, 422, "the form or address is not valid")
        return error_json(422, "invalid_request", _invalid_message(details), details)

    @app.exception_handler(CxloopError)
    async def cxloop_error(request: Request, exc: CxloopError) -> Response:
        status = 503 if isinstance(exc, WarehouseBusyError) else 400
        if isinstance(exc, UsageError | DataError):
            status = 400
        if isinstance(exc, NotFoundError):
            status = 404
        if isinstance(exc, ConflictError):
            status = 409
        if wants_html(request):
            return request.app.state.render_error(request, status, exc.message)
        return error_json(
            status,
            "not_found" if status == 404 else type(exc).__name__,
            exc.message,
            exc.details if isinstance(exc.details, dict | list | str | None) else None,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_json(500, "internal_error", "something went wrong on our side")
