"""The Segments page's figures: overlaps, stage histories, and their cache."""

from __future__ import annotations

from cxloop.act.segment_refresh import refresh_segments
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from cxloop.share.segments_overview import StageCache, segments_overview
from segment_tables import add_shop, ts


def test_overview_and_its_cache_follow_the_data(project: Settings) -> None:
    (project.project / "segments" / "es.yaml").write_text(
        'id: es\nname: Spanish\nrule: language == "es"\n', encoding="utf-8"
    )
    cache: StageCache = {}
    with open_project_warehouse(project) as wh:
        add_shop(wh)
        refresh_segments(wh, project)
        first = segments_overview(wh, project, months=3, cache=cache)
        assert [(s.id, s.members) for s in first.segments] == [("es", 2)]
        assert first.overlaps == {("es", "es"): 2}
        assert first.ladder.current() == {"detractor": 2, "satisfied": 2, "loyal": 0,
                                          "advocate": 2}  # fmt: skip
        again = segments_overview(wh, project, months=3, cache=cache)
        assert again.ladder is first.ladder and len(cache) == 1
        wh.append_rows(
            "orders",
            [{"order_id": "x", "customer_id": "c6", "ts": ts("2025-07-04"), "amount": 1.0}],
        )
        changed = segments_overview(wh, project, months=3, cache=cache)
    assert changed.ladder is not first.ladder and len(cache) == 2
    assert changed.lifecycle.current()["new"] == 2  # c3, and c6's first order
    assert ("none", "new", 1) in changed.lifecycle.latest_moves()
