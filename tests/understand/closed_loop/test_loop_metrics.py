"""The closed-loop metrics on a small hand-made warehouse."""

from __future__ import annotations

import pytest

from closed_loop_tables import add_case, add_feedback_rows, at
from cxloop.storage import Warehouse
from cxloop.understand.closed_loop import loop_metrics


def _fb(fid: str, customer: str, nps: int, hours: float) -> dict:
    return {"feedback_id": fid, "customer_id": customer, "ts": at(hours), "team_id": "web",
            "touchpoint": "web", "nps": nps}  # fmt: skip


@pytest.fixture
def loop_wh(warehouse: Warehouse) -> Warehouse:
    add_feedback_rows(
        warehouse,
        [_fb("f1", "c1", 3, 0), _fb("f1b", "c1", 8, 240),   # contacted, then a passive
         _fb("f2", "c2", 2, 1), _fb("f2b", "c2", 4, 120),   # not contacted, still unhappy
         _fb("f3", "c3", 10, 2)],
    )  # fmt: skip
    add_case(warehouse, "K1", feedback_id="f1", customer_id="c1", team="web", opened=at(0),
             contacted=at(10), resolved=at(12))  # fmt: skip
    warehouse.append_rows(
        "orders",
        [{"order_id": "o1", "customer_id": "c1", "ts": at(24 * 30), "amount": 50.0},
         {"order_id": "o2", "customer_id": "c3", "ts": at(24 * 200), "amount": 20.0}],
    )  # fmt: skip
    return warehouse


def test_loop_metrics_by_hand(loop_wh: Warehouse) -> None:
    m = loop_metrics(loop_wh)
    assert m.contact_within_sla is not None
    # detractor answers f1 (contacted in time), f2 and f2b (no case)
    assert (m.contact_within_sla.n, m.contact_within_sla.value) == (3, pytest.approx(1 / 3))
    assert m.time_to_close is not None and m.time_to_close.value == pytest.approx(12.0)
    assert [(p.hours, p.still_open) for p in m.curve] == [(0.0, 1.0), (12.0, 0.0)]
    after = m.nps_after_resolution
    assert (after.n, after.before, after.after, after.change) == (1, 3.0, 8.0, 5.0)
    assert after.nps_after == pytest.approx(0.0) and after.small_n
    retention, later = m.effects
    # one pair (same band, touchpoint, team, no spend before, same month): c1 bought within
    # 90 days, c2 did not; c1's next answer is a passive (0), c2's a detractor (−100)
    assert (retention.outcome, retention.pairs, retention.difference) == ("retention_90d", 1, 1.0)
    assert (later.outcome, later.pairs, later.difference) == ("later_nps", 1, 100.0)
    assert retention.small_n and retention.ci_low is None


def test_loop_metrics_for_another_team_are_empty(loop_wh: Warehouse) -> None:
    m = loop_metrics(loop_wh, team="billing")
    assert m.contact_within_sla is None and m.curve == []
    assert m.nps_after_resolution.n == 0
    assert [e.pairs for e in m.effects] == [0, 0]


def test_retention_is_unknown_when_orders_do_not_reach_90_days(warehouse: Warehouse) -> None:
    add_feedback_rows(warehouse, [_fb("f1", "c1", 3, 0), _fb("f2", "c2", 3, 0)])
    warehouse.append_rows(
        "orders", [{"order_id": "o1", "customer_id": "c1", "ts": at(24 * 10), "amount": 5.0}]
    )
    retention, _ = loop_metrics(warehouse).effects
    assert retention.eligible_contacted + retention.eligible_not_contacted == 0
