"""``GET /v1/journeys``: paths across touchpoints, flows, time between steps, drop-off,
satisfaction per touchpoint and the moments of truth.

Aggregates only (no customer id is in any of them), so every role from viewer up may read it.
Reports are reused while the data and options stay the same (see
:func:`cxloop.understand.journeys.journey_report`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.journeys import JOURNEY_ERRORS, JourneyReport
from cxloop.understand.journeys import journey_options, journey_report
from cxloop.understand.journeys.report import ReportCache

router = APIRouter(prefix="/v1/journeys", tags=["journeys"])
#: reports of this process, reused while the events and feedback stay the same
_CACHE: ReportCache = {}


@router.get("", response_model=JourneyReport, responses=JOURNEY_ERRORS)
def get_journeys(
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    top: Annotated[int, Query(ge=1, le=100, description="Most common paths to list.")] = 10,
    since: Annotated[date | None, Query(description="First day, included.")] = None,
) -> JourneyReport:
    """The most common paths, step-to-step flows (for a Sankey chart), the median and IQR of
    the time between steps, drop-off, CSAT per touchpoint with 95% intervals, and the moments
    of truth: the NPS effect of a bad experience at each touchpoint with a cluster-robust 95%
    interval, ranked."""
    options = journey_options(settings, since=since, top=top)
    return journey_report(warehouse, options, cache=_CACHE)
