"""Limits on collector requests: body size, gzip (zip bombs), rate per write key."""

from __future__ import annotations

import gzip
import zlib

import pytest

from cxloop.collect.rate_limit import TokenBuckets
from cxloop.collect.refusal import Refused
from cxloop.collect.request_body import CappedBody, check_declared_length, decode_body


def refused(status: int, call, *args) -> Refused:
    with pytest.raises(Refused) as info:
        call(*args)
    assert info.value.status == status, info.value.message
    return info.value


def test_declared_length_is_checked_before_reading() -> None:
    check_declared_length(None, 100)
    check_declared_length("100", 100)
    refused(413, check_declared_length, "101", 100)
    refused(400, check_declared_length, "lots", 100)


def test_bytes_are_counted_while_reading() -> None:
    body = CappedBody(10)
    body.add(b"12345")
    body.add(b"67890")
    assert body.bytes() == b"1234567890"
    refused(413, body.add, b"!")


def test_gzip_bodies_are_decompressed() -> None:
    text = b'{"batch": []}' * 10
    assert decode_body(gzip.compress(text), "gzip", 1000) == text
    assert decode_body(gzip.compress(text[:50]) + gzip.compress(text[50:]), "gzip", 1000) == text
    assert decode_body(zlib.compress(text), "deflate", 1000) == text
    assert decode_body(text, None, 1000) == decode_body(text, "identity", 1000) == text


def test_a_zip_bomb_is_refused_without_inflating_it() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)  # 50 MB of zeros in about 50 KB
    assert len(bomb) < 100_000
    error = refused(413, decode_body, bomb, "gzip", 512_000)
    assert "512000" in error.message
    exact = gzip.compress(b"x" * 1000)
    assert len(decode_body(exact, "gzip", 1000)) == 1000
    refused(413, decode_body, exact, "gzip", 999)


@pytest.mark.parametrize(
    ("raw", "encoding", "status"),
    [
        (b"not gzip at all", "gzip", 400),
        (gzip.compress(b"x" * 1000, mtime=0)[:-12], "gzip", 400),
        (gzip.compress(b"{}", mtime=0) + b"garbage", "gzip", 400),
        (b"{}", "br", 415),
    ],
    ids=["not-gzip", "truncated-gzip", "trailing-garbage", "brotli"],
)
def test_bad_encodings_are_refused(raw: bytes, encoding: str, status: int) -> None:
    refused(status, decode_body, raw, encoding, 10_000)


def test_token_bucket_allows_the_rate_and_says_when_to_retry() -> None:
    now = [100.0]
    buckets = TokenBuckets(rate=10, clock=lambda: now[0])
    assert all(buckets.take("k1") == 0.0 for _ in range(10))  # a burst of one second's worth
    wait = buckets.take("k1")
    assert wait == pytest.approx(0.1)
    assert buckets.take("k2") == 0.0  # keys have their own buckets
    now[0] += 0.1
    assert buckets.take("k1") == 0.0
    assert buckets.take("k1") > 0
    now[0] += 60  # refills up to the burst, not beyond
    assert sum(buckets.take("k1") == 0.0 for _ in range(20)) == 10


def test_token_bucket_with_a_slow_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=0.5, clock=lambda: now[0])
    assert buckets.take("k") == 0.0
    assert buckets.take("k") == pytest.approx(2.0)
    with pytest.raises(ValueError):
        TokenBuckets(rate=0)
