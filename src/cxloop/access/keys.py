"""API keys (for /v1, with a role) and write keys (for the event collector).

A key is shown once, when it is made: ``cxk_<id>_<secret>`` (API) or ``cxw_<id>_<secret>``
(write). Only the SHA-256 of the whole key is stored; the id part finds the row.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from cxloop.access.secrets import hash_token, new_token, same
from cxloop.domain.access import ApiKey, KeyKind, Role
from cxloop.errors import DataError, UsageError
from cxloop.storage import Warehouse

_PREFIX = {KeyKind.API: "cxk", KeyKind.WRITE: "cxw"}
_KEY = re.compile(r"^(cxk|cxw)_([0-9a-f]{12})_([A-Za-z0-9_\-]{20,})$")


def add_key(
    warehouse: Warehouse,
    kind: KeyKind | str,
    *,
    role: Role | str | None = None,
    name: str | None = None,
    source: str | None = None,
    created_by: str | None = None,
) -> tuple[ApiKey, str]:
    """Make a key; return it and its secret text, which is never shown again."""
    try:
        kind = KeyKind(kind)
    except ValueError:
        raise UsageError(f"unknown key kind {kind!r} (expected api or write)") from None
    if kind is KeyKind.API:
        if role is None:
            raise UsageError("an API key needs a role (--role viewer, agent, analyst or admin)")
        try:
            role = Role(role)
        except ValueError:
            raise UsageError(
                f"unknown role {role!r} (expected one of: {', '.join(r.value for r in Role)})"
            ) from None
        source = None
    else:
        role = None
        source = source or "collector"
        if not re.fullmatch(r"[A-Za-z0-9_.\-]+", source):
            raise DataError(f"source name {source!r}: use letters, digits, '_', '-' or '.'")
    key_id = secrets.token_hex(6)
    text = f"{_PREFIX[kind]}_{key_id}_{new_token(24)}"
    key = ApiKey(
        key_id=key_id,
        kind=kind,
        role=role,
        name=name,
        source=source,
        created_at=datetime.now(UTC),
    )
    row = key.model_dump(exclude={"revoked_at"})
    row.update(secret_hash=hash_token(text), created_by=created_by)
    warehouse.append_rows("api_keys", [row])
    return key, text


def verify_key(warehouse: Warehouse, text: str, kind: KeyKind) -> ApiKey | None:
    """The live key whose secret is ``text`` and whose kind is ``kind``, else None."""
    match = _KEY.match(text.strip())
    if match is None or match.group(1) != _PREFIX[kind]:
        return None
    t = warehouse.table("api_keys")
    rows = warehouse.to_pyarrow(t.filter(t.key_id == match.group(2)).limit(1)).to_pylist()
    if not rows:
        return None
    row = rows[0]
    if row["kind"] != kind.value or row["revoked_at"] is not None:
        return None
    if not same(row["secret_hash"], hash_token(text.strip())):
        return None
    return ApiKey.model_validate({k: row[k] for k in ApiKey.model_fields})


def list_keys(warehouse: Warehouse) -> list[ApiKey]:
    t = warehouse.table("api_keys")
    rows = warehouse.to_pyarrow(t.order_by(t.created_at)).to_pylist()
    return [ApiKey.model_validate({k: r[k] for k in ApiKey.model_fields}) for r in rows]


def revoke_key(warehouse: Warehouse, key_id: str) -> None:
    if warehouse.update("api_keys", "key_id", [key_id], {"revoked_at": datetime.now(UTC)}) == 0:
        raise DataError(f"no key with id {key_id}")
