"""A cap on request bodies for every route that has none of its own.

The collector (``collector_max_body_bytes``) and the public survey forms
(``survey_max_body_bytes``) check their own bodies. Every other route — the JSON API, the
dashboard's forms, the login form — is covered here by ``request_max_body_bytes``: a request
that declares a larger ``Content-Length`` is answered 413 before a byte of its body is read,
and one that streams (chunked, or lying about its length) is cut off with 413 as soon as the
bytes read pass the cap. Nothing past the cap is ever held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from cxloop.api.routes.collector import SHORT_PATHS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: routes that cap their own bodies, with limits of their own
OWN_LIMIT_PATHS = frozenset(
    [f"/v1/{kind}" for kind in SHORT_PATHS.values()] + [f"/v1/{short}" for short in SHORT_PATHS]
)
OWN_LIMIT_PREFIXES = ("/s/",)


class BodyTooLarge(HTTPException):
    """The body passed the cap while it was being read.

    An HTTP 413, so that a route reading its body answers it like any other refusal (a JSON
    error for the API, an error page for a form) rather than as a body it could not parse.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit))


def too_large(limit: int) -> str:
    """The one-line reason of a 413."""
    return f"the request body is over the limit of {limit:,} bytes (request_max_body_bytes)"


def has_own_limit(path: str) -> bool:
    """Whether the route at ``path`` checks its body's size itself."""
    return path in OWN_LIMIT_PATHS or path.startswith(OWN_LIMIT_PREFIXES)


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes on routes without their own cap.

    Parameters
    ----------
    app
        The application to protect.
    limit
        The most bytes of body a request may carry.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or has_own_limit(scope["path"]):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(scope, send)
            return
        read = 0
        started = False

        async def capped_receive() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, capped_receive, watched_send)
        except BodyTooLarge:
            if started:  # too late to answer 413: the response is under way
                raise
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = too_large(self.limit)
        if scope["path"].startswith("/v1"):
            error = {"code": "payload_too_large", "message": message, "details": None}
            body = json.dumps({"error": error}).encode()
            kind = b"application/json"
        else:
            body = f"413: {message}.\n".encode()
            kind = b"text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
