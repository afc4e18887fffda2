"""``GET /v1/gap``: the perception gap, managers vs employees vs customers, statement by statement.

Aggregates only, with employee groups under ``survey_min_group_n`` withheld: no one's individual
answer is ever in it, so every role from viewer up may read it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.schemas.gap import GAP_ERRORS, GapReport
from cxloop.understand.perception_gap import gap_report

router = APIRouter(prefix="/v1/gap", tags=["perception gap"])


@router.get("", response_model=GapReport, responses=GAP_ERRORS)
def get_gap(
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    by: Annotated[
        Literal["team"] | None, Query(description="team: also one row per statement and team.")
    ] = None,
    language: Annotated[
        Literal["en", "es", "zh"] | None,
        Query(description="Wording of the statements (default: the default_language setting)."),
    ] = None,
    since: Annotated[date | None, Query(description="First day, included.")] = None,
    until: Annotated[date | None, Query(description="First day excluded.")] = None,
) -> GapReport:
    """Share agreeing (4–5) and mean per statement among managers, other employees and
    customers, company-wide and per team, with 95% intervals and Fisher's exact test of
    managers vs customers (BH q); employee groups too small to be confidential are withheld."""
    return gap_report(
        warehouse, by=by, min_group_n=settings.survey_min_group_n,
        language=language or settings.default_language, since=since, until=until,
    )  # fmt: skip
