"""Never contact an erased person again: salted hashes of their e-mail and phone.

Erasure removes a person's consents with everything else, so a later import that brings
their e-mail address back would make them look like a new customer who never refused. An
erasure therefore keeps, in ``erasure_suppressions``, an HMAC-SHA256 of each of their e-mail
addresses and phone numbers, keyed with the project's secret (``secret_key`` or
``.cxloop_secret``): the address cannot be read back from it, and cannot be guessed by hashing
a list of addresses without the secret. Every sender asks :func:`suppressed_contacts` before
sending. Rotating the secret key makes the markers unrecognisable: keep the old key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime

from cxloop.storage import Warehouse
from cxloop.unify.contacts import clean_email

TABLE = "erasure_suppressions"
_DOMAIN = b"cxloop-erasure-suppression\x00"


def _normal(kind: str, value: str) -> str | None:
    if kind == "email":
        return clean_email(value)
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return digits or None


def contact_hash(secret: str, kind: str, value: str) -> str | None:
    """The salted hash of an e-mail address (``kind="email"``) or a phone number (its digits);
    None when ``value`` is no address or number."""
    normal = _normal(kind, value)
    if normal is None:
        return None
    message = _DOMAIN + f"{kind}:{normal}".encode()
    return f"{kind}:" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def suppression_rows(
    secret: str, emails: Iterable[str], phones: Iterable[str], now: datetime | None = None
) -> list[dict[str, object]]:
    """The ``erasure_suppressions`` rows for a person's addresses and numbers."""
    ts = now or datetime.now(UTC)
    hashes = {
        (kind, h)
        for kind, values in (("email", emails), ("phone", phones))
        for v in values
        if (h := contact_hash(secret, kind, v)) is not None
    }
    return [{"suppression_id": h, "kind": k, "ts": ts} for k, h in sorted(hashes)]


def suppressed_contacts(
    warehouse: Warehouse, secret: str, kind: str, values: Iterable[str]
) -> set[str]:
    """Which of ``values`` (e-mail addresses or phone numbers) belong to an erased person.

    Every sender calls this before it contacts anyone (survey invitations and advocate
    invites do, through :func:`cxloop.act.invitations.planning.plan_invitations`).
    """
    wanted: dict[str, list[str]] = {}
    for value in values:
        h = contact_hash(secret, kind, value) if value else None
        if h is not None:
            wanted.setdefault(h, []).append(value)
    if not wanted:
        return set()
    table = warehouse.table(TABLE)
    found = warehouse.to_pyarrow(
        table.filter(table.suppression_id.isin(sorted(wanted))).select("suppression_id")
    )["suppression_id"].to_pylist()
    return {v for h in found for v in wanted[h]}
