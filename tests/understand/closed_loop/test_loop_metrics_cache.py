"""The pages' cache of closed-loop metrics: reused while the data and the hour stay the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from closed_loop_tables import add_case, add_feedback_rows, at
from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.understand.closed_loop import (
    cached_loop_metrics,
    clear_loop_metrics_cache,
    loop_metrics,
)

NOON = datetime(2026, 6, 1, 12, 5, tzinfo=UTC)


def _seed(wh: Warehouse) -> None:
    add_feedback_rows(
        wh,
        [{"feedback_id": "f1", "customer_id": "c1", "ts": at(0), "team_id": "web",
          "touchpoint": "web", "nps": 3}],
    )  # fmt: skip
    add_case(wh, "K1", feedback_id="f1", customer_id="c1", team="web", opened=at(0),
             contacted=at(10), resolved=at(12))  # fmt: skip


def test_a_result_is_reused_until_the_data_or_the_hour_changes(warehouse: Warehouse) -> None:
    clear_loop_metrics_cache()
    _seed(warehouse)
    first = cached_loop_metrics(warehouse, small_n=30, now=NOON)
    assert cached_loop_metrics(warehouse, small_n=30, now=NOON + timedelta(minutes=30)) is first
    # another hour: computed again (open cases and running SLAs depend on the clock)
    assert cached_loop_metrics(warehouse, small_n=30, now=NOON + timedelta(hours=1)) is not first
    # new data: computed again, and the new answer counts
    add_feedback_rows(
        warehouse,
        [{"feedback_id": "f2", "customer_id": "c2", "ts": at(1), "team_id": "web",
          "touchpoint": "web", "nps": 1}],
    )  # fmt: skip
    fresh = cached_loop_metrics(warehouse, small_n=30, now=NOON)
    assert fresh is not first
    assert fresh.contact_within_sla is not None and fresh.contact_within_sla.n == 2
    # another team is another entry
    assert cached_loop_metrics(warehouse, team="billing", small_n=30, now=NOON) is not fresh
    clear_loop_metrics_cache()
    assert cached_loop_metrics(warehouse, small_n=30, now=NOON) is not fresh


def test_a_window_outside_the_calendar_is_a_clear_error(warehouse: Warehouse) -> None:
    with pytest.raises(UsageError, match="since: 1013-01-01 is outside"):
        loop_metrics(warehouse, since=date(1013, 1, 1))
