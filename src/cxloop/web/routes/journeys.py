"""The Journeys page: how customers move across touchpoints (a Sankey chart drawn on the
server, with its tables), the time between steps, where journeys end, each touchpoint's
satisfaction and the moments of truth (chart and table).

The report is computed once and reused while events and feedback stay the same
(:func:`cxloop.understand.journeys.journey_report` with this module's cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.domain.journey import JourneyReport, MomentOfTruth, TouchpointSatisfaction
from cxloop.share.charts import chart_locale
from cxloop.share.moments_chart import moments_of_truth_chart
from cxloop.share.sankey import SankeyLayout, SankeyLinkInput, SankeyNodeInput, sankey_layout
from cxloop.understand.journeys import journey_options, journey_report
from cxloop.understand.journeys.report import ReportCache
from cxloop.web.i18n import UiLanguage
from cxloop.web.journey_labels import touchpoint
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language

router = APIRouter(include_in_schema=False)
#: reports of this process, reused while the events and feedback stay the same
_CACHE: ReportCache = {}
TOP_PATHS = 10
TIMES_SHOWN = 12


@dataclass(frozen=True)
class MomentView:
    rank: int | None
    touchpoint: str
    effect: str | None
    interval: str | None
    exposed: str
    small_n: bool
    csat: str | None
    csat_interval: str | None
    satisfied: str | None
    satisfied_interval: str | None
    csat_n: str | None


def _decimal(ui: UiLanguage, value: float | None, pattern: str = "0.0") -> str | None:
    return None if value is None else format_decimal(value, pattern, locale=ui.locale)


def _signed(ui: UiLanguage, value: float | None) -> str | None:
    return None if value is None else _decimal(ui, value, "+0.00;−0.00")


def duration(ui: UiLanguage, hours: float | None) -> str:
    """Hours as ``3.5 h`` under two days, else ``4.2 days``, in the page's language."""
    _ = ui.gettext
    if hours is None:
        return "—"
    if hours < 48:
        return _("%(n)s h") % {"n": _decimal(ui, hours)}
    return _("%(n)s days") % {"n": _decimal(ui, hours / 24)}


def moment_views(ui: UiLanguage, report: JourneyReport) -> list[MomentView]:
    """The ranking, then touchpoints with CSAT but no bad experience seen."""
    satisfaction = {s.touchpoint: s for s in report.satisfaction}
    views = []

    def view(m: MomentOfTruth | None, s: TouchpointSatisfaction | None, code: str) -> MomentView:
        interval = None
        if m is not None and m.ci_low is not None and m.ci_high is not None:
            interval = f"{_signed(ui, m.ci_low)} … {_signed(ui, m.ci_high)}"
        csat_interval = satisfied_interval = None
        if s is not None and s.mean_ci_low is not None and s.mean_ci_high is not None:
            csat_interval = f"{_decimal(ui, s.mean_ci_low, '0.00')} – " \
                f"{_decimal(ui, s.mean_ci_high, '0.00')}"  # fmt: skip
        if s is not None and s.satisfied_ci_low is not None and s.satisfied_ci_high is not None:
            satisfied_interval = f"{ui.format_percent(s.satisfied_ci_low)} – " \
                f"{ui.format_percent(s.satisfied_ci_high)}"  # fmt: skip
        return MomentView(
            rank=m.rank if m else None, touchpoint=touchpoint(ui, code),
            effect=_signed(ui, m.effect) if m else None, interval=interval,
            exposed=ui.format_number(m.exposed if m else 0), small_n=bool(m and m.small_n),
            csat=_decimal(ui, s.mean, "0.00") if s else None, csat_interval=csat_interval,
            satisfied=ui.format_percent(s.satisfied) if s else None,
            satisfied_interval=satisfied_interval, csat_n=ui.format_number(s.n) if s else None,
        )  # fmt: skip

    for m in report.moments_of_truth.touchpoints:
        views.append(view(m, satisfaction.get(m.touchpoint), m.touchpoint))
    seen = {m.touchpoint for m in report.moments_of_truth.touchpoints}
    for s in report.satisfaction:
        if s.touchpoint not in seen:
            views.append(view(None, s, s.touchpoint))
    return views


def sankey(ui: UiLanguage, report: JourneyReport) -> SankeyLayout:
    nodes = [
        SankeyNodeInput(n.step, n.touchpoint, touchpoint(ui, n.touchpoint), n.journeys, n.ended)
        for n in report.nodes
    ]
    links = [SankeyLinkInput(k.step, k.source, k.target, k.journeys) for k in report.links]
    return sankey_layout(nodes, links, width=960, height=420, label_room=130)


def moments_chart(ui: UiLanguage, report: JourneyReport) -> dict[str, Any] | None:
    _ = ui.gettext
    rows = [
        {"touchpoint": touchpoint(ui, m.touchpoint), "effect": round(m.effect, 3),
         "low": round(m.ci_low, 3), "high": round(m.ci_high, 3), "exposed": m.exposed}
        for m in report.moments_of_truth.touchpoints
        if m.rank is not None and m.effect is not None and m.ci_low is not None
        and m.ci_high is not None
    ]  # fmt: skip
    if not rows:
        return None
    return moments_of_truth_chart(
        rows, effect_title=_("NPS points after a bad experience"),
        touchpoint_title=_("Touchpoint"), interval_title=_("95% interval"),
        exposed_title=_("Answers after a bad experience"),
        description=_(
            "Dot chart of the change in NPS answers after a bad experience at each touchpoint, "
            "with 95% intervals, largest loss first. The numbers are in the table below."
        ),
        locale=chart_locale(ui.code),
    )  # fmt: skip


def table_rows(ui: UiLanguage, report: JourneyReport) -> dict[str, list[tuple[Any, ...]]]:
    """The page's tables as rows of display strings: paths, flows, times and drop-off."""
    arrow = " → "

    def tp(code: str) -> str:
        return touchpoint(ui, code)

    number, percent = ui.format_number, ui.format_percent
    return {
        "paths": [
            (arrow.join(map(tp, p.steps)) + (arrow + "…" if p.continues else ""),
             number(p.journeys), percent(p.share))
            for p in report.paths
        ],
        "links": [
            (k.step, tp(k.source), tp(k.target), number(k.journeys)) for k in report.links
        ],
        "times": [
            (tp(t.source), tp(t.target), number(t.journeys), duration(ui, t.median_hours),
             f"{duration(ui, t.q1_hours)} – {duration(ui, t.q3_hours)}")
            for t in report.transitions[:TIMES_SHOWN]
        ],
        "ends": [
            (tp(d.touchpoint), number(d.visits), number(d.ended), percent(d.exit_rate),
             percent(d.share_of_ends))
            for d in report.drop_off
        ],
    }  # fmt: skip


@router.get("/journeys")
def journeys_page(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    since: Annotated[date | None, Query()] = None,
) -> Response:
    ui = ui_language(request)
    report = journey_report(
        warehouse, journey_options(settings, since=since, top=TOP_PATHS), cache=_CACHE
    )
    chart = moments_chart(ui, report)
    top = next((m for m in report.moments_of_truth.touchpoints if m.rank == 1), None)
    return render(
        request,
        "journeys.html",
        {
            "report": report,
            "since": since.isoformat() if since else "",
            "sankey": sankey(ui, report),
            **table_rows(ui, report),
            "moments": moment_views(ui, report),
            "top_moment": touchpoint(ui, top.touchpoint) if top else None,
            "top_effect": _signed(ui, top.effect) if top else None,
            "chart": chart,
            "small_n": settings.kpi_small_n,
            "bad_events": ", ".join(report.moments_of_truth.bad_events),
            "scripts": CHART_SCRIPTS if chart else [],
        },
    )
