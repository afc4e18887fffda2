"""Member-list segments: a definition holds a rule or a list of ids, a list is written and
read back, grown without duplicates, and its membership refreshes like a rule's."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.domain.segment import SegmentDefinition
from cxloop.errors import ConfigError, UsageError
from cxloop.storage import Warehouse
from cxloop.understand.segments import SegmentOptions, load_segments, refresh_segment
from cxloop.understand.segments.definitions import load_segment
from cxloop.understand.segments.member_lists import (
    MemberListRule,
    plan_listed_members,
    segment_path,
    write_definition,
)
from segment_tables import AS_OF, add_shop


def test_a_definition_has_a_rule_or_members_not_both(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nname: X\nrule: nps >= 9\nmembers: [c1]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="give either rule or members"):
        load_segment(path)
    path.write_text("id: x\nname: X\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="give either rule or members"):
        load_segment(path)
    path.write_text("id: x\nname: X\nmembers: [c1, '']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"x.yaml:3: members: .*item 1"):
        load_segment(path)


def test_written_list_reads_back_sorted_and_unique(tmp_path: Path) -> None:
    update = plan_listed_members(None, "vip", ["c2", "c1", "c2"], name="VIP", description="d")
    assert update.created and update.added == ["c1", "c2"]
    path = segment_path(tmp_path, "vip")
    write_definition(path, update.definition, writer="a test")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A member-list segment") and "Written by a test" in text
    definition, rule = load_segment(path)
    assert definition.members == ["c1", "c2"] and definition.kind == "members"
    assert isinstance(rule, MemberListRule) and rule.customer_ids == ("c1", "c2")
    grown = plan_listed_members(definition, "vip", ["c3", "c1"], name="ignored", description="")
    assert not grown.created and grown.added == ["c3"]
    assert grown.definition.members == ["c1", "c2", "c3"] and grown.definition.name == "VIP"
    assert [p.name for p in path.parent.iterdir()] == ["vip.yaml"]  # no temporary file left


def test_a_rule_segment_cannot_take_a_list_and_ids_are_checked(tmp_path: Path) -> None:
    rule = SegmentDefinition(id="vip", name="VIP", rule="nps >= 9", path="segments/vip.yaml")
    with pytest.raises(ConfigError, match="segments/vip.yaml: segment 'vip' has a rule"):
        plan_listed_members(rule, "vip", ["c1"], name="VIP", description="")
    with pytest.raises(UsageError, match="segment id 'Bad Id'"):
        segment_path(tmp_path, "Bad Id")


def test_membership_of_a_list_is_its_ids_that_are_customers(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    add_shop(warehouse)
    update = plan_listed_members(None, "picked", ["c1", "c4", "ghost"], name="P", description="")
    write_definition(segment_path(tmp_path, "picked"), update.definition, writer="a test")
    [(definition, rule)] = load_segments(tmp_path)
    refresh = refresh_segment(warehouse, definition, rule, SegmentOptions(as_of=AS_OF))
    assert refresh.entered == ["c1", "c4"] and refresh.members == 2
    stored = warehouse.to_pandas(warehouse.table("segments"))
    assert list(stored["kind"]) == ["members"]
    again = refresh_segment(warehouse, definition, rule, SegmentOptions(as_of=AS_OF))
    assert again.refresh_id is None
