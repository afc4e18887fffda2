"""A team's own scorecard: the customer-centric KPIs of the touchpoint it owns and of the
feedback routed to it, its goals, its closed loop (cases it owns), and its staff's eNPS where the
group is large enough.

eNPS is shown for a period only when at least ``min_group_n`` distinct employees of the team
answered in it (the ``survey_min_group_n`` setting): a smaller group could be singled out.
"""

from __future__ import annotations

from datetime import date

import ibis
from pydantic import BaseModel

from cxloop.domain.goal import GoalEvaluation
from cxloop.domain.kpi import KpiResult
from cxloop.domain.loop_metrics import LoopMetrics
from cxloop.errors import NotFoundError
from cxloop.storage import Warehouse
from cxloop.understand.closed_loop import cached_loop_metrics
from cxloop.understand.goals import evaluate_goals, stored_goals
from cxloop.understand.kpi import kpi_report
from cxloop.understand.kpi.aggregation import PERIOD_UNITS, utc_timestamp

#: the KPIs of customer feedback on a team's scorecard
TEAM_KPIS = ("nps", "csat", "ces")
TEAM_PERIODS = 6


class TeamInfo(BaseModel):
    """A team as the teams index lists it."""

    team_id: str
    name: str | None = None
    function: str | None = None
    touchpoint: str | None = None


class TeamKpi(BaseModel):
    """One KPI in one of the team's scopes: ``touchpoint`` (every piece of feedback about the
    touchpoint it owns) or ``team`` (the feedback routed to the team)."""

    kpi: str
    scope: str
    scope_value: str
    trend: list[KpiResult]

    @property
    def latest(self) -> KpiResult | None:
        """The most recent period with a value."""
        return self.trend[-1] if self.trend else None


class EnpsPeriod(BaseModel):
    """The team's eNPS in one period, or why it is withheld."""

    period_start: date
    respondents: int
    result: KpiResult | None = None
    withheld: bool = False


class TeamScorecard(BaseModel):
    """Everything the team page shows."""

    team: TeamInfo
    period: str
    kpis: list[TeamKpi]
    goals: list[GoalEvaluation]
    enps: list[EnpsPeriod]
    min_group_n: int
    loop: LoopMetrics


def list_teams(wh: Warehouse) -> list[TeamInfo]:
    """Every team in ``teams``, by name."""
    t = wh.table("teams")
    frame = wh.to_pandas(t.select("team_id", "name", "function", "touchpoint").order_by("name"))
    frame = frame.astype(object).where(frame.notna(), None)
    return [TeamInfo.model_validate(row) for row in frame.to_dict("records")]


def team_info(wh: Warehouse, team_id: str) -> TeamInfo:
    """The team ``team_id``; :class:`~cxloop.errors.NotFoundError` if there is none."""
    for team in list_teams(wh):
        if team.team_id == team_id:
            return team
    raise NotFoundError(f"no team with id {team_id!r}")


def team_scorecard(
    wh: Warehouse, team_id: str, *, period: str = "quarter", small_n: int = 30,
    min_group_n: int = 5, as_of: date | None = None,
) -> TeamScorecard:  # fmt: skip
    """The scorecard of team ``team_id`` over its last :data:`TEAM_PERIODS` periods."""
    team = team_info(wh, team_id)
    kpis: list[TeamKpi] = []
    for kpi in TEAM_KPIS:
        scopes = [("touchpoint", team.touchpoint)] if team.touchpoint else []
        scopes.append(("team", team.team_id))
        for scope, value in scopes:
            report = kpi_report(wh, kpi, by=scope, period=period, small_n=small_n)  # type: ignore[arg-type]
            trend = [r for r in report.results if r.group == value][-TEAM_PERIODS:]
            kpis.append(TeamKpi(kpi=kpi, scope=scope, scope_value=str(value), trend=trend))
    goals = evaluate_goals(wh, stored_goals(wh, team=team_id), as_of=as_of, small_n=small_n)
    return TeamScorecard(
        team=team, period=period, kpis=kpis, goals=goals,
        enps=team_enps(wh, team_id, period=period, small_n=small_n, min_group_n=min_group_n),
        min_group_n=min_group_n, loop=cached_loop_metrics(wh, team=team_id, small_n=small_n),
    )  # fmt: skip


def team_enps(
    wh: Warehouse, team_id: str, *, period: str = "quarter", small_n: int = 30,
    min_group_n: int = 5,
) -> list[EnpsPeriod]:  # fmt: skip
    """The team's eNPS per period; a period with fewer than ``min_group_n`` distinct
    respondents keeps only its respondent count (``withheld``), never its value."""
    p = wh.table("employee_pulses")
    p = p.filter(p.team_id == team_id, p.enps.notnull())
    ts = utc_timestamp(p.ts, duckdb=wh.ibis.name == "duckdb")
    start = ts.truncate(PERIOD_UNITS[period]).cast("date")  # type: ignore[attr-defined]
    counts = (
        p.mutate(period_start=start)
        .group_by("period_start")
        .aggregate(respondents=ibis._.employee_id.nunique())
        .order_by("period_start")
    )
    frame = wh.to_pandas(counts)
    report = kpi_report(wh, "enps", by="team", period=period, small_n=small_n)  # type: ignore[arg-type]
    results = {r.period_start: r for r in report.results if r.group == team_id}
    out = []
    for row in frame.to_dict("records")[-TEAM_PERIODS:]:
        day = row["period_start"]
        day = day if type(day) is date else day.date()
        respondents = int(row["respondents"])
        withheld = respondents < min_group_n
        out.append(
            EnpsPeriod(
                period_start=day,
                respondents=respondents,
                withheld=withheld,
                result=None if withheld else results.get(day),
            )
        )
    return out
