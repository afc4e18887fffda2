"""Who may do what: roles, users and keys as plain models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class Role(StrEnum):
    """Roles, from least to most privileged; each role may do what the ones below it may."""

    VIEWER = "viewer"
    AGENT = "agent"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank


class KeyKind(StrEnum):
    API = "api"  # the /v1 API, with a role
    WRITE = "write"  # the event collector only (Segment's write key)


class User(BaseModel):
    """A person who signs in to cxloop."""

    user_id: str
    email: str
    name: str | None = None
    role: Role
    language: str | None = None
    created_at: datetime | None = None
    disabled_at: datetime | None = None


class ApiKey(BaseModel):
    """An API or write key, as stored (its secret only as a hash)."""

    key_id: str
    kind: KeyKind
    role: Role | None = None
    name: str | None = None
    source: str | None = None
    created_at: datetime | None = None
    revoked_at: datetime | None = None
