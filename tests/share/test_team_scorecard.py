"""A team's scorecard: its touchpoint and its own feedback, and eNPS only for large groups."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cxloop.errors import NotFoundError
from cxloop.share.scorecard import drill_down, status_counts
from cxloop.share.team_scorecard import list_teams, team_enps, team_scorecard
from cxloop.storage import Warehouse


def fill(wh: Warehouse) -> None:
    wh.append_rows("teams", [
        {"team_id": "b", "name": "Billing", "touchpoint": "billing"},
        {"team_id": "a", "name": "Apps", "touchpoint": "app"},
    ])  # fmt: skip
    wh.append_rows("feedback", [
        {"feedback_id": f"f{i}", "team_id": "a" if i % 2 else "b",
         "touchpoint": "app" if i % 3 else "billing",
         "ts": datetime(2026, 2, 1 + i % 20, tzinfo=UTC),
         "nps": i % 11, "csat": 1 + i % 5, "ces": 1 + i % 7, "channel": "web", "language": "en"}
        for i in range(60)
    ])  # fmt: skip
    pulses = []
    for quarter, answered in ((1, 6), (4, 4)):
        for e in range(answered):
            for repeat in range(2):  # two answers each: respondents are people, not answers
                pulses.append({
                    "pulse_id": f"p{quarter}-{e}-{repeat}", "employee_id": f"e{e}",
                    "team_id": "a", "enps": 10,
                    "ts": datetime(2026, quarter, 10 + repeat, tzinfo=UTC),
                })  # fmt: skip
    wh.append_rows("employee_pulses", pulses)


def test_teams_are_listed_by_name(warehouse: Warehouse) -> None:
    fill(warehouse)
    assert [t.team_id for t in list_teams(warehouse)] == ["a", "b"]


def test_enps_is_withheld_below_the_minimum_group(warehouse: Warehouse) -> None:
    fill(warehouse)
    first, second = team_enps(warehouse, "a", min_group_n=5)
    assert (first.period_start, first.respondents, first.withheld) == (date(2026, 1, 1), 6, False)
    assert first.result is not None and first.result.value == 100.0 and first.result.n == 12
    assert (second.respondents, second.withheld, second.result) == (4, True, None)


def test_the_team_scorecard_has_both_scopes(warehouse: Warehouse) -> None:
    fill(warehouse)
    card = team_scorecard(warehouse, "a", small_n=5)
    scopes = {(k.kpi, k.scope, k.scope_value) for k in card.kpis}
    assert ("csat", "touchpoint", "app") in scopes and ("csat", "team", "a") in scopes
    owned = next(k for k in card.kpis if k.kpi == "nps" and k.scope == "team")
    assert owned.latest is not None and owned.latest.n == 30
    with pytest.raises(NotFoundError, match="no team with id 'zz'"):
        team_scorecard(warehouse, "zz")


def test_the_drill_down_puts_the_best_first(warehouse: Warehouse) -> None:
    fill(warehouse)
    csat = drill_down(warehouse, "csat_mean", "team", latest=date(2026, 2, 1))
    assert csat.until == date(2026, 3, 1) and csat.previous_since == date(2026, 1, 4)
    values = [c.value for c in csat.cells]
    assert values == sorted(values, reverse=True)
    ces = drill_down(warehouse, "ces", "team", latest=date(2026, 2, 1))
    assert [c.value for c in ces.cells] == sorted(c.value for c in ces.cells)
    assert sum(status_counts([]).values()) == 0
