"""Users: create, find, authenticate, disable."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from cxloop.access.secrets import MIN_PASSWORD_LENGTH, check_password, hash_password
from cxloop.domain.access import Role, User
from cxloop.errors import DataError, UsageError
from cxloop.storage import Warehouse

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# verified against when the e-mail is unknown, so a login takes as long either way
_DUMMY_HASH = hash_password("not a real password, only for timing")


def _row_to_user(row: dict) -> User:
    return User.model_validate({k: row[k] for k in User.model_fields if k in row})


def find_user(
    warehouse: Warehouse, *, email: str | None = None, user_id: str | None = None
) -> tuple[User, str] | None:
    """The user with this e-mail or id, and their password hash; None if there is none."""
    t = warehouse.table("users")
    if email is not None:
        t = t.filter(t.email == email.strip().lower())
    elif user_id is not None:
        t = t.filter(t.user_id == user_id)
    else:
        raise UsageError("find_user needs an e-mail or an id")
    rows = warehouse.to_pyarrow(t.limit(1)).to_pylist()
    if not rows:
        return None
    return _row_to_user(rows[0]), rows[0]["password_hash"]


def list_users(warehouse: Warehouse) -> list[User]:
    t = warehouse.table("users")
    return [_row_to_user(r) for r in warehouse.to_pyarrow(t.order_by(t.email)).to_pylist()]


def add_user(
    warehouse: Warehouse,
    email: str,
    password: str,
    role: Role | str,
    *,
    name: str | None = None,
    language: str | None = None,
) -> User:
    """Create a user; the password is stored only as an argon2 hash."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise DataError(f"e-mail {email!r} is not a valid address")
    try:
        role = Role(role)
    except ValueError:
        raise UsageError(
            f"unknown role {role!r} (expected one of: {', '.join(r.value for r in Role)})"
        ) from None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DataError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if language is not None and language not in ("en", "es", "zh"):
        raise DataError(f"language {language!r}: expected en, es or zh")
    if find_user(warehouse, email=email) is not None:
        raise DataError(f"a user with e-mail {email} already exists")
    user = User(
        user_id=uuid.uuid4().hex,
        email=email,
        name=name,
        role=role,
        language=language,
        created_at=datetime.now(UTC),
    )
    row = user.model_dump(exclude={"disabled_at"})
    row["password_hash"] = hash_password(password)
    warehouse.append_rows("users", [row])
    return user


def authenticate(warehouse: Warehouse, email: str, password: str) -> User | None:
    """The user if the e-mail and password match an enabled account, else None."""
    found = find_user(warehouse, email=email)
    if found is None:
        check_password(_DUMMY_HASH, password)
        return None
    user, password_hash = found
    if not check_password(password_hash, password) or user.disabled_at is not None:
        return None
    return user


def set_user_language(warehouse: Warehouse, user_id: str, language: str | None) -> None:
    if language is not None and language not in ("en", "es", "zh"):
        raise DataError(f"language {language!r}: expected en, es or zh")
    warehouse.update("users", "user_id", [user_id], {"language": language})


def disable_user(warehouse: Warehouse, email: str) -> User:
    found = find_user(warehouse, email=email)
    if found is None:
        raise DataError(f"no user with e-mail {email}")
    warehouse.update("users", "user_id", [found[0].user_id], {"disabled_at": datetime.now(UTC)})
    return found[0]
