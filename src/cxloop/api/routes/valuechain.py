"""``GET /v1/valuechain``: the employee → customer value chain fitted on the warehouse.

Team-level aggregates only (one case per team and period), so every role from viewer up may
read it. The fit is cached until the project's ``valuechain.yaml`` or the tables it reads
change (:mod:`cxloop.understand.valuechain.cache`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.errors import ErrorResponse
from cxloop.config import Settings
from cxloop.domain.valuechain import ValueChainRun
from cxloop.storage import Warehouse
from cxloop.understand.valuechain import CHAIN_FILE
from cxloop.understand.valuechain.cache import ChainCache

router = APIRouter(prefix="/v1/valuechain", tags=["value chain"])

VALUECHAIN_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "valuechain.yaml is missing or invalid, or the warehouse has too few team x "
        "period cells to fit the chain; the message says which.",
        401: "No API key or session.",
        403: "The caller has no role that may read the value chain.",
    }.items()
}


def project_value_chain(
    request: Request, warehouse: Warehouse, settings: Settings
) -> ValueChainRun:
    """The project's value chain, from the app's cache when nothing changed."""
    state = request.app.state
    if getattr(state, "value_chain_cache", None) is None:
        state.value_chain_cache = ChainCache()
    cache: ChainCache = state.value_chain_cache
    return cache.get(warehouse, Path(settings.project) / CHAIN_FILE)


@router.get("", response_model=ValueChainRun, responses=VALUECHAIN_ERRORS)
def get_value_chain(
    request: Request, principal: Viewer, warehouse: WarehouseDep, settings: SettingsDep
) -> ValueChainRun:
    """The PLS path model of the project's valuechain.yaml (engagement → service quality →
    satisfaction → loyalty → revenue, one case per team and quarter): path coefficients with
    bootstrap 95% intervals, R², outer weights and loadings, total effects, GoF, and the share
    of each customer outcome engagement accounts for."""
    return project_value_chain(request, warehouse, settings)
