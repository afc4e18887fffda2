"""The event collector: write keys, rate limits, validation, the tracking plan, and durable,
group-committed writes of Segment messages.

The HTTP layer (``cxloop.api.routes.collector``) reads the body within limits and hands it to
:meth:`Collector.accept`, which returns a future that resolves once the request's rows are
committed. Only then is the request acknowledged.

Examples
--------
>>> from cxloop.storage import open_warehouse
>>> from cxloop.access.keys import add_key, verify_key
>>> from cxloop.domain.access import KeyKind
>>> wh = open_warehouse("duckdb:///:memory:")
>>> key, text = add_key(wh, "write", source="web")
>>> collector = Collector(wh, lambda text: verify_key(wh, text, KeyKind.WRITE))
>>> collector.start()
>>> body = b'{"userId": "u1", "event": "Signed Up", "messageId": "m1"}'
>>> collector.accept("track", body, collector.authenticate(text)).result(timeout=5).requests
1
>>> collector.stop()
>>> wh.counts()["events"]
1
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from cxloop.collect.event_rows import EVENT_SCHEMA, LINK_SCHEMA, PreparedRequest, prepare_request
from cxloop.collect.event_writer import DEDUP_WINDOW, WriteSummary, write_requests
from cxloop.collect.group_commit import GroupCommitWriter
from cxloop.collect.rate_limit import TokenBuckets
from cxloop.collect.refusal import Refused
from cxloop.collect.segment_messages import ParsedRequest, TrackMessage, parse_messages, problem
from cxloop.collect.tracking_plan import TrackingPlan, load_tracking_plan
from cxloop.collect.tracking_violations import violation_row, violations_table
from cxloop.config import Settings
from cxloop.domain.access import ApiKey
from cxloop.storage import Warehouse

log = logging.getLogger("cxloop.collect")
_NEGATIVE_CACHE_S = 5.0
_KEY_CACHE_SIZE = 10_000


@dataclass
class CollectorOptions:
    """How the collector writes. ``group_commit=False`` writes each request in its own
    transaction, in the request's thread (the baseline of ``benchmarks/collector_load.py``)."""

    group_commit: bool = True
    max_group_requests: int = 512
    max_wait_s: float = 0.002
    key_cache_s: float = 5.0


class Collector:
    """Takes Segment requests for one warehouse; see the module docstring."""

    def __init__(
        self,
        warehouse: Warehouse,
        verify_write_key: Callable[[str], ApiKey | None],
        *,
        plan: TrackingPlan | None = None,
        max_body_bytes: int = 512_000,
        rate_limit: float = 2_000.0,
        options: CollectorOptions | None = None,
        dedup_window: timedelta = DEDUP_WINDOW,
    ) -> None:
        self.warehouse = warehouse
        self.dedup_window = dedup_window
        self.verify_write_key = verify_write_key
        self.plan = plan or TrackingPlan()
        self.max_body_bytes = max_body_bytes
        self.options = options or CollectorOptions()
        self.rate_limits = TokenBuckets(rate_limit)
        self._keys: dict[str, tuple[ApiKey | None, float]] = {}
        self._keys_lock = threading.Lock()
        self.writer: GroupCommitWriter[PreparedRequest] | None = None
        if self.options.group_commit:
            self.writer = GroupCommitWriter(
                self._write,
                max_group=self.options.max_group_requests,
                max_wait_s=self.options.max_wait_s,
            )

    @classmethod
    def for_project(
        cls,
        warehouse: Warehouse,
        settings: Settings,
        verify_write_key: Callable[[str], ApiKey | None],
        options: CollectorOptions | None = None,
    ) -> Collector:
        """A collector with the project's limits and its ``tracking_plan.yaml`` (if any)."""
        return cls(
            warehouse,
            verify_write_key,
            plan=load_tracking_plan(settings.project),
            max_body_bytes=settings.collector_max_body_bytes,
            rate_limit=settings.collector_rate_limit,
            options=options,
            dedup_window=timedelta(hours=settings.collector_dedup_window_hours),
        )

    @property
    def group_commit(self) -> bool:
        """Whether writes go through the group-commit writer (else :meth:`accept` writes)."""
        return self.writer is not None

    def start(self) -> None:
        if self.writer is not None:
            self.writer.start()

    def stop(self) -> None:
        """Commit every queued request, then stop the writer."""
        if self.writer is not None:
            self.writer.stop()

    # -- who is sending ---------------------------------------------------------------------
    def cached_key(self, text: str) -> ApiKey | None:
        """The write key for ``text`` if it was verified recently (no warehouse query)."""
        entry = self._keys.get(_digest(text))
        if entry is not None and entry[0] is not None and entry[1] > time.monotonic():
            return entry[0]
        return None

    def forget_keys(self) -> None:
        """Drop every remembered key, so that a key revoked in this process stops at once."""
        with self._keys_lock:
            self._keys.clear()

    def authenticate(self, text: str) -> ApiKey:
        """The live write key whose secret is ``text``; refused with 401 otherwise.

        Verified keys are remembered for ``key_cache_s`` seconds (so revoking a key takes
        effect within that time), unknown ones for a few seconds.
        """
        digest = _digest(text)
        now = time.monotonic()
        entry = self._keys.get(digest)
        if entry is None or entry[1] <= now:
            with self.warehouse.lock:  # Warehouse.table() does not take it itself
                key = self.verify_write_key(text)
            ttl = self.options.key_cache_s if key is not None else _NEGATIVE_CACHE_S
            with self._keys_lock:
                if len(self._keys) >= _KEY_CACHE_SIZE:
                    self._keys.clear()
                self._keys[digest] = (key, now + ttl)
            entry = (key, now + ttl)
        if entry[0] is None:
            raise Refused(401, "unauthorized", "the write key is missing, unknown or revoked")
        return entry[0]

    def admit(self, key: ApiKey) -> None:
        """Take one request from the key's rate limit; refuse with 429 when it is spent."""
        wait = self.rate_limits.take(key.key_id)
        if wait > 0:
            raise Refused(
                429,
                "too_many_requests",
                f"more than {self.rate_limits.rate:g} requests a second for this write key",
                retry_after=max(1, int(wait + 0.999)),
            )

    # -- taking a request -------------------------------------------------------------------
    def accept(
        self,
        kind: str,
        body: bytes,
        key: ApiKey | None = None,
        received_at: datetime | None = None,
    ) -> Future[object]:
        """Validate a request sent to ``/v1/<kind>`` and queue its rows.

        ``key`` is the write key from the ``Authorization`` header, if there was one (else the
        body's ``writeKey`` is used). Raises :class:`Refused` for the caller's mistakes; the
        returned future resolves with a :class:`WriteSummary` once the rows are committed, or
        with the error that stopped the commit (nothing of the request is then stored).
        """
        received_at = received_at or datetime.now(UTC)
        try:
            document = json.loads(body, parse_constant=_no_constants)
        except (ValueError, RecursionError):
            raise Refused(400, "invalid_json", "the body is not valid JSON") from None
        parsed = parse_messages(kind, document, received_at)
        if key is None:
            if parsed.write_key is None:
                raise Refused(401, "unauthorized", "send the write key as the HTTP Basic user")
            key = self.authenticate(parsed.write_key)
            self.admit(key)
        source = key.source or "collector"
        plan_errors, violations = self._check_plan(parsed, source)
        errors = parsed.errors + plan_errors
        if errors:
            refusal = Refused(
                400,
                "invalid_messages",
                f"{len(errors)} problem(s) in the request; nothing of it was stored",
                details=errors,
            )
            refusal.recording = self._record_rejections(violations)
            raise refusal
        try:
            prepared = prepare_request(
                parsed.messages, source, received_at, violations_table(violations)
            )
        except (UnicodeEncodeError, pa.ArrowException):
            raise Refused(
                400, "invalid_messages", "the request holds text that is not valid Unicode"
            ) from None
        return self._submit(prepared)

    def _check_plan(self, parsed: ParsedRequest, source: str) -> tuple[list[dict], list[dict]]:
        """Per-message errors (strict plans) and ``tracking_violations`` rows."""
        if not self.plan.active:
            return [], []
        errors, rows = [], []
        refused = self.plan.strict or bool(parsed.errors)
        for index, message in zip(parsed.indices, parsed.messages, strict=True):
            if not isinstance(message, TrackMessage):
                continue
            for field, text in self.plan.check(message.event, message.properties):
                if self.plan.strict:
                    errors.append(problem(index, field, text))
                rows.append(
                    violation_row(
                        source=source,
                        event_id=f"{source}:{message.messageId}",
                        event_name=message.event,
                        problem=text if field in ("event", "properties") else f"{field}: {text}",
                        rejected=refused,
                        ts=parsed.received_at,
                    )
                )
        return errors, rows

    def _record_rejections(self, rows: list[dict]) -> Future[object] | None:
        """Queue the plan violations of a refused request (its events are not stored)."""
        if not rows:
            return None
        for row in rows:
            row["rejected"] = True
        empty = PreparedRequest(EVENT_SCHEMA.empty_table(), LINK_SCHEMA.empty_table())
        try:
            empty.violations = violations_table(rows)
        except (UnicodeEncodeError, pa.ArrowException):
            return None  # text that cannot be stored: the refusal says so
        return self._submit(empty)

    def _submit(self, prepared: PreparedRequest) -> Future[object]:
        if self.writer is not None:
            return self.writer.submit(prepared)
        future: Future[object] = Future()
        try:
            future.set_result(self._write([prepared]))
        except Exception as exc:
            log.exception("writing a collector request failed; none of it was stored")
            future.set_exception(exc)
        return future

    def _write(self, requests: list[PreparedRequest]) -> WriteSummary:
        return write_requests(self.warehouse, requests, self.dedup_window)


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = ["Collector", "CollectorOptions", "Refused", "WriteSummary"]
