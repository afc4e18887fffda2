"""The closed-loop KPIs against hand computation: closed-loop rate and time to close."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from statsmodels.duration.survfunc import SurvfuncRight

from closed_loop_tables import T0, add_case, add_feedback_rows, at
from cxloop.storage import Warehouse
from cxloop.understand.kpi import kpi_report
from cxloop.understand.kpi import statistics as st


def _fb(fid: str, nps: int, team: str, hours: float = 0) -> dict:
    return {"feedback_id": fid, "customer_id": f"c_{fid}", "ts": at(hours), "team_id": team,
            "touchpoint": team, "nps": nps}  # fmt: skip


@pytest.fixture
def loop_wh(warehouse: Warehouse) -> Warehouse:
    now = datetime.now(UTC)
    add_feedback_rows(
        warehouse,
        [_fb("f1", 3, "web"), _fb("f2", 5, "web"), _fb("f3", 0, "billing"),
         _fb("f4", 6, "billing"), _fb("f5", 2, "web") | {"ts": now - timedelta(hours=1)},
         _fb("f6", 9, "web"), _fb("f7", 4, "billing")],
    )  # fmt: skip
    # f1 contacted within the 48 h SLA; f2 contacted late; f3 opened no case; f4's case was
    # never contacted and is overdue; f5's case is an hour old (not decided yet); f6 is a
    # promoter; f7's case has no due time and was contacted
    add_case(warehouse, "K1", feedback_id="f1", customer_id="c_f1", team="web", opened=at(0),
             contacted=at(10), resolved=at(12))  # fmt: skip
    add_case(warehouse, "K2", feedback_id="f2", customer_id="c_f2", team="web", opened=at(0),
             contacted=at(60), resolved=at(70))  # fmt: skip
    add_case(warehouse, "K3", feedback_id="f4", customer_id="c_f4", team="billing",
             opened=at(0))  # fmt: skip
    add_case(warehouse, "K4", feedback_id="f5", customer_id="c_f5", team="web",
             opened=now - timedelta(hours=1))  # fmt: skip
    add_case(warehouse, "K5", feedback_id="f7", customer_id="c_f7", team="billing",
             opened=at(0), sla_hours=None, contacted=at(20))  # fmt: skip
    return warehouse


def test_closed_loop_rate_counts_detractors_contacted_within_sla(loop_wh: Warehouse) -> None:
    (r,) = kpi_report(loop_wh, "closed_loop_rate").results
    # decided detractors f1, f2, f3, f4, f7; within SLA f1, f7
    assert (r.n, r.value) == (5, pytest.approx(0.4))
    assert (r.ci_low, r.ci_high) == pytest.approx(st.wilson_interval(2, 5))
    assert r.small_n


def test_closed_loop_rate_by_team_uses_the_case_team(loop_wh: Warehouse) -> None:
    billing, web = kpi_report(loop_wh, "closed_loop_rate", by="team").results
    assert (billing.group, billing.n, billing.value) == ("billing", 3, pytest.approx(1 / 3))
    assert (web.group, web.n, web.value) == ("web", 2, pytest.approx(1 / 2))


def test_closed_loop_rate_by_month(loop_wh: Warehouse) -> None:
    cells = kpi_report(loop_wh, "closed_loop_rate", period="month").results
    march = [c for c in cells if c.period_start == T0.date().replace(day=1)]
    assert march and march[0].n == 5


def _durations(wh: Warehouse, rows: list[tuple[str, float, float | None]]) -> None:
    """Cases opened ``age`` hours ago: resolved after ``hours``, or still open (None)."""
    now = datetime.now(UTC)
    for case_id, age, hours in rows:
        opened = now - timedelta(hours=age)
        resolved = opened + timedelta(hours=hours) if hours is not None else None
        add_case(wh, case_id, feedback_id=None, customer_id=f"c_{case_id}", team="web",
                 opened=opened, resolved=resolved)  # fmt: skip


def test_time_to_close_is_the_kaplan_meier_median_with_censoring(warehouse: Warehouse) -> None:
    # resolved after 1, 2, 3 and 10 h; two cases opened 5 h ago are still open (censored at 5)
    _durations(warehouse, [("A", 100, 1), ("B", 100, 2), ("C", 100, 3), ("D", 5, None),
                           ("E", 5, None), ("F", 100, 10)])  # fmt: skip
    (r,) = kpi_report(warehouse, "time_to_close").results
    # by hand: S(1) = 5/6, S(2) = 4/6, S(3) = 3/6 (not below one half), two censored at 5,
    # S(10) = 3/6 · (1 − 1/1) = 0 → the median is 10 h. Dropping the open cases would give
    # 1, 2, 3, 10 → S(3) = 1/4 → 3 h: censoring matters.
    assert (r.n, r.events, r.value) == (6, 4, pytest.approx(10.0))
    reference = SurvfuncRight(np.array([1, 2, 3, 5, 5, 10.0]), np.array([1, 1, 1, 0, 0, 1]))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        low, high = reference.quantile_ci(0.5)
    assert r.ci_low == pytest.approx(low)
    assert r.ci_high == (None if not np.isfinite(high) else pytest.approx(high))


def test_time_to_close_median_not_reached_while_most_are_open(warehouse: Warehouse) -> None:
    _durations(warehouse, [("A", 100, 1), ("B", 5, None), ("C", 5, None)])
    (r,) = kpi_report(warehouse, "time_to_close").results
    assert (r.n, r.events, r.value) == (3, 1, None)


def test_time_to_close_by_team_and_change_test(warehouse: Warehouse) -> None:
    add_case(warehouse, "P1", feedback_id=None, customer_id="x", team="web",
             opened=at(0), resolved=at(2))  # fmt: skip
    add_case(warehouse, "P2", feedback_id=None, customer_id="y", team="web",
             opened=at(24 * 40), resolved=at(24 * 40 + 8))  # fmt: skip
    cells = kpi_report(warehouse, "time_to_close", by="team", period="month").results
    assert [(c.group, c.value) for c in cells] == [("web", 2.0), ("web", 8.0)]
    april = cells[1]
    assert april.change == pytest.approx(6.0)
    assert april.test is not None and "log-rank" in april.test
    assert 0 <= (april.p_value or 0) <= 1


def test_goals_target_the_closed_loop_kpis(loop_wh: Warehouse) -> None:
    from datetime import date

    from cxloop.domain.goal import Goal, GoalScope
    from cxloop.understand.goals import evaluate_goal

    rate = Goal.model_validate(dict(id="g", kpi="closed_loop_rate", target=0.8,
                                    direction="higher", deadline=date(2026, 3, 31), owner="me",
                                    scope=GoalScope(dimension="team", value="web")))  # fmt: skip
    result = evaluate_goal(loop_wh, rate, as_of=date(2026, 4, 1), small_n=1)
    assert [(p.n, p.value) for p in result.trend] == [(2, 0.5)]
    assert result.status.value == "miss"
    close = Goal.model_validate(dict(id="t", kpi="time_to_close", target=100.0,
                                     direction="lower", deadline=date(2026, 3, 31),
                                     owner="me"))  # fmt: skip
    result = evaluate_goal(loop_wh, close, as_of=date(2026, 4, 1), small_n=1)
    # March's cases: resolved after 12 and 70 h, two still open: S(12) = 3/4, S(70) = 1/2,
    # never below one half → the median is not reached, and the goal cannot be judged
    assert [(p.n, p.value) for p in result.trend] == [(4, None)]
    assert result.status.value == "not_enough_data"


def test_a_segment_goal_reads_only_its_members_cases(loop_wh: Warehouse) -> None:
    from datetime import date

    from cxloop.domain.goal import Goal, GoalScope
    from cxloop.understand.goals import evaluate_goal

    loop_wh.append_rows("segment_members", [{"member_id": "m1", "segment_id": "vip",
                                             "customer_id": "c_f1"}])  # fmt: skip
    goal = Goal.model_validate(dict(id="t", kpi="time_to_close", target=100.0,
                                    direction="lower", deadline=date(2026, 3, 31), owner="me",
                                    scope=GoalScope(dimension="segment", value="vip")))  # fmt: skip
    march = evaluate_goal(loop_wh, goal, as_of=date(2026, 4, 1), small_n=1).trend[0]
    assert (march.n, march.value) == (1, 12.0)
