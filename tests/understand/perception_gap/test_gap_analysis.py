"""The perception gap against hand computation on small tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from cxloop.understand.kpi.statistics import benjamini_hochberg
from cxloop.understand.perception_gap import perception_gap

COLUMNS = ["statement_id", "group", "team_id", "respondent", "ts", "value"]


def answers(*groups: tuple[str, str, str | None, list[int]], ts: int = 1) -> list[tuple]:
    """(statement, group, team, values): one respondent per value, named after the team."""
    rows = []
    for statement, group, team, values in groups:
        for i, value in enumerate(values):
            rows.append((statement, group, team, f"{group}-{team}-{i}", ts, value))
    return rows


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


COMPANY = frame(
    answers(
        ("listen", "managers", "a", [5, 4, 4, 3, 2]),
        ("listen", "employees", "a", [4, 3, 3, 2, 2, 1]),
        ("listen", "customers", "a", [5, 4, 2, 2, 1, 1, 1, 2, 3, 3]),
        ("promises", "managers", "a", [5, 5, 5, 5, 4]),
        ("promises", "customers", "a", [1, 2, 2, 2, 4, 1, 1, 2]),
    )
)


def test_shares_means_and_intervals_by_hand() -> None:
    report = perception_gap(COMPANY, statements=["promises", "listen"])
    assert [r.statement_id for r in report.rows] == ["promises", "listen"]
    listen = report.rows[1]
    assert listen.team_id is None
    m, e, c = listen.managers, listen.employees, listen.customers
    assert (m.n, m.agree, m.share, m.mean) == (5, 3, pytest.approx(0.6), pytest.approx(3.6))
    assert (e.n, e.agree, e.share) == (6, 1, pytest.approx(1 / 6))
    assert (c.n, c.agree, c.share, c.mean) == (10, 2, pytest.approx(0.2), pytest.approx(2.4))
    assert (m.share_ci_low, m.share_ci_high) == pytest.approx(wilson(3, 5))
    assert (c.share_ci_low, c.share_ci_high) == pytest.approx(wilson(2, 10))
    # t interval of the managers' mean: sd of 5, 4, 4, 3, 2 is sqrt(1.3)
    half = stats.t.ppf(0.975, 4) * math.sqrt(1.3) / math.sqrt(5)
    assert (m.mean_ci_low, m.mean_ci_high) == pytest.approx((3.6 - half, 3.6 + half))
    assert listen.gap == pytest.approx(0.4)
    assert listen.statement == "listen"  # no wording given: the id


def test_fisher_test_and_benjamini_hochberg_across_statements() -> None:
    report = perception_gap(COMPANY)
    by_id = {r.statement_id: r for r in report.rows}
    p_listen = stats.fisher_exact([[3, 2], [2, 8]]).pvalue
    p_promises = stats.fisher_exact([[5, 0], [1, 7]]).pvalue
    assert by_id["listen"].p_value == pytest.approx(p_listen)
    assert by_id["promises"].p_value == pytest.approx(p_promises)
    # other employees vs customers: 1 of 6 against 2 of 10 (no employees answered "promises")
    p_staff = stats.fisher_exact([[1, 5], [2, 8]]).pvalue
    assert by_id["listen"].employees_p_value == pytest.approx(p_staff)
    assert by_id["listen"].employees_gap == pytest.approx(1 / 6 - 0.2)
    assert by_id["promises"].employees_p_value is None
    # one family: both comparisons of every statement
    q_listen, q_promises, q_staff = benjamini_hochberg([p_listen, p_promises, p_staff])
    assert by_id["listen"].q_value == pytest.approx(q_listen)
    assert by_id["promises"].q_value == pytest.approx(q_promises)
    assert by_id["listen"].employees_q_value == pytest.approx(q_staff)
    assert by_id["promises"].significant is (q_promises < 0.05)
    assert by_id["listen"].employees_significant is (q_staff < 0.05)
    assert "Fisher" in report.test


def test_each_respondent_counts_once_with_the_latest_answer() -> None:
    rows = answers(("listen", "customers", "a", [1, 1, 1, 1, 1]), ts=1)
    rows += answers(("listen", "customers", "a", [5, 5, 1, 1, 1]), ts=2)
    (row,) = perception_gap(frame(rows)).rows
    assert row.customers.n == 5 and row.customers.agree == 2


def test_a_group_of_four_is_withheld_and_five_shown() -> None:
    rows = answers(
        ("listen", "managers", "a", [5, 5, 5, 5]),
        ("listen", "managers", "b", [5, 4, 1, 1, 1]),
        ("listen", "managers", "c", [4] * 9),
        ("listen", "customers", "a", [1, 2, 3, 4, 5]),
    )
    report = perception_gap(frame(rows), by_team=True, wording={"listen": ("They listen", "We")})
    cells = {r.team_id: r for r in report.rows}
    company = cells[None]
    assert company.managers.n == 18 and company.managers.suppressed is None
    a, b, c = cells["a"], cells["b"], cells["c"]
    assert a.managers.suppressed == "min_group_n" and a.managers.n == 4
    assert a.managers.share is None and a.managers.agree is None and a.managers.mean is None
    assert a.managers.share_ci_low is None and a.managers.mean_ci_low is None
    assert a.gap is None and a.p_value is None and a.q_value is None
    # company (18) − c (9) would give a + b: b is withheld with a, so only 9 of 18 are known
    assert b.managers.suppressed == "complementary" and b.managers.share is None
    assert c.managers.suppressed is None and c.managers.share == pytest.approx(1.0)
    assert a.customers.suppressed is None and a.customers.share == pytest.approx(0.4)
    assert a.statement == "They listen" and a.employee_statement == "We"


def test_five_alone_is_shown() -> None:
    rows = answers(("listen", "managers", "b", [5, 4, 1, 1, 1]))
    report = perception_gap(frame(rows), by_team=True)
    assert [r.managers.share for r in report.rows] == [pytest.approx(0.4)] * 2


def test_the_company_cell_of_four_is_withheld_too() -> None:
    rows = answers(("listen", "employees", None, [5, 5, 5, 1]))
    rows += answers(("listen", "customers", None, [5, 1]))
    (row,) = perception_gap(frame(rows), by_team=True).rows
    assert row.employees.suppressed == "min_group_n" and row.employees.share is None
    assert row.customers.n == 2 and row.customers.share == pytest.approx(0.5)


def test_min_group_n_setting_is_honoured() -> None:
    rows = answers(("listen", "managers", "a", [5, 5, 5, 5]))
    (row,) = perception_gap(frame(rows), min_group_n=3).rows
    assert row.managers.share == pytest.approx(1.0)
    report = perception_gap(frame(rows), min_group_n=5)
    assert report.min_group_n == 5 and report.rows[0].managers.share is None


def test_no_answers_give_no_rows() -> None:
    report = perception_gap(frame([]), by_team=True)
    assert report.rows == [] and report.by == "team"
