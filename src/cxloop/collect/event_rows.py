"""From validated Segment messages to warehouse rows: ``events``, ``identity_links``, and the
traits that ``identify`` calls merge into ``source_records``.

Every id is derived from the message, so a retried request maps to the same rows:
``event_id = "<source>:<messageId>"``; a link's id hashes its two ends.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from cxloop.collect.segment_messages import (
    AliasMessage,
    GroupMessage,
    IdentifyMessage,
    PageMessage,
    ScreenMessage,
    SegmentMessage,
    TrackMessage,
    event_time,
)
from cxloop.storage.schema import arrow_schema

EVENT_SCHEMA = arrow_schema(
    "events",
    (
        "event_id", "source", "source_customer_id", "anonymous_id", "type", "name",
        "touchpoint", "channel", "ts", "properties", "imported_at",
    ),
)  # fmt: skip
LINK_SCHEMA = arrow_schema("identity_links")
_MOBILE = ("ios", "android", "react-native", "flutter", "xamarin", "kotlin", "swift", "mobile")
_WEB = ("analytics.js", "analytics-next", "javascript", "browser", "web")
_CHANNEL_ALIASES = {"browser": "web", "client": "web"}


@dataclass(frozen=True)
class TraitUpdate:
    """The traits of one ``identify`` call, to merge into the user's ``source_records`` row."""

    record_id: str
    source: str
    source_id: str
    event_id: str
    ts: datetime
    traits: dict[str, Any]
    received_at: datetime


@dataclass
class PreparedRequest:
    """The rows of one accepted request, ready to be written in one transaction."""

    events: pa.Table
    links: pa.Table
    violations: pa.Table | None = None
    trait_updates: list[TraitUpdate] = field(default_factory=list)


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def event_name(message: SegmentMessage) -> str:
    """track → its event; page/screen → its name or "Page Viewed"/"Screen Viewed"; identify →
    "Identified"; group → "Group"; alias → "Alias"."""
    if isinstance(message, TrackMessage):
        return message.event
    if isinstance(message, PageMessage):
        return message.name or "Page Viewed"
    if isinstance(message, ScreenMessage):
        return message.name or "Screen Viewed"
    return {"identify": "Identified", "group": "Group", "alias": "Alias"}[message.type]


def event_properties(message: SegmentMessage) -> dict[str, Any]:
    """What the ``properties`` column holds for each message type."""
    if isinstance(message, TrackMessage):
        return message.properties or {}
    if isinstance(message, PageMessage | ScreenMessage):
        properties = dict(message.properties or {})
        if message.category and "category" not in properties:
            properties["category"] = message.category
        return properties
    if isinstance(message, IdentifyMessage):
        return message.traits or {}
    if isinstance(message, GroupMessage):
        return {**(message.traits or {}), "groupId": message.groupId}
    assert isinstance(message, AliasMessage)
    return {"previousId": message.previousId}


def touchpoint_of(message: SegmentMessage) -> str | None:
    """``context.touchpoint`` if given; else "web" for page, "app" for screen."""
    given = (message.context or {}).get("touchpoint")
    if isinstance(given, str) and given:
        return given
    return {"page": "web", "screen": "app"}.get(message.type)


def channel_of(message: SegmentMessage) -> str:
    """``context.channel``, else the message's ``channel``, else guessed from the library that
    sent it: "web" (analytics.js…), "mobile" (iOS, Android…) or "server"."""
    context = message.context or {}
    given = context.get("channel") or message.channel
    if isinstance(given, str) and given:
        return _CHANNEL_ALIASES.get(given, given)
    library = context.get("library")
    name = str(library.get("name", "")).lower() if isinstance(library, dict) else ""
    if any(part in name for part in _MOBILE):
        return "mobile"
    if any(part in name for part in _WEB):
        return "web"
    return "server"


def event_id_of(source: str, message: SegmentMessage) -> str:
    return f"{source}:{message.messageId}"


def event_row(message: SegmentMessage, source: str, received_at: datetime) -> dict[str, Any]:
    """The ``events`` row of one message."""
    return {
        "event_id": event_id_of(source, message),
        "source": source,
        "source_customer_id": message.userId,
        "anonymous_id": message.anonymousId,
        "type": message.type,
        "name": event_name(message),
        "touchpoint": touchpoint_of(message),
        "channel": channel_of(message),
        "ts": event_time(message, received_at),
        "properties": to_json(event_properties(message)),
        "imported_at": received_at,
    }


def link_row(
    source: str,
    from_id: str,
    from_kind: str,
    to_id: str,
    method: str,
    ts: datetime,
) -> dict[str, Any]:
    """An ``identity_links`` row; its id depends only on the source and the two ends."""
    ends = "\0".join((from_kind, from_id, "user_id", to_id))
    digest = hashlib.sha256(ends.encode("utf-8")).hexdigest()[:32]
    return {
        "link_id": f"{source}:{digest}",
        "source": source,
        "from_id": from_id,
        "from_kind": from_kind,
        "to_id": to_id,
        "to_kind": "user_id",
        "method": method,
        "ts": ts,
    }


def prepare_request(
    messages: list[SegmentMessage],
    source: str,
    received_at: datetime,
    violations: pa.Table | None = None,
) -> PreparedRequest:
    """Every row that a request's messages make."""
    events, links, updates = [], [], []
    for message in messages:
        row = event_row(message, source, received_at)
        events.append(row)
        if isinstance(message, IdentifyMessage) and message.userId is not None:
            updates.append(
                TraitUpdate(
                    record_id=f"{source}:{message.userId}",
                    source=source,
                    source_id=message.userId,
                    event_id=row["event_id"],
                    ts=row["ts"],
                    traits=message.traits or {},
                    received_at=received_at,
                )
            )
            if message.anonymousId is not None:
                links.append(
                    link_row(
                        source,
                        message.anonymousId,
                        "anonymous_id",
                        message.userId,
                        "identify",
                        row["ts"],
                    )
                )
        elif isinstance(message, AliasMessage):
            links.append(
                link_row(
                    source, message.previousId, "previous_id", message.userId, "alias", row["ts"]
                )
            )
    return PreparedRequest(
        events=pa.Table.from_pylist(events, schema=EVENT_SCHEMA),
        links=pa.Table.from_pylist(links, schema=LINK_SCHEMA),
        violations=violations,
        trait_updates=updates,
    )
