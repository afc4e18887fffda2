"""The perception gap over warehouse tables: definitions, answers, groups, teams, min-n."""

from __future__ import annotations

import pytest

from cxloop.storage import Warehouse
from cxloop.understand.perception_gap import gap_report, statement_answers, statement_surveys
from gap_tables import seed_gap_company


@pytest.fixture
def wh(warehouse: Warehouse) -> Warehouse:
    seed_gap_company(warehouse)
    return warehouse


def test_answers_carry_group_team_and_respondent(wh: Warehouse) -> None:
    surveys = statement_surveys(wh)
    assert set(surveys) == {"cc", "ecc"} and surveys["ecc"].audience == "employees"
    answers = statement_answers(wh, surveys)
    listen = answers[answers.statement_id == "listen"]
    counts = listen.groupby("group").size().to_dict()
    assert counts == {"managers": 12, "employees": 18, "customers": 30}
    assert set(listen.team_id) == {"T-A", "T-B", "T-D"}
    assert "r-partial" not in set(answers.respondent)  # partial responses are not read
    assert (answers.value.between(1, 5)).all()


def test_company_and_team_rows_with_withheld_managers(wh: Warehouse) -> None:
    report = gap_report(wh, by="team", min_group_n=5, language="es")
    rows = {(r.team_id, r.statement_id): r for r in report.rows}
    company = rows[(None, "listen")]
    # managers 4 × 5, 3 × 4, and 5, 5, 5, 1, 1: 10 of 12 agree
    assert company.managers.n == 12 and company.managers.agree == 10
    assert company.customers.share == pytest.approx(0.2) and company.customers.n == 30
    assert company.employees.share == pytest.approx(6 / 18)
    assert company.gap == pytest.approx(10 / 12 - 0.2)
    # the employee survey has no Spanish wording: its first language stands in
    assert company.statement == "Me escuchan."
    assert company.employee_statement == "We listen to our customers."
    a, d, b = rows[("T-A", "listen")], rows[("T-D", "listen")], rows[("T-B", "listen")]
    assert a.managers.suppressed == d.managers.suppressed == "min_group_n"
    assert a.managers.share is None and a.managers.agree is None and a.p_value is None
    assert b.managers.suppressed is None and b.managers.share == pytest.approx(0.6)
    assert b.team_name == "Team B"
    # the employee groups of each team (6) are shown
    assert a.employees.share == pytest.approx(2 / 6)


def test_english_wording_falls_back_per_group(wh: Warehouse) -> None:
    report = gap_report(wh, language="zh")
    (listen,) = [r for r in report.rows if r.statement_id == "listen"]
    assert listen.statement == "They listen to me."
    assert listen.employee_statement == "We listen to our customers."


def test_a_stricter_setting_withholds_more(wh: Warehouse) -> None:
    report = gap_report(wh, by="team", min_group_n=6)
    team_b = [r for r in report.rows if r.team_id == "T-B"]
    assert all(r.managers.suppressed for r in team_b)
    assert all(r.employees.suppressed is None for r in team_b)


def test_no_statement_surveys_no_rows(warehouse: Warehouse) -> None:
    assert gap_report(warehouse, by="team").rows == []
