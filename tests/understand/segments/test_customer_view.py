"""Where one customer stands, for the Customer 360: segments with since-when from the log,
lifecycle stage, ladder rung with referrals, RFM segment; the same as the whole-base
expressions give."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cxloop.storage import Warehouse
from cxloop.understand.segments import (
    SegmentOptions,
    customer_segments,
    ladder_rungs,
    lifecycle_stages,
    load_segments,
    refresh_segment,
    rfm_scores,
)
from segment_tables import AS_OF, add_shop

ENTERED = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)


def test_the_standing_of_each_customer_matches_the_base_wide_figures(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    add_shop(warehouse)
    folder = tmp_path / "segments"
    folder.mkdir()
    (folder / "en.yaml").write_text('id: en\nname: English\nrule: language == "en"\n', "utf-8")
    (folder / "picked.yaml").write_text("id: picked\nname: Picked\nmembers: [c1]\n", "utf-8")
    options = SegmentOptions(as_of=AS_OF)
    for definition, rule in load_segments(tmp_path):
        refresh_segment(warehouse, definition, rule, options, now=ENTERED)
    names = {d.id: d.name for d, _ in load_segments(tmp_path)}

    c1 = customer_segments(warehouse, options, "c1", names)
    assert [(s.segment_id, s.name, s.since) for s in c1.segments] == [
        ("en", "English", ENTERED), ("picked", "Picked", ENTERED),
    ]  # fmt: skip
    assert (c1.lifecycle, c1.ladder, c1.referrals) == ("active", "advocate", 0)
    assert c1.as_of == AS_OF

    c6 = customer_segments(warehouse, options, "c6", names)
    assert c6.segments == [] and c6.lifecycle is None and c6.rfm is None
    assert (c6.ladder, c6.referrals) == ("advocate", 1)  # a referral, no orders

    lifecycle = warehouse.to_pandas(lifecycle_stages(warehouse.table, options))
    ladder = warehouse.to_pandas(ladder_rungs(warehouse.table, options))
    rfm = warehouse.to_pandas(rfm_scores(warehouse.table, options.as_of))
    for cid in ("c1", "c2", "c3", "c4", "c5", "c6"):
        standing = customer_segments(warehouse, options, cid, names)
        stage = lifecycle.loc[lifecycle.customer_id == cid, "lifecycle"]
        rung = ladder.loc[ladder.customer_id == cid, "ladder"]
        named = rfm.loc[rfm.customer_id == cid, ["rfm", "rfm_score"]]
        assert standing.lifecycle == (stage.iloc[0] if len(stage) else None), cid
        assert standing.ladder == (rung.iloc[0] if len(rung) else None), cid
        expected = tuple(named.iloc[0]) if len(named) else (None, None)
        assert (standing.rfm, standing.rfm_score) == expected, cid


def test_a_segment_whose_file_is_gone_is_shown_by_id(warehouse: Warehouse, tmp_path: Path) -> None:
    add_shop(warehouse)
    (tmp_path / "segments").mkdir()
    (tmp_path / "segments" / "old.yaml").write_text("id: old\nname: Old\nmembers: [c2]\n", "utf-8")
    [(definition, rule)] = load_segments(tmp_path)
    refresh_segment(warehouse, definition, rule, SegmentOptions(as_of=AS_OF))
    standing = customer_segments(warehouse, SegmentOptions(as_of=AS_OF), "c2", {})
    assert [(s.segment_id, s.name) for s in standing.segments] == [("old", None)]
