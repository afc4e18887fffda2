"""The Overview page: how much the company hears from its customers, and the latest voices."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cxloop.api.deps import Viewer, WarehouseDep
from cxloop.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(request: Request, principal: Viewer, warehouse: WarehouseDep) -> Response:
    counts = warehouse.counts()
    return render(request, "overview.html", {"counts": counts})
