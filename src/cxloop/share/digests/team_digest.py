"""What a team's weekly digest says: its customer stories, its KPIs against goals, its NPS
by week, what changed since last week, and its open and overdue cases.

Built once per team and written in each member's language by
:mod:`cxloop.share.digests.messages`. Calls the KPI, goal and case libraries' public
functions; the only queries of its own count the team's feedback and cases in a window.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

import ibis
from pydantic import BaseModel

from cxloop.act.case_queries import CaseFilter, list_cases
from cxloop.domain.case import CaseSummary
from cxloop.domain.goal import GoalEvaluation
from cxloop.domain.kpi import KpiResult
from cxloop.share.digests.periods import DigestPeriod
from cxloop.share.digests.stories import TeamScope, ThemeStories, customer_stories
from cxloop.share.team_scorecard import TeamInfo
from cxloop.storage import Warehouse
from cxloop.understand.goals import evaluate_goals, stored_goals
from cxloop.understand.kpi import kpi_report

#: weeks of NPS in the digest's trend chart
TREND_WEEKS = 8
#: open cases listed (most urgent first); the counts cover them all
MAX_CASES = 10


class WeekChange(BaseModel):
    """One measure this week and the week before."""

    measure: str
    current: float | None
    previous: float | None
    significant: bool | None = None


class TeamDigest(BaseModel):
    """Everything a team's digest shows, in no language yet."""

    team: TeamInfo
    period_start: str
    period_end: str
    stories: list[ThemeStories]
    goals: list[GoalEvaluation]
    trend_scope: str
    trend: list[KpiResult]
    changes: list[WeekChange]
    open_cases: int
    overdue_cases: int
    cases: list[CaseSummary]
    inbox_url: str | None = None
    case_urls: dict[str, str] = {}


def build_team_digest(
    wh: Warehouse,
    team: TeamInfo,
    period: DigestPeriod,
    *,
    public_base_url: str | None = None,
    small_n: int = 30,
    now: datetime | None = None,
) -> TeamDigest:
    """The digest of ``team`` for the week ``period``; cases as they stand at ``now``."""
    scope = TeamScope(team.team_id, team.touchpoint)
    before = period.previous()
    stories = customer_stories(wh, scope, period.since, period.until, before.since)
    goals = evaluate_goals(wh, stored_goals(wh, team=team.team_id), as_of=period.end,
                           small_n=small_n)  # fmt: skip
    trend_scope, trend = _nps_trend(wh, team, period, small_n)
    changes = _changes(wh, team, scope, period, trend_scope, small_n)
    page = list_cases(wh, CaseFilter(status=("active",), team=team.team_id), limit=MAX_CASES,
                      now=now)  # fmt: skip
    base = (public_base_url or "").rstrip("/")
    inbox = case_urls = None
    if base:
        query = urlencode({"status": "active", "team": team.team_id})
        inbox = f"{base}/cases?{query}"
        case_urls = {c.case_id: f"{base}/cases/{quote(c.case_id, safe='')}" for c in page.items}
    return TeamDigest(
        team=team, period_start=period.start.isoformat(), period_end=period.end.isoformat(),
        stories=stories, goals=goals, trend_scope=trend_scope, trend=trend, changes=changes,
        open_cases=page.total, overdue_cases=page.counts.get("overdue", 0), cases=page.items,
        inbox_url=inbox, case_urls=case_urls or {},
    )  # fmt: skip


def _nps_trend(
    wh: Warehouse, team: TeamInfo, period: DigestPeriod, small_n: int
) -> tuple[str, list[KpiResult]]:
    """Weekly NPS of the feedback routed to the team, else of its touchpoint's."""
    since = period.end - timedelta(days=7 * TREND_WEEKS)
    until = period.end + timedelta(days=1)
    scopes = [("team", team.team_id)]
    if team.touchpoint:
        scopes.append(("touchpoint", team.touchpoint))
    for dimension, value in scopes:
        report = kpi_report(wh, "nps", by=dimension, period="week", since=since, until=until,
                            small_n=small_n)  # fmt: skip
        rows = [r for r in report.results if r.group == value and r.value is not None]
        if rows:
            return dimension, rows[-TREND_WEEKS:]
    return "team", []


def _changes(
    wh: Warehouse, team: TeamInfo, scope: TeamScope, period: DigestPeriod, trend_scope: str,
    small_n: int,
) -> list[WeekChange]:  # fmt: skip
    before = period.previous()
    feedback = scope.filter(wh.table("feedback"))
    cases = wh.table("cases").filter(ibis._.team_id == team.team_id)
    events = wh.table("case_events")
    resolved = events.filter(events.kind == "resolved").join(cases, "case_id")

    def count(table: ibis.Table, column: str, since: datetime, until: datetime) -> int:
        rows = table.filter((table[column] >= since) & (table[column] < until))
        return int(wh.to_pyarrow(rows.count()).as_py())

    out = []
    for measure, table, column in (
        ("feedback", feedback, "ts"), ("opened", cases, "opened_at"), ("resolved", resolved, "ts"),
    ):  # fmt: skip
        out.append(
            WeekChange(
                measure=measure,
                current=count(table, column, period.since, period.until),
                previous=count(table, column, before.since, before.until),
            )
        )
    value = team.team_id if trend_scope == "team" else team.touchpoint
    report = kpi_report(wh, "nps", by=trend_scope, since=period.start,
                        until=period.end + timedelta(days=1), small_n=small_n)  # fmt: skip
    cell = next((r for r in report.results if r.group == value), None)
    if cell is not None:
        # a change read from a small sample on either side is shown, never called significant
        enough = not cell.small_n and (cell.previous_n or 0) >= small_n
        out.insert(1, WeekChange(measure="nps", current=cell.value, previous=cell.previous_value,
                                 significant=bool(cell.significant) and enough))  # fmt: skip
    return out
