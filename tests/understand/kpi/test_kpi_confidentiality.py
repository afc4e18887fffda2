"""eNPS is employee data: groups smaller than survey_min_group_n are withheld, with a reason."""

from __future__ import annotations

import pytest

from cxloop.storage import Warehouse
from cxloop.understand.kpi import kpi_report
from kpi_tables import ts


def add_pulses(wh: Warehouse, team: str, scores: list[int], *, day: str = "2026-01-05") -> None:
    wh.append_rows(
        "employee_pulses",
        [
            {"pulse_id": f"{team}-{day}-{i}", "employee_id": f"{team}{i}", "team_id": team,
             "ts": ts(day), "enps": v}
            for i, v in enumerate(scores)
        ],
    )  # fmt: skip


def test_a_team_of_four_is_suppressed_and_a_team_of_five_shown(warehouse: Warehouse) -> None:
    add_pulses(warehouse, "four", [10, 10, 10, 0])
    add_pulses(warehouse, "five", [10, 9, 8, 6, 2])
    add_pulses(warehouse, "big", [10] * 9)
    cells = {r.group: r for r in kpi_report(warehouse, "enps", by="team").results}
    four = cells["four"]
    assert four.suppressed == "min_group_n"
    assert four.value is None and four.ci_low is None and four.ci_high is None
    assert four.p_value is None and four.change is None
    # hiding "four" alone would let the company figure minus the others give it back
    assert cells["five"].suppressed == "complementary" and cells["five"].value is None
    assert cells["big"].suppressed is None and cells["big"].value == pytest.approx(100.0)


def test_five_shown_when_no_total_can_give_a_group_away(warehouse: Warehouse) -> None:
    add_pulses(warehouse, "five", [10, 9, 8, 6, 2])
    (r,) = kpi_report(warehouse, "enps", by="team").results
    assert r.suppressed is None and r.value == pytest.approx(0.0) and r.n == 5


def test_respondents_not_answers_are_counted(warehouse: Warehouse) -> None:
    # three people answering on two days: six answers, still three respondents
    add_pulses(warehouse, "a", [10, 9, 0], day="2026-01-05")
    add_pulses(warehouse, "a", [10, 9, 0], day="2026-02-05")
    (r,) = kpi_report(warehouse, "enps").results
    assert r.n == 6 and r.suppressed == "min_group_n" and r.value is None


def test_min_group_n_is_a_parameter(warehouse: Warehouse) -> None:
    add_pulses(warehouse, "a", [10, 9, 0])
    (r,) = kpi_report(warehouse, "enps", min_group_n=3).results
    assert r.suppressed is None and r.value == pytest.approx(100 / 3)


def test_a_suppressed_previous_period_gives_no_change(warehouse: Warehouse) -> None:
    add_pulses(warehouse, "a", [10, 9, 0], day="2026-01-05")
    add_pulses(warehouse, "b", [10, 9, 8, 7, 6], day="2026-02-05")
    cells = kpi_report(warehouse, "enps", period="month").results
    january, february = cells
    assert january.suppressed == "min_group_n" and january.value is None
    assert february.suppressed is None and february.value == pytest.approx(20.0)
    assert february.change is None and february.p_value is None


def test_customer_kpis_are_not_suppressed(warehouse: Warehouse) -> None:
    warehouse.append_rows(
        "feedback",
        [{"feedback_id": "f1", "ts": ts("2026-01-05"), "team_id": "a", "nps": 10}],
    )
    (r,) = kpi_report(warehouse, "nps", by="team").results
    assert r.suppressed is None and r.value == pytest.approx(100.0)
