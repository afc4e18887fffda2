"""Why the collector refuses a request, with the HTTP status that says so."""

from __future__ import annotations

from concurrent.futures import Future

from cxloop.errors import CxloopError


class Refused(CxloopError):
    """A request the collector will not take. Nothing of it is stored.

    ``status`` is the HTTP status to answer with (400, 401, 413, 415, 429, 503), ``code`` the
    machine-readable reason, ``retry_after`` seconds for 429 and 503. ``recording`` is the
    pending write of the tracking-plan violations that a refused request had, if any.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: object = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, details=details)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.recording: Future[object] | None = None
