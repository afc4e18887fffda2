"""One customer's standing for the Customer 360: current segments (with since-when from the
membership log), lifecycle stage, loyalty-ladder rung and RFM segment.

Stages and RFM are computed for the same moment as the Segments page
(:func:`~cxloop.understand.segments.options.reference_moment`). Lifecycle and ladder depend on
the customer's own rows only, so they read the customer's rows alone; RFM scores rank the
customer among all customers, so that expression reads every customer's orders.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis.expr.types as ir
import pandas as pd

from cxloop.domain.segment import CustomerSegmentMembership, CustomerSegments
from cxloop.errors import ConfigError
from cxloop.storage import Warehouse
from cxloop.understand.segments.definitions import load_segments
from cxloop.understand.segments.ladder import ladder_rungs
from cxloop.understand.segments.lifecycle import lifecycle_stages
from cxloop.understand.segments.membership import membership_state
from cxloop.understand.segments.options import SegmentOptions, reference_moment
from cxloop.understand.segments.rfm import rfm_scores
from cxloop.unify.profile import DEFAULT_TIMELINE_LIMIT, CustomerProfile, customer_profile

if TYPE_CHECKING:
    from cxloop.config import Settings


def _first(warehouse: Warehouse, expr: Any, customer_id: str) -> dict[str, Any]:
    frame = warehouse.to_pandas(expr.filter(expr.customer_id == customer_id).limit(1))
    if frame.empty:
        return {}
    row = frame.iloc[0].to_dict()
    return {k: None if not isinstance(v, str) and pd.isna(v) else v for k, v in row.items()}


def segment_names(project: Path) -> dict[str, str]:
    """Segment id → name from the project's files (empty when a file does not load: the
    profile still shows the memberships, by id)."""
    try:
        return {d.id: d.name for d, _ in load_segments(project)}
    except ConfigError:
        return {}


def customer_segments(
    warehouse: Warehouse, options: SegmentOptions, customer_id: str, names: dict[str, str]
) -> CustomerSegments:
    """Where ``customer_id`` stands at ``options.as_of``; ``names`` gives segment names."""
    state = membership_state(warehouse)
    rows = warehouse.to_pandas(
        state.filter(state.customer_id == customer_id).order_by("segment_id")
    )
    segments = [
        CustomerSegmentMembership(
            segment_id=str(r.segment_id),
            name=names.get(str(r.segment_id)),
            since=pd.Timestamp(r.entered_at).to_pydatetime(),
        )
        for r in rows.itertuples(index=False)
    ]

    def own_rows(name: str) -> ir.Table:
        table = warehouse.table(name)
        return table.filter(table.customer_id == customer_id)

    lifecycle = _first(warehouse, lifecycle_stages(own_rows, options), customer_id)
    ladder = _first(warehouse, ladder_rungs(own_rows, options), customer_id)
    rfm = _first(warehouse, rfm_scores(warehouse.table, options.as_of), customer_id)
    return CustomerSegments(
        as_of=options.as_of,
        segments=segments,
        lifecycle=lifecycle.get("lifecycle"),
        ladder=ladder.get("ladder"),
        referrals=int(ladder.get("referrals") or 0),
        rfm=rfm.get("rfm"),
        rfm_score=rfm.get("rfm_score"),
    )


def profile_with_segments(
    warehouse: Warehouse,
    settings: Settings,
    reference: str,
    *,
    timeline_limit: int = DEFAULT_TIMELINE_LIMIT,
    timeline_offset: int = 0,
) -> CustomerProfile:
    """The 360 profile of :func:`cxloop.unify.profile.customer_profile` with its ``segments``
    part filled in, at the moment and with the windows of ``settings``."""
    profile = customer_profile(
        warehouse, reference, timeline_limit=timeline_limit, timeline_offset=timeline_offset
    )
    as_of = reference_moment(warehouse, settings.segments_as_of)
    options = SegmentOptions.from_settings(settings, as_of)
    names = segment_names(settings.project)
    profile.segments = customer_segments(warehouse, options, profile.customer_id, names)
    return profile
