"""The Drivers page: what moves an outcome (NPS, CSAT, CES, churn), as an importance ×
performance quadrant chart with the table beside it.

The report comes from :func:`cxloop.understand.drivers.driver_report` through the cache the
``/v1/drivers`` route keeps, so a page view after the first costs no recomputation while the
data stay the same. Like ``/v1/drivers``, the page is open to viewers and up: it shows
aggregates only (importances and shares satisfied), no one's personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cxloop.api.deps import Viewer, WarehouseDep
from cxloop.api.routes.drivers import DEFAULT_BOOTSTRAP, DRIVER_CACHE
from cxloop.domain.drivers import DriverImportance, DriverReport
from cxloop.errors import DataError
from cxloop.share.charts import chart_locale
from cxloop.share.drivers_chart import QUADRANTS, driver_quadrant_chart, quadrant
from cxloop.understand.drivers import driver_report
from cxloop.web.i18n import N_, UiLanguage
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language

router = APIRouter(include_in_schema=False)

#: resamples behind the page's intervals: the API's default, so both share a cached report
PAGE_BOOTSTRAP = DEFAULT_BOOTSTRAP
OUTCOME_LABELS = {
    "nps": N_("NPS"),
    "csat": N_("CSAT"),
    "ces": N_("Customer effort (CES)"),
    "churn": N_("Churn"),
}
KIND_LABELS = {
    "touchpoint": N_("Touchpoint CSAT"),
    "theme": N_("Theme mentioned"),
    "rating": N_("Attribute rating"),
}
QUADRANT_LABELS = {
    "fix_first": N_("Fix first"),
    "keep_up": N_("Keep up"),
    "lower_priority": N_("Lower priority"),
    "maintain": N_("Maintain"),
}


@dataclass(frozen=True)
class DriverRow:
    """One driver as the table shows it."""

    rank: int
    label: str
    kind: str
    quadrant_key: str | None
    quadrant: str | None
    shapley: str
    shapley_interval: str | None
    weight: str
    weight_interval: str | None
    share: str
    direction: str
    performance: str | None
    n: str


@dataclass(frozen=True)
class OutcomeTab:
    key: str
    label: str
    current: bool


def _dec(ui: UiLanguage, value: float | None) -> str | None:
    if value is None:
        return None
    return ui.format_number(round(value, 3)) if abs(value) >= 0.0005 else ui.format_number(0)


def _interval(ui: UiLanguage, low: float | None, high: float | None) -> str | None:
    if low is None or high is None:
        return None
    return f"{_dec(ui, low)} – {_dec(ui, high)}"


def driver_label(ui: UiLanguage, driver: DriverImportance) -> str:
    """A driver's name for people: the question's wording for a rating; the touchpoint or the
    theme with what is measured, so that delivery CSAT and the delivery theme differ."""
    _ = ui.gettext
    name = driver.label.replace("_", " ")
    if driver.kind == "touchpoint":
        return _("%(touchpoint)s CSAT") % {"touchpoint": name}
    if driver.kind == "theme":
        return _("%(theme)s (theme)") % {"theme": name}
    return name


def driver_quadrant(report: DriverReport, driver: DriverImportance) -> str | None:
    if driver.performance is None or report.mean_performance is None:
        return None
    return quadrant(driver.shapley, driver.performance, report.mean_importance or 0.0,
                    report.mean_performance)  # fmt: skip


def driver_row(ui: UiLanguage, report: DriverReport, driver: DriverImportance) -> DriverRow:
    _ = ui.gettext
    key = driver_quadrant(report, driver)
    return DriverRow(
        rank=driver.rank, label=driver_label(ui, driver), kind=_(KIND_LABELS[driver.kind]),
        quadrant_key=key, quadrant=_(QUADRANT_LABELS[key]) if key else None,
        shapley=_dec(ui, driver.shapley) or "",
        shapley_interval=_interval(ui, driver.shapley_ci_low, driver.shapley_ci_high),
        weight=_dec(ui, driver.relative_weight) or "",
        weight_interval=_interval(ui, driver.relative_weight_ci_low,
                                  driver.relative_weight_ci_high),
        share=ui.format_percent(driver.shapley / report.r2 if report.r2 > 0 else 0.0),
        direction="+" if driver.correlation >= 0 else "−",
        performance=ui.format_percent(driver.performance) if driver.performance is not None
        else None, n=ui.format_number(driver.n),
    )  # fmt: skip


def chart_spec(ui: UiLanguage, report: DriverReport) -> dict[str, Any] | None:
    _ = ui.gettext
    rows = []
    for d in report.drivers:
        key = driver_quadrant(report, d)
        if key is None or d.performance is None:
            continue
        rows.append({
            "driver": driver_label(ui, d), "importance": round(d.shapley, 5),
            "low": None if d.shapley_ci_low is None else round(d.shapley_ci_low, 5),
            "high": None if d.shapley_ci_high is None else round(d.shapley_ci_high, 5),
            "performance": round(d.performance, 4), "quadrant": key,
        })  # fmt: skip
    if not rows or report.mean_performance is None:
        return None
    return driver_quadrant_chart(
        rows, mean_importance=report.mean_importance or 0.0,
        mean_performance=report.mean_performance,
        quadrant_labels={q: _(QUADRANT_LABELS[q]) for q in QUADRANTS},
        importance_title=_("Importance (Shapley value of R²)"),
        performance_title=_("Performance (share satisfied)"), driver_title=_("Driver"),
        interval_title=_("95% interval"), quadrant_title=_("Quadrant"),
        description=_(
            "Scatter chart of each driver of %(outcome)s: performance across, importance up, "
            "with lines at the means. The numbers are in the table beside it."
        ) % {"outcome": _(OUTCOME_LABELS[report.outcome])},
        locale=chart_locale(ui.code),
    )  # fmt: skip


@router.get("/drivers")
def drivers_page(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    outcome: str = Query(default="nps", max_length=16),
) -> Response:
    ui = ui_language(request)
    _ = ui.gettext
    if outcome not in OUTCOME_LABELS:
        outcome = "nps"
    tabs = [OutcomeTab(k, _(label), k == outcome) for k, label in OUTCOME_LABELS.items()]
    report: DriverReport | None = None
    problem: str | None = None
    try:
        report = driver_report(warehouse, outcome, bootstrap=PAGE_BOOTSTRAP, cache=DRIVER_CACHE)
    except DataError:
        problem = _(
            "Not enough data yet to weigh the drivers of %(outcome)s: it takes feedback with "
            "scores from at least a few dozen customers."
        ) % {"outcome": _(OUTCOME_LABELS[outcome])}
    chart = chart_spec(ui, report) if report is not None else None
    rows = [driver_row(ui, report, d) for d in report.drivers] if report is not None else []
    return render(
        request,
        "drivers.html",
        {
            "tabs": tabs,
            "outcome_label": _(OUTCOME_LABELS[outcome]),
            "report": report,
            "problem": problem,
            "r2": _dec(ui, report.r2) if report else None,
            "r2_interval": _interval(ui, report.r2_ci_low, report.r2_ci_high) if report else None,
            "n": ui.format_number(report.n) if report else None,
            "rows": rows,
            "left_out": len(report.left_out) if report else 0,
            "chart": chart,
            "scripts": CHART_SCRIPTS if chart else [],
        },
    )
