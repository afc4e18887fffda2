"""The Scorecard: where an executive lands. Goal status at a glance, a KPI's trend with its
95% interval band, and a drill-down of the latest period by a dimension."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import Response

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.domain.goal import GoalEvaluation
from cxloop.domain.kpi import KpiResult
from cxloop.share.charts import chart_locale
from cxloop.share.kpi_trend_chart import kpi_trend_chart
from cxloop.share.scorecard import (
    DRILL_DIMENSIONS,
    SCORECARD_KPIS,
    drill_down,
    goal_overview,
    kpi_trend,
    status_counts,
)
from cxloop.storage.read_cache import cached_read
from cxloop.understand.closed_loop import cached_loop_metrics
from cxloop.understand.kpi import KPIS
from cxloop.web import goal_labels
from cxloop.web.closed_loop_view import closed_loop_view
from cxloop.web.i18n import UiLanguage
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language

router = APIRouter(include_in_schema=False)

ScorecardKpi = Literal["nps", "csat", "csat_mean", "ces", "closed_loop_rate", "time_to_close"]
Dimension = Literal["team", "touchpoint", "channel", "language", "country", "segment"]
TrendPeriod = Literal["month", "quarter"]
#: every table a goal or KPI of the Scorecard reads (see
#: :func:`~cxloop.storage.read_cache.cached_read`)
SCORECARD_TABLES = (
    "feedback", "customers", "orders", "survey_invitations", "survey_responses",
    "employee_pulses", "cases", "case_events", "teams", "segments", "segment_members",
    "kpi_goals", "kpi_feedback_daily", "kpi_rollup_state",
)  # fmt: skip
_DATE_FORMATS = {
    "month": {"en": "%b %Y", "es": "%b %Y", "zh": "%Y年%-m月"},
    "quarter": {"en": "Q%q %Y", "es": "T%q %Y", "zh": "%Y年第%q季度"},
}


@dataclass(frozen=True)
class TrendRow:
    """One period of a KPI's trend as the table under the chart shows it."""

    period_start: Any
    value: str
    interval: str
    n: int
    small_n: bool


@dataclass(frozen=True)
class TrendView:
    """A KPI trend chart and the same numbers as text."""

    spec: dict[str, Any]
    description: str
    rows: list[TrendRow]


@dataclass(frozen=True)
class CellView:
    """One cell of the drill-down."""

    group: str
    value: str
    interval: str
    n: int
    small_n: bool
    change: str
    q_value: str
    flag: str
    flag_kind: str


@router.get("/scorecard")
def scorecard(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    kpi: ScorecardKpi = "nps",
    period: TrendPeriod = "month",
    by: Dimension = "team",
) -> Response:
    ui = ui_language(request)
    small_n = settings.kpi_small_n
    # goals and KPIs depend on the clock too (today's period, open cases' time so far)
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    evaluations = cached_read(
        warehouse, SCORECARD_TABLES, ("goal_overview", small_n, hour),
        lambda: goal_overview(warehouse, small_n=small_n),
    )  # fmt: skip
    trend = cached_read(
        warehouse, SCORECARD_TABLES, ("kpi_trend", kpi, period, small_n, hour),
        lambda: kpi_trend(warehouse, kpi, period=period, small_n=small_n),
    )  # fmt: skip
    target = next(
        (e.goal.target for e in evaluations
         if e.goal.kpi == kpi and e.goal.scope.dimension is None),
        None,
    )  # fmt: skip
    chart = trend_view(ui, kpi, period, trend, target) if trend else None
    cells: list[CellView] = []
    drill = None
    latest = trend[-1].period_start if trend else None
    if latest is not None:
        drill = cached_read(
            warehouse, SCORECARD_TABLES, ("drill_down", kpi, by, latest, period, small_n, hour),
            lambda: drill_down(warehouse, kpi, by, latest=latest, period=period, small_n=small_n),
        )  # fmt: skip
        cells = [cell_view(ui, kpi, c) for c in drill.cells]
    loop = closed_loop_view(ui, cached_loop_metrics(warehouse, small_n=small_n))
    return render(
        request,
        "scorecard.html",
        {
            "goals": [goal_labels.goal_view(ui, e) for e in evaluations],
            "counts": [
                (
                    status.value,
                    goal_labels.STATUS_SYMBOLS[status],
                    ui.gettext(goal_labels.STATUS_LABELS[status]),
                    count,
                )
                for status, count in status_counts(evaluations).items()
            ],
            "goals_error": getattr(request.app.state, "goals_error", None),
            "kpi": kpi,
            "kpis": [(k, goal_labels.kpi_label(ui, k)) for k in SCORECARD_KPIS],
            "kpi_title": goal_labels.kpi_label(ui, kpi),
            "formula": KPIS[kpi].formula,
            "period": period,
            "by": by,
            "dimensions": [(d, goal_labels.dimension_label(ui, d)) for d in DRILL_DIMENSIONS],
            "dimension_title": goal_labels.dimension_label(ui, by),
            "chart": chart,
            "drill": drill,
            "cells": cells,
            "small_n": small_n,
            "loop": loop,
            "scripts": CHART_SCRIPTS if chart or loop.chart else [],
        },
    )


def trend_view(
    ui: UiLanguage, kpi: str, period: str, trend: list[KpiResult], target: float | None
) -> TrendView:
    """The trend chart in the page's language, with its text alternative."""
    _ = ui.gettext
    fmt = goal_labels.kpi_value
    description = _(
        "Line chart of %(kpi)s per %(period)s with its 95%% interval as a band, from %(first)s "
        "to %(last)s: latest %(value)s."
    ) % {
        "kpi": goal_labels.kpi_label(ui, kpi),
        "period": _(goal_labels.PERIOD_LABELS[period]).lower(),
        "first": ui.format_date(trend[0].period_start),
        "last": ui.format_date(trend[-1].period_start),
        "value": fmt(ui, kpi, trend[-1].value),
    }
    if target is not None:
        description += " " + _("The dashed line is the company goal, %(target)s.") % {
            "target": fmt(ui, kpi, target)
        }
    rows = [
        {"period_start": r.period_start.isoformat(), "value": r.value, "ci_low": r.ci_low,
         "ci_high": r.ci_high, "n": r.n}
        for r in trend if r.period_start is not None
    ]  # fmt: skip
    share = KPIS[kpi].unit == "share"
    spec = kpi_trend_chart(
        rows,
        period_title=_(goal_labels.PERIOD_LABELS[period]),
        value_title=goal_labels.kpi_label(ui, kpi),
        interval_title=_("95%% interval") % {},
        description=description,
        value_format=".0%" if share else (".2f" if KPIS[kpi].shape == "mean" else ".1f"),
        target=target,
        target_title=_("Target"),
        locale=chart_locale(ui.code),
        date_format=_DATE_FORMATS[period].get(ui.code, "%b %Y"),
    )
    table = [
        TrendRow(
            r.period_start,
            fmt(ui, kpi, r.value),
            f"{fmt(ui, kpi, r.ci_low)} – {fmt(ui, kpi, r.ci_high)}",
            r.n,
            r.small_n,
        )
        for r in trend
    ]
    return TrendView(spec, description, table)


def signed_change(ui: UiLanguage, kpi: str, change: float | None) -> str:
    """A change: shares in percentage points, others in the KPI's unit, always signed."""
    if change is None:
        return "—"
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    if KPIS[kpi].unit == "share":
        points = format_decimal(abs(change) * 100, format="#,##0.0", locale=ui.locale)
        return f"{sign}{points} " + ui.gettext("pp")
    return sign + goal_labels.kpi_value(ui, kpi, abs(change))


def cell_view(ui: UiLanguage, kpi: str, cell: KpiResult) -> CellView:
    """A drill-down cell with its change flag in words (never colour alone)."""
    fmt = goal_labels.kpi_value
    flag, kind = "", ""
    if cell.significant and cell.change:
        better = (cell.change > 0) == (goal_labels.better_direction(kpi) == "higher")
        kind = "better" if better else "worse"
        flag = ui.gettext("Significantly better") if better else ui.gettext("Significantly worse")
    q = "—" if cell.q_value is None else format_decimal(cell.q_value, "0.000", locale=ui.locale)
    return CellView(
        group=cell.group or ui.gettext("Unknown"), value=fmt(ui, kpi, cell.value),
        interval=f"{fmt(ui, kpi, cell.ci_low)} – {fmt(ui, kpi, cell.ci_high)}", n=cell.n,
        small_n=cell.small_n, change=signed_change(ui, kpi, cell.change), q_value=q,
        flag=flag, flag_kind=kind,
    )  # fmt: skip


def goal_views(ui: UiLanguage, evaluations: list[GoalEvaluation]) -> list[goal_labels.GoalView]:
    """The goals in the page's language."""
    return [goal_labels.goal_view(ui, e) for e in evaluations]
