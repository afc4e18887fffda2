"""Refreshing the project's segments, and telling each segment's webhook who entered and left."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime

from cxloop.act.webhooks import deliver
from cxloop.config import Settings
from cxloop.domain.segment import SegmentDefinition, SegmentRefresh
from cxloop.errors import NotFoundError
from cxloop.storage import Warehouse
from cxloop.understand.segments.definitions import SEGMENTS_DIR, load_segments
from cxloop.understand.segments.membership import refresh_segment
from cxloop.understand.segments.options import SegmentOptions, reference_moment

WEBHOOK_EVENT = "segment.membership_changed"


def webhook_secret(
    definition: SegmentDefinition, settings: Settings, environ: Mapping[str, str]
) -> str | None:
    """The secret that signs ``definition``'s webhook: the environment variable the definition
    names, else the ``segment_webhook_secrets`` setting for its id."""
    if definition.webhook is not None and definition.webhook.secret_env:
        value = environ.get(definition.webhook.secret_env)
        if value:
            return value
    return settings.segment_webhook_secrets.get(definition.id) or None


def webhook_body(definition: SegmentDefinition, refresh: SegmentRefresh) -> bytes:
    """The JSON document POSTed on a membership change."""
    document = {
        "event": WEBHOOK_EVENT,
        "segment_id": definition.id,
        "segment_name": definition.name,
        "refresh_id": refresh.refresh_id,
        "ts": refresh.ts.isoformat(),
        "as_of": refresh.as_of.isoformat(),
        "members": refresh.members,
        "entered": refresh.entered,
        "left": refresh.left,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def refresh_segments(
    warehouse: Warehouse,
    settings: Settings,
    *,
    ids: list[str] | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    on_segment: Callable[[str], None] | None = None,
    backoff_s: float = 0.5,
) -> list[SegmentRefresh]:
    """Refresh the membership of the project's segments (those named by ``ids``, or all), then
    POST each change to the segment's webhook, signed (see :mod:`cxloop.act.webhooks`).

    ``environ`` is where secrets named by ``webhook.secret_env`` are read from (the CLI passes
    the process environment); a webhook with no secret is not called (``webhook="no_secret"``).
    """
    segments = load_segments(settings.project)
    if ids:
        known = {d.id for d, _ in segments}
        missing = [i for i in ids if i not in known]
        if missing:
            listed = ", ".join(sorted(known)) or "none defined"
            raise NotFoundError(
                f"no segment {missing[0]!r} in {settings.project / SEGMENTS_DIR}; "
                f"segments: {listed}"
            )
        segments = [(d, r) for d, r in segments if d.id in ids]
    as_of = reference_moment(warehouse, settings.segments_as_of)
    options = SegmentOptions.from_settings(settings, as_of)
    results = []
    for definition, rule in segments:
        if on_segment is not None:
            on_segment(definition.id)
        refresh = refresh_segment(warehouse, definition, rule, options, now=now)
        if definition.webhook is not None and refresh.refresh_id is not None:
            secret = webhook_secret(definition, settings, environ or {})
            if secret is None:
                refresh.webhook = "no_secret"
            else:
                delivery = deliver(
                    warehouse, target=f"segment:{definition.id}", event=WEBHOOK_EVENT,
                    url=definition.webhook.url, body=webhook_body(definition, refresh),
                    secret=secret, attempts=settings.segment_webhook_attempts,
                    timeout_s=settings.segment_webhook_timeout_s, backoff_s=backoff_s,
                )  # fmt: skip
                refresh.webhook = "delivered" if delivery.ok else "failed"
        results.append(refresh)
    return results
