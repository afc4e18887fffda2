"""What the Segments page shows: counts, pairwise overlaps, ladder and lifecycle over time."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from cxloop.config import Settings
from cxloop.domain.segment import SegmentSummary
from cxloop.storage import Warehouse
from cxloop.understand.segments import load_segments, overlaps, summaries
from cxloop.understand.segments.options import SegmentOptions, reference_moment
from cxloop.understand.segments.stage_history import (
    STAGES,
    StageKind,
    stage_distribution,
    stage_snapshots,
    stage_transitions,
)

HISTORY_MONTHS = 12


@dataclass(frozen=True)
class StageHistory:
    """One stage model (lifecycle or ladder) over monthly snapshots."""

    kind: StageKind
    stages: tuple[str, ...]
    #: ``snapshot``, ``stage``, ``customers`` (every stage at every snapshot)
    distribution: pd.DataFrame
    #: ``snapshot``, ``from_stage``, ``to_stage``, ``customers``
    transitions: pd.DataFrame

    def current(self) -> dict[str, int]:
        """Customers per stage at the last snapshot."""
        if self.distribution.empty:
            return dict.fromkeys(self.stages, 0)
        last = self.distribution[self.distribution["snapshot"] == self.latest()]
        return {str(s): int(n) for s, n in zip(last["stage"], last["customers"], strict=True)}

    def latest(self) -> date | None:
        return None if self.distribution.empty else max(self.distribution["snapshot"])

    def latest_moves(self) -> list[tuple[str, str, int]]:
        """Moves into the last snapshot, most customers first."""
        t = self.transitions
        if t.empty:
            return []
        last = t[t["snapshot"] == max(t["snapshot"])].sort_values(
            ["customers", "from_stage", "to_stage"], ascending=[False, True, True]
        )
        moves = zip(last["from_stage"], last["to_stage"], last["customers"], strict=True)
        return [(str(a), str(b), int(n)) for a, b, n in moves]


@dataclass(frozen=True)
class SegmentsOverview:
    """Everything the Segments page shows."""

    as_of: datetime
    segments: list[SegmentSummary]
    #: (segment id, segment id) → customers in both
    overlaps: dict[tuple[str, str], int]
    lifecycle: StageHistory
    ladder: StageHistory


def stage_history(
    warehouse: Warehouse, options: SegmentOptions, kind: StageKind, months: int = HISTORY_MONTHS
) -> StageHistory:
    """Monthly snapshots of ``kind`` up to ``options.as_of`` with the moves between them."""
    snapshots = stage_snapshots(warehouse, options, kind, months)
    return StageHistory(
        kind, STAGES[kind], stage_distribution(snapshots, kind), stage_transitions(snapshots)
    )


#: the tables stage histories are computed from: a history is reused while their sizes hold
_STAGE_SOURCES = ("customers", "orders", "feedback", "events")
StageCache = dict[tuple[Any, ...], tuple[StageHistory, StageHistory]]
_CACHE_LOCK = threading.Lock()


def segments_overview(
    warehouse: Warehouse,
    settings: Settings,
    *,
    months: int = HISTORY_MONTHS,
    cache: StageCache | None = None,
) -> SegmentsOverview:
    """The project's segments with counts and overlaps, and the ladder and lifecycle over the
    last ``months`` monthly snapshots.

    The stage histories cost a few seconds on large data; with a ``cache`` (a dict the caller
    keeps, e.g. one per server) they are reused while the reference moment, the settings'
    windows and the row counts of the tables they read stay the same (tables only grow, so a
    change of data changes a count)."""
    definitions = [d for d, _ in load_segments(settings.project)]
    options = SegmentOptions.from_settings(
        settings, reference_moment(warehouse, settings.segments_as_of)
    )
    counts = warehouse.counts()
    key = (warehouse.url, options, months, tuple(counts[t] for t in _STAGE_SOURCES))
    with _CACHE_LOCK:
        histories = cache.get(key) if cache is not None else None
    if histories is None:
        histories = (
            stage_history(warehouse, options, "lifecycle", months),
            stage_history(warehouse, options, "ladder", months),
        )
        if cache is not None:
            with _CACHE_LOCK:
                while len(cache) >= 8:
                    cache.pop(next(iter(cache)))
                cache[key] = histories
    return SegmentsOverview(
        as_of=options.as_of,
        segments=summaries(warehouse, definitions),
        overlaps=overlaps(warehouse, [d.id for d in definitions]) if definitions else {},
        lifecycle=histories[0],
        ladder=histories[1],
    )
