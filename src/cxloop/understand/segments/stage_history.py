"""Lifecycle stages and ladder rungs over time: monthly snapshots and the moves between them.

A snapshot is every customer's stage at the start of a month (what the data said at the end of
the month before), computed with the same expressions as today's stage; the last snapshot is
``as_of`` itself. Transitions count, for each snapshot after the first, the customers who moved
from one stage to another since the snapshot before (``none``: no stage, e.g. not yet a
customer or off the ladder).
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Literal

import pandas as pd

from cxloop.storage import Warehouse
from cxloop.understand.segments.ladder import LADDER_RUNGS, ladder_snapshots
from cxloop.understand.segments.lifecycle import LIFECYCLE_STAGES, lifecycle_snapshots
from cxloop.understand.segments.options import SegmentOptions

StageKind = Literal["lifecycle", "ladder"]
STAGES: dict[str, tuple[str, ...]] = {"lifecycle": LIFECYCLE_STAGES, "ladder": LADDER_RUNGS}
NONE = "none"


def snapshot_moments(as_of: datetime, months: int) -> list[datetime]:
    """The starts of the ``months - 1`` months before ``as_of``'s month start, then ``as_of``."""
    start = datetime(as_of.year, as_of.month, 1, tzinfo=UTC)
    moments = []
    for back in range(months - 1, 0, -1):
        index = start.year * 12 + start.month - 1 - back
        moments.append(datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC))
    if start < as_of and months > 1:
        moments.append(start)
    moments.append(as_of)
    return sorted(set(moments))[-months:]


def stage_snapshots(
    warehouse: Warehouse, options: SegmentOptions, kind: StageKind, months: int = 12
) -> pd.DataFrame:
    """One row per customer with a stage per snapshot: ``snapshot`` (date), ``customer_id``,
    ``stage``."""
    build = lifecycle_snapshots if kind == "lifecycle" else ladder_snapshots
    expr = build(warehouse.table, options, snapshot_moments(options.as_of, months))
    frame = warehouse.to_pandas(expr.select("snapshot_at", "customer_id", stage=expr[kind]))
    frame["snapshot"] = [pd.Timestamp(t).date() for t in frame["snapshot_at"]]
    return frame[["snapshot", "customer_id", "stage"]]


def stage_distribution(snapshots: pd.DataFrame, kind: StageKind) -> pd.DataFrame:
    """Customers per snapshot and stage (every stage, zeros included), in stage order."""
    order = STAGES[kind]
    counts = snapshots.groupby(["snapshot", "stage"]).size()
    dates = sorted(set(snapshots["snapshot"]))
    rows = [
        {"snapshot": d, "stage": s, "customers": int(counts.get((d, s), 0))}
        for d in dates
        for s in order
    ]
    return pd.DataFrame(rows, columns=["snapshot", "stage", "customers"])


def stage_transitions(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Moves between consecutive snapshots: ``snapshot`` (the later one), ``from_stage``,
    ``to_stage``, ``customers``; customers who stayed put are left out."""
    dates = sorted(set(snapshots["snapshot"]))
    parts = []
    for before, after in pairwise(dates):
        a = snapshots[snapshots["snapshot"] == before][["customer_id", "stage"]]
        b = snapshots[snapshots["snapshot"] == after][["customer_id", "stage"]]
        moved = a.merge(b, on="customer_id", how="outer", suffixes=("_from", "_to")).fillna(NONE)
        moved = moved[moved["stage_from"] != moved["stage_to"]]
        counts = moved.groupby(["stage_from", "stage_to"]).size().reset_index(name="customers")
        parts.append(counts.assign(snapshot=after))
    if not parts:
        return pd.DataFrame(columns=["snapshot", "from_stage", "to_stage", "customers"])
    out = pd.concat(parts, ignore_index=True).rename(
        columns={"stage_from": "from_stage", "stage_to": "to_stage"}
    )
    return out[["snapshot", "from_stage", "to_stage", "customers"]]
