"""``GET /v1/drivers``: key drivers of NPS, CSAT, CES or churn, with bootstrap intervals.

Aggregates only (importance and performance per driver), so every role from viewer up may
read it. Reports are cached per server while the tables they read keep their row counts.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from cxloop.api.deps import Viewer, WarehouseDep
from cxloop.api.schemas.drivers import DRIVERS_ERRORS, DriverReport
from cxloop.understand.drivers import driver_report
from cxloop.understand.drivers.report import ReportCache

router = APIRouter(prefix="/v1/drivers", tags=["key drivers"])

#: reports by arguments and source row counts, shared with the Drivers page
DRIVER_CACHE: ReportCache = {}
MAX_BOOTSTRAP = 2_000
DEFAULT_BOOTSTRAP = 200
#: from this many feedback rows the server works out the default report when it starts
WARM_FROM_FEEDBACK = 5_000
log = logging.getLogger("cxloop.api")


def driver_names(drivers: str | None) -> list[str] | None:
    """``a,b`` → ``["a", "b"]``; None (or nothing but commas) → every driver."""
    if drivers is None:
        return None
    names = [n.strip() for n in drivers.split(",") if n.strip()]
    return names or None


@router.get("", response_model=DriverReport, responses=DRIVERS_ERRORS)
def get_drivers(
    principal: Viewer,
    warehouse: WarehouseDep,
    outcome: Annotated[
        Literal["nps", "csat", "ces", "churn"], Query(description="The outcome to explain.")
    ] = "nps",
    drivers: Annotated[
        str | None,
        Query(
            max_length=4_000,
            description="Comma-separated driver names (touchpoint:delivery,theme:billing,"
            "rating:SURVEY.QUESTION); default: every driver with enough data, at most 15.",
        ),
    ] = None,
    bootstrap: Annotated[
        int, Query(ge=0, le=MAX_BOOTSTRAP, description="Bootstrap resamples (0: no intervals).")
    ] = DEFAULT_BOOTSTRAP,
    seed: Annotated[int, Query(ge=0, description="Seed of the bootstrap.")] = 20_000,
    churn_days: Annotated[
        int, Query(ge=1, le=3_650, description="churn: days without an order that count.")
    ] = 180,
) -> DriverReport:
    """Relative importance of each driver of the outcome by Johnson's relative weights and
    Shapley-value regression (both sum to the model's R²), with 95% bootstrap intervals, and
    each driver's performance (share satisfied) for the importance × performance quadrant."""
    return driver_report(
        warehouse, outcome, drivers=driver_names(drivers), bootstrap=bootstrap, seed=seed,
        churn_days=churn_days, cache=DRIVER_CACHE,
    )  # fmt: skip


def warm_driver_cache(app: Any) -> None:
    """``on_start`` hook: on a large warehouse, work out the default NPS report (what the
    Drivers page and a plain ``GET /v1/drivers`` show) in a background thread, so the first
    visitor does not wait for the bootstrap."""
    warehouse = app.state.warehouse
    if warehouse.counts().get("feedback", 0) < WARM_FROM_FEEDBACK:
        return

    def work() -> None:
        try:
            driver_report(warehouse, "nps", bootstrap=DEFAULT_BOOTSTRAP, cache=DRIVER_CACHE)
        except Exception as exc:  # a warm-up must never take the server down
            log.info("drivers: no warm-up report (%s)", exc)

    threading.Thread(target=work, name="cxloop-drivers-warm-up", daemon=True).start()
