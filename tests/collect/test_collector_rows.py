"""From messages to rows: events, identity links, identify traits merged into source_records;
one transaction per write, idempotent on retry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cxloop.collect.event_rows import channel_of, event_row, prepare_request
from cxloop.collect.event_writer import record_fields, write_requests
from cxloop.collect.segment_messages import parse_messages

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def messages(*raw: dict, received: datetime = NOW) -> list:
    parsed = parse_messages("batch", {"batch": list(raw)}, received)
    assert parsed.errors == []
    return parsed.messages


def rows(warehouse, table: str, order: str) -> list[dict]:
    t = warehouse.table(table)
    return warehouse.to_pyarrow(t.order_by(order)).to_pylist()


@pytest.mark.parametrize(
    ("raw", "name", "touchpoint", "properties"),
    [
        (
            {"type": "track", "event": "Order Placed", "properties": {"a": 1}},
            "Order Placed",
            None,
            {"a": 1},
        ),
        ({"type": "page", "category": "Docs"}, "Page Viewed", "web", {"category": "Docs"}),
        ({"type": "page", "name": "Pricing"}, "Pricing", "web", {}),
        ({"type": "screen"}, "Screen Viewed", "app", {}),
        (
            {"type": "screen", "name": "Cart", "context": {"touchpoint": "store"}},
            "Cart",
            "store",
            {},
        ),
        (
            {"type": "identify", "traits": {"email": "a@b.c"}},
            "Identified",
            None,
            {"email": "a@b.c"},
        ),
        (
            {"type": "group", "groupId": "g1", "traits": {"plan": "pro"}},
            "Group",
            None,
            {"plan": "pro", "groupId": "g1"},
        ),
        ({"type": "alias", "previousId": "a9"}, "Alias", None, {"previousId": "a9"}),
    ],
)
def test_every_message_type_becomes_an_event_row(raw, name, touchpoint, properties) -> None:
    [message] = messages({"userId": "u1", "messageId": "m1", **raw})
    row = event_row(message, "web", NOW)
    assert row["event_id"] == "web:m1" and row["source"] == "web"
    assert row["source_customer_id"] == "u1" and row["type"] == raw["type"]
    assert (row["name"], row["touchpoint"]) == (name, touchpoint)
    assert json.loads(row["properties"]) == properties
    assert row["ts"] == NOW and row["imported_at"] == NOW


@pytest.mark.parametrize(
    ("extra", "channel"),
    [
        ({"context": {"channel": "call_centre"}}, "call_centre"),
        ({"channel": "browser"}, "web"),
        ({"context": {"library": {"name": "analytics.js"}}}, "web"),
        ({"context": {"library": {"name": "analytics-ios"}}}, "mobile"),
        ({"context": {"library": {"name": "analytics-android"}}}, "mobile"),
        ({"context": {"library": {"name": "analytics-python"}}}, "server"),
        ({}, "server"),
    ],
)
def test_channel_from_context_or_library(extra: dict, channel: str) -> None:
    [message] = messages({"type": "track", "userId": "u", "event": "X", **extra})
    assert channel_of(message) == channel


def test_identify_writes_a_source_record_and_an_anonymous_link(warehouse) -> None:
    batch = messages(
        {
            "type": "identify",
            "userId": "u1",
            "anonymousId": "anon-1",
            "messageId": "m1",
            "traits": {
                "firstName": "Ana",
                "lastName": "Ruiz",
                "email": "ana@example.es",
                "phone": 34600111222,
                "address": {"city": "Madrid", "postalCode": "28001", "country": "ES"},
                "loyalty": "gold",
            },
        },
        {"type": "alias", "previousId": "old-7", "userId": "u1", "messageId": "m2"},
    )
    summary = write_requests(warehouse, [prepare_request(batch, "web", NOW)])
    assert (summary.events_inserted, summary.requests) == (2, 1)
    [record] = rows(warehouse, "source_records", "record_id")
    assert record["record_id"] == "web:u1" and record["source_id"] == "u1"
    assert (record["first_name"], record["last_name"], record["name"]) == (
        "Ana",
        "Ruiz",
        "Ana Ruiz",
    )
    assert (record["phone"], record["city"], record["postcode"]) == (
        "34600111222",
        "Madrid",
        "28001",
    )
    assert json.loads(record["attributes"])["loyalty"] == "gold"
    links = {
        (r["from_id"], r["from_kind"], r["to_id"], r["method"])
        for r in rows(warehouse, "identity_links", "link_id")
    }
    assert links == {
        ("anon-1", "anonymous_id", "u1", "identify"),
        ("old-7", "previous_id", "u1", "alias"),
    }


def test_later_identify_calls_merge_traits_and_retries_add_nothing(warehouse) -> None:
    first = messages(
        {
            "type": "identify",
            "userId": "u1",
            "anonymousId": "a",
            "messageId": "m1",
            "timestamp": "2025-06-01T10:00:00Z",
            "traits": {"email": "old@x.com", "plan": "free"},
        }
    )
    second = messages(
        {
            "type": "identify",
            "userId": "u1",
            "anonymousId": "a",
            "messageId": "m2",
            "timestamp": "2025-06-01T11:00:00Z",
            "traits": {"email": "new@x.com"},
        }
    )
    write_requests(warehouse, [prepare_request(first, "web", NOW)])
    write_requests(warehouse, [prepare_request(second, "web", NOW)])
    # a retry of the first (older) call must not bring the old e-mail back
    again = write_requests(warehouse, [prepare_request(first, "web", NOW + timedelta(seconds=5))])
    assert again.events_inserted == 0
    [record] = rows(warehouse, "source_records", "record_id")
    assert record["email"] == "new@x.com"
    assert json.loads(record["attributes"]) == {"email": "new@x.com", "plan": "free"}
    counts = warehouse.counts()
    assert (counts["events"], counts["identity_links"], counts["source_records"]) == (2, 1, 1)


def test_identify_calls_in_one_group_apply_in_event_time_order(warehouse) -> None:
    late = messages(
        {
            "type": "identify",
            "userId": "u",
            "messageId": "late",
            "timestamp": "2025-06-01T11:00:00Z",
            "traits": {"plan": "pro"},
        }
    )
    early = messages(
        {
            "type": "identify",
            "userId": "u",
            "messageId": "early",
            "timestamp": "2025-06-01T09:00:00Z",
            "traits": {"plan": "free"},
        }
    )
    write_requests(
        warehouse, [prepare_request(late, "web", NOW), prepare_request(early, "web", NOW)]
    )
    [record] = rows(warehouse, "source_records", "record_id")
    assert json.loads(record["attributes"]) == {"plan": "pro"}


def test_duplicates_within_a_group_are_dropped(warehouse) -> None:
    batch = messages({"type": "track", "userId": "u", "event": "X", "messageId": "same"})
    twice = [prepare_request(batch, "web", NOW), prepare_request(batch, "web", NOW)]
    summary = write_requests(warehouse, twice)
    assert (summary.events_offered, summary.duplicates_in_group, summary.events_inserted) == (
        2,
        1,
        1,
    )
    assert warehouse.counts()["events"] == 1


def test_the_same_message_id_from_two_sources_is_two_events(warehouse) -> None:
    batch = messages({"type": "track", "userId": "u", "event": "X", "messageId": "m"})
    write_requests(
        warehouse, [prepare_request(batch, "web", NOW), prepare_request(batch, "app", NOW)]
    )
    assert [r["event_id"] for r in rows(warehouse, "events", "event_id")] == ["app:m", "web:m"]


def test_record_fields_ignore_what_is_not_text() -> None:
    assert record_fields({"email": ["a"], "name": {"x": 1}, "phone": True}) == {}
    assert record_fields({"name": "Li Wei", "createdAt": "2024-01-02T03:04:05Z"}) == {
        "name": "Li Wei",
        "created_at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    }
