"""The teams index and each team's own scorecard (``/teams/{team_id}``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.domain.goal import GoalStatus
from cxloop.share.scorecard import goal_overview
from cxloop.share.team_scorecard import TeamKpi, list_teams, team_scorecard
from cxloop.web import goal_labels
from cxloop.web.closed_loop_view import closed_loop_view
from cxloop.web.i18n import UiLanguage
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language
from cxloop.web.routes.scorecard import signed_change, trend_view

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class TeamKpiRow:
    """One row of a team's KPI table."""

    kpi: str
    scope: str
    value: str
    interval: str
    n: int | None
    small_n: bool
    change: str
    flag: str
    period_start: object


@router.get("/teams")
def teams_index(
    request: Request, principal: Viewer, warehouse: WarehouseDep, settings: SettingsDep
) -> Response:
    ui = ui_language(request)
    evaluations = goal_overview(warehouse, small_n=settings.kpi_small_n)
    by_team: dict[str, list[GoalStatus]] = {}
    for e in evaluations:
        if e.goal.scope.dimension == "team" and e.goal.scope.value is not None:
            by_team.setdefault(e.goal.scope.value, []).append(e.status)
    rows = [
        (team, [
            (s.value, goal_labels.STATUS_SYMBOLS[s], ui.gettext(goal_labels.STATUS_LABELS[s]))
            for s in by_team.get(team.team_id, [])
        ])
        for team in list_teams(warehouse)
    ]  # fmt: skip
    return render(request, "teams.html", {"teams": rows})


@router.get("/teams/{team_id}")
def team_page(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    team_id: Annotated[str, Path(max_length=200)],
) -> Response:
    ui = ui_language(request)
    card = team_scorecard(
        warehouse, team_id, small_n=settings.kpi_small_n,
        min_group_n=settings.survey_min_group_n,
    )  # fmt: skip
    csat = next((k for k in card.kpis if k.kpi == "csat" and k.scope == "team"), None)
    target = next((g.goal.target for g in card.goals if g.goal.kpi == "csat"), None)
    chart = trend_view(ui, "csat", card.period, csat.trend, target) if csat and csat.trend else None
    enps = [
        (
            p.period_start, p.respondents, p.withheld,
            goal_labels.kpi_value(ui, "enps", p.result.value) if p.result else "—",
            f"{goal_labels.kpi_value(ui, 'enps', p.result.ci_low)} – "
            f"{goal_labels.kpi_value(ui, 'enps', p.result.ci_high)}" if p.result else "—",
            bool(p.result and p.result.small_n),
        )
        for p in card.enps
    ]  # fmt: skip
    loop = closed_loop_view(ui, card.loop)
    return render(
        request,
        "team.html",
        {
            "team": card.team,
            "rows": [kpi_row(ui, k) for k in card.kpis],
            "goals": [goal_labels.goal_view(ui, e) for e in card.goals],
            "enps": enps,
            "min_group_n": card.min_group_n,
            "chart": chart,
            "small_n": settings.kpi_small_n,
            "loop": loop,
            "scripts": CHART_SCRIPTS if chart or loop.chart else [],
        },
    )


def kpi_row(ui: UiLanguage, item: TeamKpi) -> TeamKpiRow:
    """A team KPI's latest period, with its change against the period before."""
    latest = item.latest
    fmt = goal_labels.kpi_value
    scope = (
        ui.gettext("Touchpoint %(name)s") % {"name": item.scope_value}
        if item.scope == "touchpoint"
        else ui.gettext("Feedback the team owns")
    )
    flag = ""
    if latest is not None and latest.significant and latest.change:
        better = (latest.change > 0) == (goal_labels.better_direction(item.kpi) == "higher")
        flag = ui.gettext("Significantly better") if better else ui.gettext("Significantly worse")
    return TeamKpiRow(
        kpi=goal_labels.kpi_label(ui, item.kpi), scope=scope,
        value=fmt(ui, item.kpi, latest.value) if latest else "—",
        interval=f"{fmt(ui, item.kpi, latest.ci_low)} – {fmt(ui, item.kpi, latest.ci_high)}"
        if latest else "—",
        n=latest.n if latest else None, small_n=bool(latest and latest.small_n),
        change=signed_change(ui, item.kpi, latest.change) if latest else "—", flag=flag,
        period_start=latest.period_start if latest else None,
    )  # fmt: skip
