"""``/healthz`` (public) and ``/v1/me`` (who am I)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from cxloop import __version__
from cxloop.api.deps import Public, Viewer, WarehouseDep

router = APIRouter()


class Health(BaseModel):
    status: str
    version: str
    schema_version: int


class Me(BaseModel):
    role: str
    kind: str
    email: str | None = None
    key_id: str | None = None


@router.get("/healthz", dependencies=[Public], response_model=Health, tags=["health"])
def healthz(warehouse: WarehouseDep) -> Health:
    """Liveness and the warehouse's schema version."""
    return Health(status="ok", version=__version__, schema_version=warehouse.schema_version())


@router.get("/v1/me", response_model=Me, tags=["health"])
def me(principal: Viewer) -> Me:
    """The caller: a signed-in user or an API key, and its role."""
    return Me(
        role=principal.role.value,
        kind="user" if principal.user else "api_key",
        email=principal.user.email if principal.user else None,
        key_id=principal.key.key_id if principal.key else None,
    )
