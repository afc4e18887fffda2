"""Where a form may send the browser afterwards: only back to a page of this site."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/``.

    Refuses other hosts (``//evil.example``, ``https://…``), backslashes and any whitespace or
    control character, which browsers drop from URLs (``/\\t/evil.example`` is ``//evil…``).

    >>> safe_next("/settings?tab=keys"), safe_next("//evil.example"), safe_next(None)
    ('/settings?tab=keys', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if _UNSAFE.search(target):
        return "/"
    return target
