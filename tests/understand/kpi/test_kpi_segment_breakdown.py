"""KPIs broken down by segment: a row counts for the segments its customer was in at the row's
time, read from the ``segment_members`` log; checked against hand computation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cxloop.domain.goal import Goal, GoalScope
from cxloop.storage import Warehouse
from cxloop.understand.goals import evaluate_goal
from cxloop.understand.goals.evaluation import SegmentView
from cxloop.understand.kpi import kpi_report
from cxloop.understand.kpi import statistics as st
from cxloop.understand.kpi.segment_rows import SEGMENT_NOTE, membership_intervals

MARCH, APRIL = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
# (customer, day, nps)
ANSWERS = [
    ("c0", "2026-02-10", 10), ("c0", "2026-05-10", 0),
    ("c1", "2026-02-10", 10), ("c1", "2026-05-10", 10),
    ("c2", "2026-02-10", 0), ("c2", "2026-05-10", 10),
    ("c3", "2026-02-10", 5),
]  # fmt: skip
# vip: the first refresh (March) finds c0 and c1; in April c1 leaves and c2 enters.
# web: the first refresh (March) finds c1 and c3.
LOG = [
    ("m1", "vip", "c0", MARCH, "entered"), ("m2", "vip", "c1", MARCH, "entered"),
    ("m3", "vip", "c1", APRIL, "left"), ("m4", "vip", "c2", APRIL, "entered"),
    ("m5", "web", "c1", MARCH, "entered"), ("m6", "web", "c3", MARCH, "entered"),
]  # fmt: skip


@pytest.fixture
def wh(warehouse: Warehouse) -> Warehouse:
    warehouse.append_rows("feedback", [
        {"feedback_id": f"f{i}", "customer_id": c, "nps": nps, "source": "survey",
         "ts": datetime.fromisoformat(day).replace(tzinfo=UTC)}
        for i, (c, day, nps) in enumerate(ANSWERS)
    ])  # fmt: skip
    warehouse.append_rows("segment_members", [
        {"member_id": m, "segment_id": s, "customer_id": c, "computed_at": at, "change": change}
        for m, s, c, at, change in LOG
    ])  # fmt: skip
    return warehouse


def test_intervals_reach_back_before_the_first_refresh(wh: Warehouse) -> None:
    frame = wh.to_pandas(membership_intervals(wh.table("segment_members")))
    stays = {
        (r.segment_id, r.customer_id): (
            None if r.valid_from is None or r.valid_from != r.valid_from else r.valid_from,
            None if r.valid_to is None or r.valid_to != r.valid_to else r.valid_to,
        )
        for r in frame.itertuples()
    }
    assert stays[("vip", "c0")] == (None, None)  # found by the first refresh: since always
    assert stays[("vip", "c1")] == (None, APRIL)  # until it left
    assert stays[("vip", "c2")] == (APRIL, None)  # from the refresh that found it
    assert len(stays) == 5


def test_nps_by_segment_counts_rows_at_their_time(wh: Warehouse) -> None:
    report = kpi_report(wh, "nps", by="segment", small_n=3)
    cells = {r.group: r for r in report.results}
    assert set(cells) == {"vip", "web"}
    # vip: c0 Feb 10, c0 May 0, c1 Feb 10 (c1 left in April: its May answer is out),
    # c2 May 10 (c2 entered in April: its February answer is out) → 3 promoters, 1 detractor
    vip = cells["vip"]
    assert (vip.n, vip.value) == (4, pytest.approx(50.0))
    assert (vip.ci_low, vip.ci_high) == pytest.approx(st.nps_interval(4, 3, 1))
    # web: c1 Feb 10 and May 10, c3 Feb 5 → 2 promoters, 1 detractor
    web = cells["web"]
    assert (web.n, web.value) == (3, pytest.approx(100 / 3))
    assert not vip.small_n and web.small_n is False
    assert report.note == SEGMENT_NOTE and "do not add up" in report.note
    assert kpi_report(wh, "nps").note is None


def test_a_customer_in_two_segments_counts_in_both(wh: Warehouse) -> None:
    report = kpi_report(wh, "nps", by="segment", since=date(2026, 2, 1), until=date(2026, 3, 1))
    cells = {r.group: r.n for r in report.results}
    # February: c1's answer is in vip and in web; c0's in vip; c3's in web; c2's in none
    assert cells == {"vip": 2, "web": 2}
    company = kpi_report(wh, "nps", since=date(2026, 2, 1), until=date(2026, 3, 1)).results[0]
    assert company.n == 4  # the same 4 in total, but not the same rows: c1 twice, c2 never


def test_trend_by_segment_is_tested_with_benjamini_hochberg(wh: Warehouse) -> None:
    report = kpi_report(wh, "nps", by="segment", period="quarter", small_n=3)
    vip = [r for r in report.results if r.group == "vip"]
    assert [(r.period_start, r.n) for r in vip] == [(date(2026, 1, 1), 2), (date(2026, 4, 1), 2)]
    tested = [r for r in report.results if r.p_value is not None]
    assert len(tested) == 2  # vip and web each compared with the quarter before
    q = st.benjamini_hochberg([r.p_value for r in tested])
    assert [r.q_value for r in tested] == pytest.approx(list(q))
    assert all(r.small_n for r in report.results)


def test_orders_by_segment(wh: Warehouse) -> None:
    orders = [("o1", "c0", 10.0, 2), ("o2", "c1", 30.0, 5), ("o3", "c1", 20.0, 2)]
    wh.append_rows("orders", [
        {"order_id": o, "customer_id": c, "amount": a, "ts": datetime(2026, m, 1, tzinfo=UTC)}
        for o, c, a, m in orders
    ])  # fmt: skip
    cells = {r.group: r for r in kpi_report(wh, "revenue_per_customer", by="segment").results}
    # vip: c0 10 and c1 20 (its May order is after it left) → mean 15 over 2 customers
    assert (cells["vip"].n, cells["vip"].value) == (2, pytest.approx(15.0))
    # web: c1 20 + 30 = 50 over 1 customer
    assert (cells["web"].n, cells["web"].value) == (1, pytest.approx(50.0))


def test_a_segment_goal_reads_the_same_rows_as_the_breakdown(wh: Warehouse) -> None:
    goal = Goal.model_validate({
        "id": "g", "kpi": "nps", "target": 0, "owner": "me", "direction": "higher",
        "period": "quarter", "deadline": date(2026, 12, 31),
        "scope": GoalScope(dimension="segment", value="vip"),
    })  # fmt: skip
    trend = evaluate_goal(wh, goal, as_of=date(2026, 7, 1), small_n=1).trend
    assert [p.n for p in trend] == [2, 2]
    view = SegmentView(wh, "vip")
    ids = sorted(wh.to_pandas(view.table("feedback"))["feedback_id"])
    assert ids == ["f0", "f1", "f2", "f5"]
    assert len(wh.to_pandas(view.table("customers"))) == 0  # other tables pass unfiltered
