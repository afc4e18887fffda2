"""Goals on a warehouse: the trend comes from the KPI library in the goal's scope, segments
included, and the goals round-trip through ``kpi_goals``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cxloop.domain.goal import Goal, GoalScope, GoalStatus
from cxloop.storage import Warehouse
from cxloop.understand.goals import evaluate_goal, evaluate_goals, stored_goals, sync_goals
from cxloop.understand.kpi.rollup import refresh_rollup, rollup_is_fresh


def fill(wh: Warehouse) -> None:
    rows = []
    for month in (1, 2, 3):
        for i in range(40):
            rows.append({
                "feedback_id": f"f{month}-{i}", "customer_id": f"c{i}",
                "team_id": "a" if i < 30 else "b", "touchpoint": "store", "channel": "web",
                "language": "en", "source": "survey",
                "ts": datetime(2026, month, 1 + i % 27, tzinfo=UTC),
                "csat": 5 if i < 20 else 1,  # customers c0..c19 always satisfied
            })  # fmt: skip
    wh.append_rows("feedback", rows)
    wh.append_rows("segment_members", [
        {"member_id": f"vip-c{i}", "segment_id": "vip", "customer_id": f"c{i}"}
        for i in range(20)
    ])  # fmt: skip


def goal(**changes: object) -> Goal:
    base = dict(id="g", kpi="csat", target=0.9, direction="higher",
                deadline=date(2026, 12, 31), owner="me")  # fmt: skip
    return Goal.model_validate(base | changes)


def test_the_trend_is_the_kpi_in_the_goals_scope(warehouse: Warehouse) -> None:
    fill(warehouse)
    company = evaluate_goal(warehouse, goal(), as_of=date(2026, 4, 1), small_n=10)
    assert [p.n for p in company.trend] == [40, 40, 40]
    assert company.trend[0].value == pytest.approx(0.5)
    team = evaluate_goal(warehouse, goal(scope=GoalScope(dimension="team", value="b")),
                         as_of=date(2026, 4, 1), small_n=5)  # fmt: skip
    assert [p.n for p in team.trend] == [10, 10, 10] and team.trend[0].value == 0.0
    assert team.status is GoalStatus.AT_RISK


def test_a_segment_scope_reads_only_its_members(warehouse: Warehouse) -> None:
    fill(warehouse)
    vip = goal(scope=GoalScope(dimension="segment", value="vip"), target=0.8)
    result = evaluate_goal(warehouse, vip, as_of=date(2026, 4, 1), small_n=10)
    assert [p.n for p in result.trend] == [20, 20, 20]
    assert all(p.value == 1.0 for p in result.trend)
    assert result.status is GoalStatus.HIT


def test_a_segment_scope_never_reads_the_whole_companys_rollup(warehouse: Warehouse) -> None:
    fill(warehouse)
    refresh_rollup(warehouse)
    assert rollup_is_fresh(warehouse)
    vip = goal(scope=GoalScope(dimension="segment", value="vip"), target=0.8)
    result = evaluate_goal(warehouse, vip, as_of=date(2026, 4, 1), small_n=10)
    assert [p.n for p in result.trend] == [20, 20, 20]
    everyone = evaluate_goal(warehouse, goal(target=0.8), as_of=date(2026, 4, 1), small_n=10)
    assert [p.n for p in everyone.trend] != [20, 20, 20]


def test_the_trend_stops_at_the_deadline_and_starts_at_start(warehouse: Warehouse) -> None:
    fill(warehouse)
    late = goal(deadline=date(2026, 2, 15), start=date(2026, 2, 1))
    result = evaluate_goal(warehouse, late, as_of=date(2026, 6, 1), small_n=10)
    assert [p.period_start for p in result.trend] == [date(2026, 2, 1)]
    assert result.trend[0].n == 28  # February 1 to 15 only (of 40 in the month)
    assert result.status is GoalStatus.MISS


def test_goals_round_trip_through_kpi_goals(warehouse: Warehouse) -> None:
    goals = [
        goal(id="b", scope=GoalScope(dimension="team", value="x"), start=date(2026, 1, 1),
             period="quarter", title="T"),
        goal(id="a", kpi="ces", direction="lower", target=3.0),
    ]  # fmt: skip
    assert sync_goals(warehouse, goals) == 2
    assert stored_goals(warehouse) == sorted(goals, key=lambda g: g.id)
    assert [g.id for g in stored_goals(warehouse, team="x")] == ["b"]
    sync_goals(warehouse, goals[1:])
    assert [g.id for g in stored_goals(warehouse)] == ["a"]
    assert evaluate_goals(warehouse, []) == []
