"""Typed dependencies: the warehouse, the settings, and who is calling with which role.

Every route declares exactly one of :data:`Public` or :func:`require_role` (as a dependency), so
a test can prove that each non-public route refuses anonymous and under-privileged callers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from itsdangerous import BadSignature
from pydantic import BaseModel

from cxloop.access.keys import verify_key
from cxloop.access.sessions import session_user
from cxloop.act.notify_service import NotifyService
from cxloop.collect.surveys.definitions import SurveyDefinition
from cxloop.config import Settings
from cxloop.domain.access import ApiKey, KeyKind, Role, User
from cxloop.storage import Warehouse

SESSION_COOKIE = "cxloop_session"


class Principal(BaseModel):
    """Who is calling: a signed-in user or an API key."""

    role: Role
    user: User | None = None
    key: ApiKey | None = None
    session_id: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        if self.user is not None:
            return f"user:{self.user.email}"
        assert self.key is not None
        return f"key:{self.key.key_id}"


class NotSignedIn(HTTPException):
    def __init__(self) -> None:
        super().__init__(401, "sign in first", headers={"WWW-Authenticate": "Bearer"})


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_warehouse(request: Request) -> Warehouse:
    return request.app.state.warehouse  # type: ignore[no-any-return]


def get_notify(request: Request) -> NotifyService | None:
    """The running server's notification service (None before it starts)."""
    return getattr(request.app.state, "notify", None)


def current_principal(request: Request) -> Principal | None:
    """The caller from an ``Authorization: Bearer cxk_…`` API key or the session cookie."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    warehouse = get_warehouse(request)
    principal = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        key = verify_key(warehouse, auth[7:], KeyKind.API)
        if key is not None and key.role is not None:
            principal = Principal(role=key.role, key=key)
    else:
        session_id = read_session_cookie(request)
        user = session_user(warehouse, session_id) if session_id else None
        if user is not None:
            principal = Principal(role=user.role, user=user, session_id=session_id)
    request.state.principal = principal
    return principal


def read_session_cookie(request: Request) -> str | None:
    """The session id from the signed cookie, or None if absent or tampered with."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        value = request.app.state.signer.loads(cookie)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def get_surveys(request: Request) -> dict[str, SurveyDefinition]:
    """The surveys the app serves, by id (loaded when it started)."""
    return getattr(request.app.state, "surveys", {})  # type: ignore[no-any-return]


def public() -> None:
    """Marks a route as open to everyone (login page, health check, collector, assets)."""


class RoleRequirement:
    """A dependency that admits callers whose role is at least ``role``."""

    def __init__(self, role: Role) -> None:
        self.role = role

    def __call__(self, request: Request) -> Principal:
        principal = current_principal(request)
        if principal is None:
            raise NotSignedIn()
        if not principal.role.allows(self.role):
            raise HTTPException(403, f"this needs the {self.role.value} role or higher")
        return principal

    def __repr__(self) -> str:
        return f"require_role({self.role.value})"


_requirements = {role: RoleRequirement(role) for role in Role}


def require_role(role: Role) -> RoleRequirement:
    """The dependency for routes that need ``role`` (or a higher one)."""
    return _requirements[role]


Public = Depends(public)
SettingsDep = Annotated[Settings, Depends(get_settings)]
WarehouseDep = Annotated[Warehouse, Depends(get_warehouse)]
SurveysDep = Annotated[dict[str, SurveyDefinition], Depends(get_surveys)]
NotifyDep = Annotated[NotifyService | None, Depends(get_notify)]
Viewer = Annotated[Principal, Depends(require_role(Role.VIEWER))]
Agent = Annotated[Principal, Depends(require_role(Role.AGENT))]
Analyst = Annotated[Principal, Depends(require_role(Role.ANALYST))]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
