"""Web sessions: a random id in a signed cookie, its hash in the warehouse."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from cxloop.access.secrets import hash_token, new_token
from cxloop.access.users import find_user
from cxloop.domain.access import User
from cxloop.storage import Warehouse

SESSION_LIFETIME = timedelta(hours=12)


def start_session(warehouse: Warehouse, user: User) -> str:
    """Open a session for ``user``; return the session id to put in the cookie."""
    session_id = new_token()
    now = datetime.now(UTC)
    row = {
        "session_hash": hash_token(session_id),
        "user_id": user.user_id,
        "created_at": now,
        "expires_at": now + SESSION_LIFETIME,
    }
    warehouse.append_rows("web_sessions", [row])
    return session_id


def session_user(warehouse: Warehouse, session_id: str) -> User | None:
    """The enabled user of a live session, else None."""
    t = warehouse.table("web_sessions")
    rows = warehouse.to_pyarrow(
        t.filter(t.session_hash == hash_token(session_id)).limit(1)
    ).to_pylist()
    if not rows or rows[0]["expires_at"] < datetime.now(UTC):
        return None
    found = find_user(warehouse, user_id=rows[0]["user_id"])
    if found is None or found[0].disabled_at is not None:
        return None
    return found[0]


def end_session(warehouse: Warehouse, session_id: str) -> None:
    warehouse.delete("web_sessions", "session_hash", [hash_token(session_id)])


def csrf_token(secret_key: str, session_id: str) -> str:
    """The CSRF token of a session: an HMAC of its id, so it needs no storage."""
    return hmac.new(secret_key.encode(), b"csrf:" + session_id.encode(), hashlib.sha256).hexdigest()
