"""Signed webhooks: a JSON body POSTed with an HMAC-SHA256 signature, retried, every try recorded.

Headers of each request:

- ``X-Cxloop-Timestamp``: Unix seconds when the request was signed;
- ``X-Cxloop-Signature``: ``v1=`` and the hex HMAC-SHA256, keyed with the shared secret, of
  ``"<timestamp>.<body>"`` (the timestamp, a dot, and the raw body bytes), so that a receiver
  can refuse a replayed or altered request (:func:`verify_signature` shows how);
- ``X-Cxloop-Event``: the kind of event; ``X-Cxloop-Delivery``: the delivery id, the same on
  every retry, so a receiver can drop duplicates.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa

from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema

SIGNATURE_HEADER = "X-Cxloop-Signature"
TIMESTAMP_HEADER = "X-Cxloop-Timestamp"
EVENT_HEADER = "X-Cxloop-Event"
DELIVERY_HEADER = "X-Cxloop-Delivery"
DEFAULT_TOLERANCE_S = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=<hex HMAC-SHA256 of "<timestamp>.<body>">``.

    Examples
    --------
    >>> signature("s3cret", 1700000000, b'{"a":1}')[:11]
    'v1=1c0bbb6e'
    """
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    now: float | None = None,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
) -> bool:
    """What a receiver checks: the timestamp is recent and the signature matches."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - stamp) > tolerance_s:
        return False
    return hmac.compare_digest(signature(secret, stamp, body), header)


@dataclass(frozen=True)
class Delivery:
    """How a delivery went: ``ok`` after the try that got a 2xx answer, or the last error."""

    delivery_id: str
    ok: bool
    attempts: int
    status_code: int | None
    error: str | None


Poster = Callable[[str, bytes, dict[str, str], float], int]


def post_json(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` with ``headers``; return the HTTP status (an error status too).
    Raises OSError when the server cannot be reached."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def deliver(
    warehouse: Warehouse,
    *,
    target: str,
    event: str,
    url: str,
    body: bytes,
    secret: str,
    attempts: int = 3,
    timeout_s: float = 5.0,
    backoff_s: float = 0.5,
    post: Poster = post_json,
) -> Delivery:
    """POST ``body`` to ``url``, signed with ``secret``, trying up to ``attempts`` times (waiting
    ``backoff_s``, then twice as long, …) until a 2xx answer; each try is a row of
    ``webhook_deliveries``. Never raises for a failed delivery: the result says how it went."""
    delivery_id = uuid.uuid4().hex
    digest = hashlib.sha256(body).hexdigest()
    status: int | None = None
    error: str | None = None
    for attempt in range(1, attempts + 1):
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "cxloop-webhook",
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: signature(secret, stamp, body),
            EVENT_HEADER: event,
            DELIVERY_HEADER: delivery_id,
        }
        try:
            status, error = post(url, body, headers, timeout_s), None
        except (OSError, ValueError) as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"[:500]
        ok = status is not None and 200 <= status < 300
        if not ok and error is None:
            error = f"HTTP {status}"
        _record(warehouse, delivery_id, target, url, attempt, status, ok, error, digest)
        if ok:
            return Delivery(delivery_id, True, attempt, status, None)
        if attempt < attempts:
            time.sleep(backoff_s * 2 ** (attempt - 1))
    return Delivery(delivery_id, False, attempts, status, error)


def _record(
    warehouse: Warehouse,
    delivery_id: str,
    target: str,
    url: str,
    attempt: int,
    status: int | None,
    ok: bool,
    error: str | None,
    digest: str,
) -> None:
    columns = ["delivery_id", "target", "event_id", "url", "ts", "attempt", "status_code", "ok",
               "error", "body_sha256"]  # fmt: skip
    row = {
        "delivery_id": f"{delivery_id}:{attempt}", "target": target, "event_id": delivery_id,
        "url": url, "ts": datetime.now(UTC), "attempt": attempt, "status_code": status, "ok": ok,
        "error": error, "body_sha256": digest,
    }  # fmt: skip
    warehouse.append(
        "webhook_deliveries",
        pa.Table.from_pylist([row], schema=arrow_schema("webhook_deliveries", columns)),
    )
