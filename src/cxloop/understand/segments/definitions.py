"""Loading ``segments/*.yaml``: each file one segment, its rule checked on load.

A mistake names the file and the line: ``segments/x.yaml:4: rule: line 1, column 7: …`` with
the rule's line and a caret under the mistake.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from cxloop.domain.definitions import load_definition, read_yaml
from cxloop.domain.segment import SegmentDefinition
from cxloop.errors import ConfigError, NotFoundError
from cxloop.understand.segments.member_lists import MemberListRule
from cxloop.understand.segments.rule_compiler import CheckedRule, check_rule
from cxloop.understand.segments.rule_parser import RuleError

#: how a segment's members are found: a checked rule, or a list of customer ids
SegmentRule = CheckedRule | MemberListRule

SEGMENTS_DIR = "segments"


def _rule_line(path: Path) -> int:
    """The file line where the rule's text starts (after ``rule: |``, the line below)."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "rule":
                line = value.start_mark.line + 1
                return line + 1 if value.style in ("|", ">") else line
    return 1


def load_segment(path: str | Path) -> tuple[SegmentDefinition, SegmentRule]:
    """Load one definition and check its rule (a member-list segment: its list)."""
    path = Path(path)
    definition = load_definition(path, SegmentDefinition)
    if definition.members is not None:
        listed = MemberListRule(tuple(definition.members))
        return definition.model_copy(update={"path": str(path)}), listed
    assert definition.rule is not None
    try:
        checked = check_rule(definition.rule)
    except RuleError as exc:
        line = _rule_line(path) + exc.line - 1
        raise ConfigError(exc.describe(f"{path}:{line}: rule: "), details=exc.details) from exc
    return definition.model_copy(update={"path": str(path)}), checked


def segment_files(project: Path) -> list[Path]:
    """The project's ``segments/*.yaml`` and ``*.yml`` files, sorted; files holding nothing but
    comments are left out (the starter's commented examples)."""
    folder = project / SEGMENTS_DIR
    if not folder.is_dir():
        return []
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return [f for f in files if read_yaml(f)[0] is not None]


def load_segments(project: Path) -> list[tuple[SegmentDefinition, SegmentRule]]:
    """Every segment of the project, by id; two files with the same id is an error."""
    loaded: dict[str, tuple[SegmentDefinition, SegmentRule]] = {}
    for path in segment_files(project):
        definition, checked = load_segment(path)
        if definition.id in loaded:
            other = loaded[definition.id][0].path
            raise ConfigError(f"{path}:1: id: {definition.id!r} is already the id of {other}")
        loaded[definition.id] = (definition, checked)
    return [loaded[k] for k in sorted(loaded)]


def find_segment(project: Path, segment_id: str) -> tuple[SegmentDefinition, SegmentRule]:
    """The segment ``segment_id`` of the project; an error listing the ids when there is none."""
    segments = load_segments(project)
    for definition, checked in segments:
        if definition.id == segment_id:
            return definition, checked
    ids = ", ".join(d.id for d, _ in segments) or "none defined"
    raise NotFoundError(f"no segment {segment_id!r} in {project / SEGMENTS_DIR}; segments: {ids}")
