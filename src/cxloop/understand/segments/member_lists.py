"""Member-list segments: a ``segments/<id>.yaml`` that lists customer ids instead of a rule.

This is how an action defines a segment (``cxloop advocates invite`` writes the ambassador
programme's invitees this way): :func:`add_listed_members` creates the file or adds ids to it,
and the segment then behaves like any other: ``cxloop segment refresh`` keeps its membership
log (a listed id that is no longer a customer, e.g. after an erasure, leaves), the Segments page
counts it, and ``cxloop survey send --segment`` invites it. A person may edit the list by hand.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import yaml

from cxloop.domain.segment import SEGMENT_ID_PATTERN, SegmentDefinition
from cxloop.errors import ConfigError, UsageError
from cxloop.understand.segments.behaviour import TableGetter
from cxloop.understand.segments.options import SegmentOptions

_HEADER = (
    "# A member-list segment: these customers, not a rule (see docs/segments.md).\n"
    "# Written by {writer}; you may edit the list by hand.\n"
)


@dataclass(frozen=True)
class MemberListRule:
    """The membership "rule" of a member-list segment: the listed ids that are customers."""

    customer_ids: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"members: {len(self.customer_ids)} listed customers"

    def members(self, table: TableGetter, options: SegmentOptions) -> ir.Table:
        """The ``customer_id`` of every listed customer in ``customers``."""
        listed = ibis.memtable(pa.table({"customer_id": pa.array(self.customer_ids, pa.string())}))
        customers = table("customers")
        return customers.filter(customers.customer_id.isin(listed.customer_id)).select(
            "customer_id"
        )


@dataclass(frozen=True)
class ListUpdate:
    """What :func:`add_listed_members` did: the definition now, and the ids it added."""

    definition: SegmentDefinition
    added: list[str]
    created: bool


def segment_path(project: Path, segment_id: str) -> Path:
    """Where segment ``segment_id``'s file is (or would be written)."""
    if not re.match(SEGMENT_ID_PATTERN, segment_id):
        raise UsageError(f"segment id {segment_id!r}: use a-z, 0-9, _ and - (at most 64)")
    return project / "segments" / f"{segment_id}.yaml"


def plan_listed_members(
    existing: SegmentDefinition | None,
    segment_id: str,
    customer_ids: list[str],
    *,
    name: str,
    description: str,
) -> ListUpdate:
    """The definition after adding ``customer_ids`` to ``existing`` (or a new one); nothing is
    written. ``existing`` must be a member-list segment."""
    if existing is not None and existing.members is None:
        raise ConfigError(
            f"{existing.path}: segment {segment_id!r} has a rule; a list of members cannot be "
            "added to it (choose another segment id)"
        )
    before = set(existing.members or []) if existing is not None else set()
    added = sorted(set(customer_ids) - before)
    if existing is not None:
        definition = existing.model_copy(update={"members": sorted(before | set(added))})
    else:
        definition = SegmentDefinition(
            id=segment_id, name=name, description=description, members=sorted(added)
        )
    return ListUpdate(definition=definition, added=added, created=existing is None)


def write_definition(path: Path, definition: SegmentDefinition, *, writer: str) -> None:
    """Write a member-list definition as YAML, atomically (a reader never sees half a file)."""
    document = definition.model_dump(mode="json", exclude_none=True)
    text = _HEADER.format(writer=writer) + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=100
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
