"""Signed webhooks: the signature a receiver can check, retries, and every try recorded."""

from __future__ import annotations

import hashlib
import hmac

from cxloop.act.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    deliver,
    signature,
    verify_signature,
)
from cxloop.storage import Warehouse
from webhook_receiver import webhook_receiver


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = b'{"segment_id":"s"}'
    expected = hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature("k", 1700000000, body) == f"v1={expected}"


def test_verify_refuses_tampering_other_secrets_and_stale_timestamps() -> None:
    body = b'{"a":1}'
    good = signature("k", 1000, body)
    assert verify_signature("k", "1000", body, good, now=1000)
    assert not verify_signature("k", "1000", b'{"a":2}', good, now=1000)
    assert not verify_signature("other", "1000", body, good, now=1000)
    assert not verify_signature("k", "1001", body, good, now=1000)
    assert not verify_signature("k", "1000", body, good, now=2000)
    assert not verify_signature("k", "soon", body, good, now=1000)


def test_delivery_is_signed_and_checks_out_at_the_receiver(warehouse: Warehouse) -> None:
    body = b'{"entered":["c1"]}'
    with webhook_receiver() as receiver:
        result = deliver(warehouse, target="segment:s", event="e", url=receiver.url, body=body,
                         secret="s3cret")  # fmt: skip
    assert result.ok and result.attempts == 1
    headers, received = receiver.received[0]
    assert received == body
    assert verify_signature("s3cret", headers[TIMESTAMP_HEADER], received,
                            headers[SIGNATURE_HEADER])  # fmt: skip
    rows = warehouse.to_pandas(warehouse.table("webhook_deliveries"))
    assert list(rows["ok"]) == [True] and list(rows["status_code"]) == [200]
    assert rows["body_sha256"].iloc[0] == hashlib.sha256(body).hexdigest()


def test_failures_are_retried_and_each_try_recorded(warehouse: Warehouse) -> None:
    with webhook_receiver([500, 503]) as receiver:
        result = deliver(warehouse, target="segment:s", event="e", url=receiver.url, body=b"{}",
                         secret="k", attempts=3, backoff_s=0.01)  # fmt: skip
    assert result.ok and result.attempts == 3
    assert len({h["X-Cxloop-Delivery"] for h, _ in receiver.received}) == 1
    rows = warehouse.to_pandas(warehouse.table("webhook_deliveries").order_by("attempt"))
    assert list(rows["status_code"]) == [500, 503, 200]
    assert list(rows["ok"]) == [False, False, True]
    assert rows["error"].iloc[0] == "HTTP 500"


def test_an_unreachable_receiver_fails_after_the_last_try(warehouse: Warehouse) -> None:
    with webhook_receiver() as receiver:
        url = receiver.url
    result = deliver(warehouse, target="t", event="e", url=url, body=b"{}", secret="k",
                     attempts=2, backoff_s=0.01, timeout_s=2)  # fmt: skip
    assert not result.ok and result.attempts == 2 and result.status_code is None
    rows = warehouse.to_pandas(warehouse.table("webhook_deliveries"))
    assert len(rows) == 2 and rows["error"].str.contains("Error").all()
