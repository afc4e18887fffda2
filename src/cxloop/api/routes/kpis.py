"""``GET /v1/kpis`` (the KPI library) and ``GET /v1/kpis/{name}`` (a KPI's values).

KPIs are aggregates, no one's personal data: every role from viewer up may read them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.kpis import KPI_ERRORS, KpiInfo, KpiReport
from cxloop.errors import NotFoundError
from cxloop.understand.kpi import DIMENSIONS, KPIS, kpi_report, list_kpis

router = APIRouter(prefix="/v1/kpis", tags=["kpis"])


@router.get("", response_model=list[KpiInfo], responses=KPI_ERRORS)
def get_kpis(principal: Viewer) -> list[KpiInfo]:
    """Every KPI with its definition, shape and the dimensions it breaks down by."""
    return list_kpis()


@router.get("/{name}", response_model=KpiReport, responses=KPI_ERRORS)
def get_kpi(
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    name: Annotated[str, Path(max_length=64, description="A KPI name from GET /v1/kpis.")],
    by: Annotated[
        str | None,
        Query(max_length=64, description=f"Break down by one of: {', '.join(DIMENSIONS)}."),
    ] = None,
    period: Annotated[
        Literal["day", "week", "month", "quarter"] | None,
        Query(description="A trend: one cell per period, each compared with the one before."),
    ] = None,
    since: Annotated[date | None, Query(description="First day, included.")] = None,
    until: Annotated[date | None, Query(description="First day excluded.")] = None,
) -> KpiReport:
    """The KPI's cells with n, 95% interval, change, test, BH q-value and small-n flag."""
    if name not in KPIS:
        raise NotFoundError(f"unknown KPI {name!r}; valid KPIs: {', '.join(KPIS)}")
    return kpi_report(
        warehouse, name, by=by, period=period, since=since, until=until,
        small_n=settings.kpi_small_n, min_group_n=settings.survey_min_group_n,
    )  # fmt: skip
