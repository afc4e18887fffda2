"""Monthly snapshots of stages and the moves between them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from cxloop.storage import Warehouse
from cxloop.understand.segments.options import SegmentOptions
from cxloop.understand.segments.stage_history import (
    snapshot_moments,
    stage_distribution,
    stage_snapshots,
    stage_transitions,
)
from segment_tables import AS_OF, add_shop


def test_snapshot_moments_are_month_starts_then_as_of() -> None:
    mid = datetime(2026, 3, 15, tzinfo=UTC)
    assert snapshot_moments(mid, 3) == [
        datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC), mid,
    ]  # fmt: skip
    start = datetime(2026, 1, 1, tzinfo=UTC)  # on a month start: no duplicate, across a year
    assert snapshot_moments(start, 3) == [
        datetime(2025, 11, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC), start,
    ]  # fmt: skip


def test_snapshots_agree_with_the_stage_of_each_moment(warehouse: Warehouse) -> None:
    add_shop(warehouse)
    snapshots = stage_snapshots(warehouse, SegmentOptions(AS_OF), "lifecycle", months=3)
    at = {
        (s, c): stage
        for s, c, stage in snapshots[["snapshot", "customer_id", "stage"]].itertuples(index=False)
    }
    assert at[(date(2025, 7, 1), "c3")] == "new" and (date(2025, 6, 1), "c3") not in at
    assert (
        at[(date(2025, 6, 1), "c4")] == "lapsed" and at[(date(2025, 7, 1), "c4")] == "reactivated"
    )
    ladder = stage_snapshots(warehouse, SegmentOptions(AS_OF), "ladder", months=2)
    assert set(ladder[ladder["snapshot"] == date(2025, 6, 1)]["customer_id"]) == {"c1", "c2"}


def test_distribution_fills_zeros_and_transitions_count_moves() -> None:
    june, july = date(2026, 6, 1), date(2026, 7, 1)
    snapshots = pd.DataFrame(
        {
            "snapshot": [june, june, june, july, july, july],
            "customer_id": ["a", "b", "c", "a", "b", "d"],
            "stage": ["active", "active", "at_risk", "active", "at_risk", "new"],
        }
    )
    dist = stage_distribution(snapshots, "lifecycle")
    assert len(dist) == 10 and dist["customers"].sum() == 6
    moves = stage_transitions(snapshots)
    got = {(r.from_stage, r.to_stage): r.customers for r in moves.itertuples(index=False)}
    assert got == {("active", "at_risk"): 1, ("at_risk", "none"): 1, ("none", "new"): 1}
