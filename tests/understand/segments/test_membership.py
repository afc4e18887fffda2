"""Membership with history: who entered and left at each refresh; no change, no events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cxloop.domain.segment import SegmentDefinition
from cxloop.storage import Warehouse
from cxloop.understand.segments import (
    check_rule,
    member_page,
    membership_history,
    membership_state,
    overlaps,
    refresh_segment,
)
from cxloop.understand.segments.options import SegmentOptions
from segment_tables import AS_OF, add_shop, ts

T1 = datetime(2025, 7, 1, 12, tzinfo=UTC)
T2 = datetime(2025, 7, 2, 12, tzinfo=UTC)
T3 = datetime(2025, 7, 3, 12, tzinfo=UTC)


def segment(rule: str, segment_id: str = "s") -> tuple[SegmentDefinition, object]:
    return SegmentDefinition(id=segment_id, name=segment_id, rule=rule), check_rule(rule)


def current(wh: Warehouse, segment_id: str = "s") -> list[str]:
    return sorted(wh.to_pandas(membership_state(wh, [segment_id]))["customer_id"])


@pytest.fixture
def shop(warehouse: Warehouse) -> Warehouse:
    add_shop(warehouse)
    return warehouse


def test_history_across_refreshes(shop: Warehouse) -> None:
    definition, rule = segment('language in ["es", "zh"] and orders_total >= 1')
    options = SegmentOptions(AS_OF)
    first = refresh_segment(shop, definition, rule, options, now=T1)  # type: ignore[arg-type]
    assert first.entered == ["c2", "c3", "c4"] and first.left == [] and first.members == 3
    assert current(shop) == ["c2", "c3", "c4"]

    again = refresh_segment(shop, definition, rule, options, now=T2)  # type: ignore[arg-type]
    assert again.refresh_id is None and again.entered == again.left == []
    assert shop.counts()["segment_members"] == 3  # idempotent: nothing written

    # c3 switches to English, c6 orders: one leaves, one enters
    shop.update("customers", "customer_id", ["c3"], {"language": "en"})
    shop.append_rows(
        "orders",
        [{"order_id": "n1", "customer_id": "c6", "ts": ts("2025-06-30"), "amount": 5.0}],
    )
    third = refresh_segment(shop, definition, rule, options, now=T3)  # type: ignore[arg-type]
    assert third.entered == ["c6"] and third.left == ["c3"]
    assert current(shop) == ["c2", "c4", "c6"]
    history = membership_history(shop, "s")
    assert [(h.ts, h.entered, h.left) for h in history] == [(T3, 1, 1), (T1, 3, 0)]

    # c3 comes back: the log keeps both stays, the state counts the latest entry
    shop.update("customers", "customer_id", ["c3"], {"language": "zh"})
    later = datetime(2025, 7, 4, tzinfo=UTC)
    fourth = refresh_segment(shop, definition, rule, options, now=later)  # type: ignore[arg-type]
    assert fourth.entered == ["c3"]
    state = shop.to_pandas(membership_state(shop, ["s"]))
    entered_at = dict(zip(state["customer_id"], state["entered_at"], strict=True))
    assert entered_at["c3"].to_pydatetime() == later
    assert entered_at["c2"].to_pydatetime() == T1
    log = shop.to_pandas(shop.table("segment_members"))
    assert sorted(log[log.customer_id == "c3"]["change"]) == ["entered", "entered", "left"]


def test_the_definition_is_recorded_once_until_it_changes(shop: Warehouse) -> None:
    definition, rule = segment("nps <= 6")
    refresh_segment(shop, definition, rule, SegmentOptions(AS_OF), now=T1)  # type: ignore[arg-type]
    refresh_segment(shop, definition, rule, SegmentOptions(AS_OF), now=T2)  # type: ignore[arg-type]
    stored = shop.to_pandas(shop.table("segments"))
    assert list(stored["segment_id"]) == ["s"] and stored["created_at"].iloc[0] == T1
    changed = definition.model_copy(update={"name": "Detractors"})
    refresh_segment(shop, changed, rule, SegmentOptions(AS_OF), now=T3)  # type: ignore[arg-type]
    stored = shop.to_pandas(shop.table("segments"))
    assert list(stored["name"]) == ["Detractors"]


def test_pages_and_overlaps(shop: Warehouse) -> None:
    for segment_id, rule in (("es", 'language == "es"'), ("buyers", "orders_total >= 1")):
        definition, checked = segment(rule, segment_id)
        refresh_segment(shop, definition, checked, SegmentOptions(AS_OF), now=T1)  # type: ignore[arg-type]
    page = member_page(shop, "buyers", limit=2, offset=0)
    assert page.total == 5 and [m.customer_id for m in page.members] == ["c1", "c2"]
    rest = member_page(shop, "buyers", limit=10, offset=2)
    assert [m.customer_id for m in rest.members] == ["c3", "c4", "c5"]
    pairs = overlaps(shop, ["es", "buyers"])
    assert pairs[("es", "buyers")] == pairs[("buyers", "es")] == 2  # c2 and c4
    assert pairs[("es", "es")] == 2 and pairs[("buyers", "buyers")] == 5
