"""Messages of Segment's HTTP Tracking API, validated with one pydantic model per type.

A request body is one message (``/v1/track`` …) or ``{"batch": [...], "sentAt", "context",
"writeKey"}`` (``/v1/batch``). :func:`parse_messages` checks every message and returns them all
or, if any is invalid, every problem as ``{"index", "field", "message"}``: a request is taken
whole or refused whole.

Examples
--------
>>> from datetime import UTC, datetime
>>> body = {"userId": "u1", "event": "Order Placed", "messageId": "m1"}
>>> parsed = parse_messages("track", body, datetime(2025, 1, 1, tzinfo=UTC))
>>> parsed.messages[0].event, parsed.errors
('Order Placed', [])
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

MESSAGE_TYPES = ("identify", "track", "page", "screen", "group", "alias")
MAX_ERRORS = 100  # problems listed in one refusal; the count says how many there were
_ID_LENGTH = 1024


def _as_id(value: object) -> object:
    """Segment's libraries send ids as strings; analytics.js also lets numbers through."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def parse_iso_time(value: object) -> object:
    """ISO 8601 text to an aware datetime (a time without an offset is taken as UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date-time string")
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("z") else text)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 falls before year 1 in UTC
        raise ValueError(f"{value[:40]!r} is out of the range of date-times") from None


def _without_nul(value: str) -> str:
    """A NUL cannot be stored or looked up as text by every warehouse backend: refuse it."""
    if "\x00" in value:
        raise ValueError("an id must not contain a NUL character")
    return value


Id = Annotated[
    str,
    BeforeValidator(_as_id),
    Field(min_length=1, max_length=_ID_LENGTH),
    AfterValidator(_without_nul),
]
Timestamp = Annotated[datetime, BeforeValidator(parse_iso_time)]
Name = Annotated[str, Field(min_length=1, max_length=_ID_LENGTH)]
Object = dict[str, Any]


class SegmentMessage(BaseModel):
    """Fields every message type has. Unknown fields are ignored, as Segment does."""

    model_config = ConfigDict(extra="ignore")

    type: str
    userId: Id | None = None
    anonymousId: Id | None = None
    messageId: Id | None = None
    timestamp: Timestamp | None = None
    sentAt: Timestamp | None = None
    context: Object | None = None
    integrations: Object | None = None
    channel: str | None = None


class IdentifyMessage(SegmentMessage):
    type: Literal["identify"] = "identify"
    traits: Object | None = None


class TrackMessage(SegmentMessage):
    type: Literal["track"] = "track"
    event: Name
    properties: Object | None = None


class PageMessage(SegmentMessage):
    type: Literal["page"] = "page"
    name: str | None = None
    category: str | None = None
    properties: Object | None = None


class ScreenMessage(SegmentMessage):
    type: Literal["screen"] = "screen"
    name: str | None = None
    category: str | None = None
    properties: Object | None = None


class GroupMessage(SegmentMessage):
    type: Literal["group"] = "group"
    groupId: Id
    traits: Object | None = None


class AliasMessage(SegmentMessage):
    type: Literal["alias"] = "alias"
    previousId: Id
    userId: Id


MODELS: dict[str, type[SegmentMessage]] = {
    "identify": IdentifyMessage,
    "track": TrackMessage,
    "page": PageMessage,
    "screen": ScreenMessage,
    "group": GroupMessage,
    "alias": AliasMessage,
}


@dataclass
class ParsedRequest:
    """Every message of a request (ids, context and sentAt filled in), or its problems."""

    messages: list[SegmentMessage] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)  # of each message in the request
    errors: list[dict[str, Any]] = field(default_factory=list)
    write_key: str | None = None
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def problem(index: int | None, field_name: str, message: str) -> dict[str, Any]:
    """One entry of a refusal's details."""
    return {"index": index, "field": field_name, "message": message}


def parse_messages(kind: str, body: object, received_at: datetime) -> ParsedRequest:
    """Validate a request body sent to ``/v1/<kind>`` (``kind`` is a type or ``batch``)."""
    parsed = ParsedRequest(received_at=received_at)
    if not isinstance(body, dict):
        parsed.errors.append(problem(None, "", "the body must be a JSON object"))
        return parsed
    key = body.get("writeKey")
    parsed.write_key = key if isinstance(key, str) and key else None
    if kind == "batch":
        raw_messages = body.get("batch")
        if not isinstance(raw_messages, list) or not raw_messages:
            parsed.errors.append(problem(None, "batch", "expected a non-empty list of messages"))
            return parsed
        shared_context = body.get("context")
        shared_sent_at = body.get("sentAt")
        shared_integrations = body.get("integrations")
    else:
        raw_messages = [{**body, "type": kind}]
        shared_context = shared_sent_at = shared_integrations = None
    for index, raw in enumerate(raw_messages):
        if not isinstance(raw, dict):
            parsed.errors.append(problem(index, "", "a message must be a JSON object"))
            continue
        raw = _with_shared(raw, shared_context, shared_integrations, shared_sent_at)
        message, errors = _validate_one(index, raw)
        parsed.errors.extend(errors)
        if message is not None:
            parsed.messages.append(message)
            parsed.indices.append(index)
    if len(parsed.errors) > MAX_ERRORS:
        more = len(parsed.errors) - MAX_ERRORS
        parsed.errors = [
            *parsed.errors[:MAX_ERRORS],
            problem(None, "", f"and {more} more problems"),
        ]
    return parsed


def _with_shared(
    raw: dict[str, Any], context: object, integrations: object, sent_at: object
) -> dict[str, Any]:
    """A batch's ``context``, ``integrations`` and ``sentAt`` apply to each of its messages;
    the message's own values win."""
    merged = dict(raw)
    if isinstance(context, dict):
        own = raw.get("context")
        merged["context"] = {**context, **own} if isinstance(own, dict) else dict(context)
    if isinstance(integrations, dict):
        own = raw.get("integrations")
        merged["integrations"] = (
            {**integrations, **own} if isinstance(own, dict) else dict(integrations)
        )
    if sent_at is not None and raw.get("sentAt") is None:
        merged["sentAt"] = sent_at
    return merged


def _validate_one(index: int, raw: dict[str, Any]) -> tuple[SegmentMessage | None, list[dict]]:
    kind = raw.get("type")
    model = MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        expected = ", ".join(MESSAGE_TYPES)
        return None, [problem(index, "type", f"unknown type {kind!r} (expected one of {expected})")]
    errors = []
    anonymous = _as_id(raw.get("userId")) is None and _as_id(raw.get("anonymousId")) is None
    if kind != "alias" and anonymous:
        errors.append(problem(index, "userId", "userId or anonymousId is required"))
    try:
        message = model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = ".".join(str(p) for p in error["loc"])
            text = error["msg"].removeprefix("Value error, ")
            if not (where == "userId" and errors and errors[0]["field"] == "userId"):
                errors.append(problem(index, where, text))
        return None, errors
    if errors:
        return None, errors
    if message.messageId is None:
        message.messageId = derived_message_id(raw)
    return message, []


def derived_message_id(raw: dict[str, Any]) -> str:
    """A stable id for a message sent without one: a hash of its content (less ``sentAt`` and
    ``writeKey``, which change between retries). Two identical messages without ids and
    without timestamps are therefore taken as one."""
    content = {k: v for k, v in raw.items() if k not in ("sentAt", "writeKey", "messageId")}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return "cx-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def event_time(message: SegmentMessage, received_at: datetime) -> datetime:
    """When the event happened, corrected for the sender's clock as Segment does.

    ``timestamp + (received_at − sentAt)`` when both are given; ``timestamp`` alone when
    ``sentAt`` is missing; the receive time when ``timestamp`` is missing.
    """
    if message.timestamp is None:
        return received_at
    if message.sentAt is None:
        return message.timestamp
    try:
        return message.timestamp + (received_at - message.sentAt)
    except OverflowError:  # a sender's clock centuries off: keep what it said
        return message.timestamp


def request_body_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of ``/v1/<kind>``'s body, for the OpenAPI document."""
    if kind != "batch":
        schema = MODELS[kind].model_json_schema()
        schema["properties"]["writeKey"] = {"type": "string"}
        return schema
    return {
        "type": "object",
        "required": ["batch"],
        "properties": {
            "batch": {
                "type": "array",
                "items": {"oneOf": [MODELS[k].model_json_schema() for k in MESSAGE_TYPES]},
            },
            "sentAt": {"type": "string", "format": "date-time"},
            "context": {"type": "object"},
            "integrations": {"type": "object"},
            "writeKey": {"type": "string"},
        },
    }
