"""Reading a collector request's body within limits: the declared length, the bytes read, and
the size after ``gunzip`` (so a small zip bomb cannot grow into gigabytes)."""

from __future__ import annotations

import zlib

from cxloop.collect.refusal import Refused


def too_large(limit: int) -> Refused:
    return Refused(413, "payload_too_large", f"the body is larger than {limit} bytes")


def check_declared_length(header: str | None, limit: int) -> None:
    """Refuse at once when ``Content-Length`` says the body is over ``limit``."""
    if header is None:
        return
    try:
        length = int(header)
    except ValueError:
        raise Refused(400, "bad_request", "Content-Length is not a number") from None
    if length > limit:
        raise too_large(limit)


class CappedBody:
    """Collects body chunks, refusing as soon as there are more than ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self.limit:
            raise too_large(self.limit)
        self._chunks.append(chunk)

    def bytes(self) -> bytes:
        return b"".join(self._chunks)


def decode_body(raw: bytes, content_encoding: str | None, limit: int) -> bytes:
    """The body as sent before compression (``gzip`` or ``deflate``), at most ``limit`` bytes."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip"):
        return inflate_capped(raw, limit, wbits=16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return inflate_capped(raw, limit, wbits=zlib.MAX_WBITS)
    raise Refused(
        415, "unsupported_encoding", f"Content-Encoding {encoding!r} (expected gzip or none)"
    )


def inflate_capped(raw: bytes, limit: int, *, wbits: int) -> bytes:
    """Decompress every member of ``raw``; refuse once the output passes ``limit`` bytes."""
    out = bytearray()
    data = raw
    while data:
        inflater = zlib.decompressobj(wbits)
        try:
            out += inflater.decompress(data, limit + 1 - len(out))
        except zlib.error as exc:
            raise Refused(
                400, "invalid_encoding", f"the compressed body is invalid: {exc}"
            ) from None
        if len(out) > limit:
            raise too_large(limit)
        if not inflater.eof:
            raise Refused(400, "invalid_encoding", "the compressed body is cut short")
        data = inflater.unused_data
    return bytes(out)
