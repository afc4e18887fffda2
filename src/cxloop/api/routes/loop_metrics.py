"""``GET /v1/loop/metrics``: the closed-loop metrics of the Scorecard.

Aggregates, no one's personal data: every role from viewer up may read them, as the Scorecard.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.loop_metrics import LOOP_METRICS_ERRORS, LoopMetrics
from cxloop.errors import UsageError
from cxloop.understand.closed_loop import loop_metrics

router = APIRouter(prefix="/v1/loop", tags=["loop"])


@router.get("/metrics", response_model=LoopMetrics, responses=LOOP_METRICS_ERRORS)
def get_loop_metrics(
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    team: Annotated[str | None, Query(max_length=64, description="One team's metrics.")] = None,
    since: Annotated[date | None, Query(description="First day, included.")] = None,
    until: Annotated[date | None, Query(description="First day excluded.")] = None,
) -> LoopMetrics:
    """Detractors contacted within SLA, time to close (Kaplan-Meier curve, open cases
    censored), NPS change after resolution, and contacted vs matched not-contacted detractors
    (retention within 90 days, later NPS) with 95% intervals and the number of pairs."""
    if since is not None and until is not None and until <= since:
        raise UsageError(f"until ({until}) must be after since ({since})")
    return loop_metrics(
        warehouse, team=team, since=since, until=until, small_n=settings.kpi_small_n
    )
