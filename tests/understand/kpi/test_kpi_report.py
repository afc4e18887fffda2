"""Every KPI against hand computation on small tables."""

from __future__ import annotations

import math
from datetime import date

import pytest
from scipy import stats

from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.understand.kpi import kpi_frame, kpi_report, list_kpis
from cxloop.understand.kpi import statistics as st
from kpi_tables import add_feedback, ts

# team a: NPS answers 10, 9, 7, 3 (2 promoters, 1 detractor) in January; team b: 10, 0 in February
FEEDBACK = [
    ("2026-01-05", "a", "billing", 10, 5, 2),
    ("2026-01-06", "a", "billing", 9, 4, 3),
    ("2026-01-20", "a", "delivery", 7, 2, 6),
    ("2026-01-21", "a", "delivery", 3, None, None),
    ("2026-02-02", "b", "billing", 10, 5, 1),
    ("2026-02-03", "b", "delivery", 0, 1, 7),
    ("2026-02-04", "b", "delivery", None, 3, None),
]


@pytest.fixture
def wh(warehouse: Warehouse) -> Warehouse:
    add_feedback(warehouse, FEEDBACK)
    return warehouse


def test_nps_whole_scope(wh: Warehouse) -> None:
    (r,) = kpi_report(wh, "nps").results
    # 6 answers: promoters 10, 9, 10; detractors 3, 0 → 100·(3 − 2)/6
    assert r.n == 6 and r.value == pytest.approx(100 / 6)
    assert (r.ci_low, r.ci_high) == pytest.approx(st.nps_interval(6, 3, 2))
    assert r.small_n and r.change is None


def test_csat_top2_box_and_mean(wh: Warehouse) -> None:
    (share,) = kpi_report(wh, "csat").results
    assert (share.n, share.value) == (6, pytest.approx(3 / 6))
    assert (share.ci_low, share.ci_high) == pytest.approx(st.wilson_interval(3, 6))
    (mean,) = kpi_report(wh, "csat_mean").results
    values = [5, 4, 2, 5, 1, 3]
    assert mean.value == pytest.approx(sum(values) / 6)
    ref = stats.t.interval(0.95, 5, loc=sum(values) / 6, scale=stats.sem(values))
    assert (mean.ci_low, mean.ci_high) == pytest.approx(ref)


def test_ces_by_team(wh: Warehouse) -> None:
    a, b = kpi_report(wh, "ces", by="team").results
    assert (a.group, a.n, a.value) == ("a", 3, pytest.approx(11 / 3))
    assert (b.group, b.n, b.value) == ("b", 2, pytest.approx(4.0))


def test_nps_by_country_joins_the_customer(wh: Warehouse) -> None:
    cells = {r.group: r for r in kpi_report(wh, "nps", by="country").results}
    # customers c1, c3 (ES) gave rows 1, 3, 5: 9, 3, 0 → (1 − 2)/3
    assert cells["ES"].value == pytest.approx(-100 / 3)
    assert cells["GB"].value == pytest.approx(100 * 2 / 3)  # 10, 7, 10


def test_monthly_trend_compares_with_the_month_before(wh: Warehouse) -> None:
    jan, feb = kpi_report(wh, "nps", period="month").results
    assert jan.period_start == date(2026, 1, 1) and jan.value == pytest.approx(25.0)
    assert feb.value == pytest.approx(0.0) and feb.previous_value == pytest.approx(25.0)
    assert feb.change == pytest.approx(-25.0)
    assert feb.p_value == pytest.approx(st.nps_change_test((2, 1, 1), (4, 2, 1)))
    assert jan.p_value is None and "trinomial" in (feb.test or "")


def test_since_compares_with_the_window_before(wh: Warehouse) -> None:
    (r,) = kpi_report(wh, "csat", since=date(2026, 2, 1), until=date(2026, 3, 1)).results
    # current: 5, 1, 3 (1 of 3 top-2); previous window (Jan 4..Feb 1): 5, 4, 2 (2 of 3)
    assert (r.n, r.previous_n) == (3, 3)
    assert r.change == pytest.approx(1 / 3 - 2 / 3)
    assert r.p_value == pytest.approx(st.proportion_change_test((3, 1), (3, 2)))
    assert r.q_value == r.p_value


def test_breakdown_cells_get_benjamini_hochberg(wh: Warehouse) -> None:
    cells = kpi_report(wh, "csat", by="touchpoint", period="month").results
    tested = [c for c in cells if c.p_value is not None]
    assert len(tested) == 2
    expected = st.benjamini_hochberg([c.p_value for c in tested])  # type: ignore[misc]
    assert [c.q_value for c in tested] == pytest.approx(expected)


def test_enps_from_pulses(warehouse: Warehouse) -> None:
    warehouse.append_rows(
        "employee_pulses",
        [{"pulse_id": f"p{i}", "team_id": "a", "ts": ts("2026-01-01"), "enps": v}
         for i, v in enumerate([10, 10, 8, 6, 2])],
    )  # fmt: skip
    (r,) = kpi_report(warehouse, "enps", by="team").results
    assert r.value == pytest.approx(0.0) and r.n == 5


def test_response_rate(warehouse: Warehouse) -> None:
    warehouse.append_rows(
        "survey_invitations",
        [{"invitation_event_id": f"e{i}", "invitation_id": f"i{i % 4}", "channel": "email",
          "status": "sent", "ts": ts("2026-01-01")} for i in range(6)],
    )  # fmt: skip
    warehouse.append_rows(
        "survey_responses",
        [{"response_id": f"r{i}", "invitation_id": inv, "ts": ts("2026-01-02")}
         for i, inv in enumerate(["i0", "i0", "i2", None])],
    )  # fmt: skip
    (r,) = kpi_report(warehouse, "response_rate").results
    assert (r.n, r.value) == (4, pytest.approx(0.5))
    warehouse.append_rows(
        "survey_responses",
        [{"response_id": "r-half", "invitation_id": "i1", "status": "partial"}],
    )
    (r,) = kpi_report(warehouse, "response_rate").results
    assert r.value == pytest.approx(0.5)  # a form left half-way is no response


def test_order_kpis(warehouse: Warehouse) -> None:
    warehouse.append_rows(
        "orders",
        [{"order_id": f"o{i}", "customer_id": c, "amount": a, "ts": ts("2026-03-01")}
         for i, (c, a) in enumerate([("x", 10.0), ("x", 30.0), ("y", 5.0), ("z", 15.0)])],
    )  # fmt: skip
    (revenue,) = kpi_report(warehouse, "revenue_per_customer").results
    assert (revenue.n, revenue.value) == (3, pytest.approx(20.0))
    (repeat,) = kpi_report(warehouse, "repeat_purchase_rate").results
    assert (repeat.n, repeat.value) == (3, pytest.approx(1 / 3))


def test_small_n_threshold_is_a_parameter(wh: Warehouse) -> None:
    (r,) = kpi_report(wh, "nps", small_n=6).results
    assert not r.small_n


def test_unknown_names_list_the_valid_ones(wh: Warehouse) -> None:
    with pytest.raises(UsageError, match="valid KPIs: nps, csat"):
        kpi_report(wh, "happiness")
    with pytest.raises(UsageError, match="valid dimensions: team$"):
        kpi_report(wh, "enps", by="touchpoint")


def test_frame_and_list(wh: Warehouse) -> None:
    frame = kpi_frame(wh, "nps", by="team")
    assert list(frame["group"]) == ["a", "b"] and not math.isnan(frame["value"][0])
    assert {k.name for k in list_kpis()} >= {"nps", "csat", "ces", "enps", "response_rate"}


@pytest.fixture
def orders(warehouse: Warehouse) -> Warehouse:
    # January: x, y, z order; February: x and y again, w new; March: only w
    placed = [
        ("x", "2026-01-03"),
        ("y", "2026-01-09"),
        ("z", "2026-01-20"),
        ("x", "2026-01-21"),
        ("x", "2026-02-02"),
        ("y", "2026-02-14"),
        ("w", "2026-02-15"),
        ("w", "2026-03-01"),
    ]
    warehouse.append_rows(
        "orders",
        [{"order_id": f"o{i}", "customer_id": c, "amount": 1.0, "ts": ts(day), "channel": "web"}
         for i, (c, day) in enumerate(placed)],
    )  # fmt: skip
    return warehouse


def test_retention_and_churn_by_month(orders: Warehouse) -> None:
    feb, mar = kpi_report(orders, "retention_rate", period="month").results
    assert (feb.period_start, feb.n, feb.value) == (date(2026, 2, 1), 3, pytest.approx(2 / 3))
    assert (mar.period_start, mar.n, mar.value) == (date(2026, 3, 1), 3, pytest.approx(1 / 3))
    assert mar.p_value == pytest.approx(st.proportion_change_test((3, 1), (3, 2)))
    churn = kpi_report(orders, "churn_rate", period="month").results
    assert [c.value for c in churn] == pytest.approx([1 / 3, 2 / 3])


def test_retention_over_a_window(orders: Warehouse) -> None:
    (r,) = kpi_report(
        orders, "retention_rate", since=date(2026, 2, 1), until=date(2026, 3, 1)
    ).results
    # base: customers of the 28 days before 1 February (y 9th, z 20th, x 21st) → x, y kept
    assert (r.n, r.value) == (3, pytest.approx(2 / 3))


def test_retention_needs_two_periods(orders: Warehouse) -> None:
    with pytest.raises(UsageError, match="give --period or --since"):
        kpi_report(orders, "retention_rate")


def test_unresolved_orders_count_by_their_source_id(warehouse: Warehouse) -> None:
    placed = [("s1", 4.0), ("s1", 6.0), ("s2", 2.0)]
    warehouse.append_rows(
        "orders",
        [{"order_id": f"o{i}", "source": "shop", "source_customer_id": s, "amount": a,
          "ts": ts("2026-03-01")} for i, (s, a) in enumerate(placed)],
    )  # fmt: skip
    (revenue,) = kpi_report(warehouse, "revenue_per_customer").results
    assert (revenue.n, revenue.value) == (2, pytest.approx(6.0))
