"""Segment messages: validation per type, per-message problems, ids and clock-skew correction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cxloop.collect.segment_messages import (
    AliasMessage,
    TrackMessage,
    derived_message_id,
    event_time,
    parse_messages,
    request_body_schema,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def fields(parsed) -> list[tuple[int | None, str]]:
    return [(e["index"], e["field"]) for e in parsed.errors]


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("identify", {"userId": "u1", "traits": {"email": "a@b.c"}}),
        ("identify", {"anonymousId": "a1"}),
        ("track", {"userId": 42, "event": "Order Placed", "properties": {"amount": 3}}),
        ("page", {"anonymousId": "a1", "name": "Home", "category": "Docs"}),
        ("screen", {"anonymousId": "a1"}),
        ("group", {"userId": "u1", "groupId": "g1", "traits": {"plan": "pro"}}),
        ("alias", {"previousId": "a1", "userId": "u1"}),
    ],
)
def test_valid_messages_of_every_type(kind: str, body: dict) -> None:
    parsed = parse_messages(kind, body, NOW)
    assert parsed.errors == []
    [message] = parsed.messages
    assert message.type == kind and message.messageId


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("track", {"event": "X"}, "userId"),
        ("track", {"userId": "", "anonymousId": "  ", "event": "X"}, "userId"),
        ("track", {"userId": "u1"}, "event"),
        ("track", {"userId": "u1", "event": ""}, "event"),
        ("track", {"userId": "u1", "event": "X", "properties": [1]}, "properties"),
        ("group", {"userId": "u1"}, "groupId"),
        ("alias", {"userId": "u1"}, "previousId"),
        ("alias", {"previousId": "a1", "anonymousId": "a2"}, "userId"),
        ("identify", {"userId": "u1", "timestamp": "yesterday"}, "timestamp"),
        ("identify", {"userId": "u1", "timestamp": 1700000000}, "timestamp"),
        ("identify", {"userId": "u1", "context": "web"}, "context"),
        ("identify", {"userId": "fuzz:\x00|Ä"}, "userId"),
        ("track", {"anonymousId": "a\x00", "event": "X"}, "anonymousId"),
        ("group", {"userId": "u1", "groupId": "g\x00"}, "groupId"),
    ],
)
def test_segment_rules_are_enforced(kind: str, body: dict, field: str) -> None:
    parsed = parse_messages(kind, body, NOW)
    assert parsed.messages == []
    assert (0, field) in fields(parsed), parsed.errors


def test_a_batch_reports_every_problem_with_its_index() -> None:
    body = {
        "batch": [
            {"type": "track", "userId": "u1", "event": "ok"},
            {"type": "track", "userId": "u1"},
            "not an object",
            {"type": "jump", "userId": "u1"},
            {"userId": "u1"},
            {"type": "group", "anonymousId": "a"},
        ]
    }
    parsed = parse_messages("batch", body, NOW)
    assert fields(parsed) == [(1, "event"), (2, ""), (3, "type"), (4, "type"), (5, "groupId")]
    assert all(e["message"] for e in parsed.errors)
    assert len(parsed.messages) == 1 and parsed.indices == [0]


@pytest.mark.parametrize("body", [[], "x", {"batch": []}, {"batch": {"type": "track"}}, {}])
def test_a_batch_body_must_hold_a_list_of_messages(body: object) -> None:
    parsed = parse_messages("batch", body, NOW)
    assert parsed.messages == [] and parsed.errors


def test_batch_context_sent_at_and_write_key_apply_to_each_message() -> None:
    body = {
        "writeKey": "cxw_x",
        "sentAt": "2025-06-01T11:59:00Z",
        "context": {"library": {"name": "analytics-python"}, "ip": "1.2.3.4"},
        "batch": [
            {"type": "track", "userId": "u", "event": "A", "context": {"ip": "5.6.7.8"}},
            {"type": "track", "userId": "u", "event": "B", "sentAt": "2025-06-01T11:58:00Z"},
        ],
    }
    parsed = parse_messages("batch", body, NOW)
    first, second = parsed.messages
    assert parsed.write_key == "cxw_x"
    assert first.context == {"library": {"name": "analytics-python"}, "ip": "5.6.7.8"}
    assert first.sentAt == datetime(2025, 6, 1, 11, 59, tzinfo=UTC)
    assert second.sentAt == datetime(2025, 6, 1, 11, 58, tzinfo=UTC)


def test_a_message_without_an_id_gets_one_from_its_content() -> None:
    body = {"userId": "u1", "event": "X", "timestamp": "2025-06-01T10:00:00Z"}
    one = parse_messages("track", {**body, "sentAt": "2025-06-01T10:00:01Z"}, NOW).messages[0]
    retry = parse_messages("track", {**body, "sentAt": "2025-06-01T10:05:00Z"}, NOW).messages[0]
    other = parse_messages("track", {**body, "event": "Y"}, NOW).messages[0]
    assert one.messageId == retry.messageId != other.messageId
    assert one.messageId == derived_message_id({**body, "type": "track"})
    given = parse_messages("track", {**body, "messageId": "m-1"}, NOW).messages[0]
    assert given.messageId == "m-1"


def test_event_time_corrects_the_senders_clock_like_segment() -> None:
    received = NOW
    # the device's clock runs 1 hour behind: it stamped the event 10 s before sending it
    message = TrackMessage(
        userId="u",
        event="X",
        timestamp=NOW - timedelta(hours=1, seconds=10),
        sentAt=NOW - timedelta(hours=1),
    )
    assert event_time(message, received) == NOW - timedelta(seconds=10)
    no_sent_at = TrackMessage(userId="u", event="X", timestamp=NOW - timedelta(days=1))
    assert event_time(no_sent_at, received) == NOW - timedelta(days=1)
    assert event_time(TrackMessage(userId="u", event="X"), received) == received


def test_timestamps_are_read_as_iso_8601_in_utc() -> None:
    parsed = parse_messages(
        "alias",
        {"previousId": "a", "userId": "u", "timestamp": "2025-06-01T14:00:00+02:00"},
        NOW,
    )
    message = parsed.messages[0]
    assert isinstance(message, AliasMessage)
    assert message.timestamp == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    naive = parse_messages("identify", {"userId": "u", "timestamp": "2025-06-01T12:00:00"}, NOW)
    assert naive.messages[0].timestamp == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def test_too_many_problems_are_summarised() -> None:
    parsed = parse_messages("batch", {"batch": [{"type": "track"}] * 150}, NOW)
    assert len(parsed.errors) == 101 and "more problems" in parsed.errors[-1]["message"]


def test_body_schemas_for_the_openapi_document() -> None:
    assert "event" in request_body_schema("track")["required"]
    batch = request_body_schema("batch")
    assert len(batch["properties"]["batch"]["items"]["oneOf"]) == 6


def test_a_clock_centuries_off_does_not_overflow() -> None:
    message = TrackMessage(
        userId="u",
        event="X",
        timestamp=datetime(1, 1, 1, tzinfo=UTC),
        sentAt=datetime(9999, 1, 1, tzinfo=UTC),
    )
    assert event_time(message, NOW) == datetime(1, 1, 1, tzinfo=UTC)


def test_a_time_before_year_one_in_utc_is_named_not_a_crash() -> None:
    parsed = parse_messages(
        "track", {"userId": "u", "event": "X", "timestamp": "0001-01-01T00:00:00+01:00"}, NOW
    )
    assert parsed.messages == []
    assert "out of the range" in parsed.errors[0]["message"]
