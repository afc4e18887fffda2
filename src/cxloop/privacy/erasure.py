"""``cxloop erase``: remove one person from every table, in one transaction.

The person's identifiers are gathered first (:func:`~cxloop.privacy.person.gather_person`);
then, for every table of the :data:`~cxloop.privacy.registry.REGISTRY` that holds personal
data, their rows are deleted (or, in the audit log, scrubbed of their identifiers). Their
answers are taken out of the KPI rollup before their feedback goes, their id is taken out of
member-list segment files, salted hashes of their e-mail and phone are kept so they are never
contacted again (:mod:`cxloop.privacy.suppression`), and one audit record says who erased
whom (as a salted hash), when, and how many rows of each table. A failure anywhere rolls the
warehouse back and puts the segment files back as they were.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pydantic import BaseModel, Field

from cxloop.access import audit
from cxloop.errors import NotFoundError
from cxloop.privacy.person import Person, gather_person
from cxloop.privacy.registry import personal_tables
from cxloop.privacy.suppression import TABLE as SUPPRESSIONS
from cxloop.privacy.suppression import suppression_rows
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema, key_column
from cxloop.understand.kpi.rollup import forget_feedback
from cxloop.understand.segments.definitions import load_segment, segment_files
from cxloop.understand.segments.member_lists import write_definition
from cxloop.unify.lookup import CUSTOMER_ID_PREFIX, clean_reference, find_customer_id

if TYPE_CHECKING:
    from cxloop.config import Settings

#: what scrubbing puts in place of an identifier in the audit log's text
ERASED = "[erased]"


class ErasureReport(BaseModel):
    """What an erasure did (the ``--json`` output of ``cxloop erase``)."""

    customer_id: str
    erased_as: str = Field(description="The salted hash the audit log now names them by.")
    rows: dict[str, int] = Field(description="Rows deleted per table.")
    scrubbed: dict[str, int] = Field(
        default_factory=dict, description="Rows kept with the person's identifiers replaced."
    )
    rollup_rows_forgotten: int = Field(description="Feedback rows taken out of the KPI rollup.")
    suppressed: int = Field(description="Salted e-mail and phone hashes kept (never contacted).")
    segment_files: list[str] = Field(
        description="Member-list segment files they were taken out of."
    )
    audit_id: str | None = None

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def erased_token(secret: str, customer_id: str) -> str:
    """How the audit log names an erased customer: a salted hash of their id."""
    digest = hmac.new(secret.encode(), b"cxloop-erased\x00" + customer_id.encode(), hashlib.sha256)
    return "erased:" + digest.hexdigest()[:32]


def customer_to_erase(wh: Warehouse, reference: str) -> str:
    """The customer id ``reference`` (an id, an e-mail, ``source:source_id``) names. A
    customer id with no golden record left is accepted as it is, so an erasure can be rerun."""
    cleaned = clean_reference(reference)
    if cleaned.startswith(CUSTOMER_ID_PREFIX) and "@" not in cleaned:
        return cleaned
    return find_customer_id(wh, cleaned)


def person_rows(wh: Warehouse, person: Person) -> dict[str, int]:
    """How many rows of each personal table are the person's (what an erasure would do)."""
    counts: dict[str, int] = {}
    for name, entry in personal_tables().items():
        table = wh.table(name)
        where = entry.where(table, person)
        counts[name] = (
            0
            if where is None
            else int(wh.to_pandas(table.filter(where).count().as_table()).iloc[0, 0])
        )
    return counts


def erase_customer(
    wh: Warehouse, settings: Settings, reference: str, *, actor: str, now: datetime | None = None
) -> ErasureReport:
    """Remove a customer from every table (see the module docstring).

    Parameters
    ----------
    wh
        The project's warehouse, writable.
    settings
        The project's settings: its secret salts the hashes, its ``segments/`` folder holds
        the member lists.
    reference
        A customer id, an e-mail address or ``source:source_id``.
    actor
        Who asked (``user:…``, ``key:…``, ``cli``), for the audit record.

    Raises
    ------
    NotFoundError
        When nothing in the warehouse is about the customer.
    """
    now = now or datetime.now(UTC)
    secret = settings.signing_key()
    customer_id = customer_to_erase(wh, reference)
    token = erased_token(secret, customer_id)
    with wh.transaction():
        person = gather_person(wh, customer_id)
        forgotten = forget_feedback(wh, person.feedback_ids)
        rows: dict[str, int] = {}
        scrubbed: dict[str, int] = {}
        for name, entry in personal_tables().items():
            table = wh.table(name)
            where = entry.where(table, person)
            if where is None:
                rows[name] = 0
                continue
            if entry.action == "scrub":
                scrubbed[name] = _scrub(
                    wh, name, table.filter(where), entry.scrub_columns, person, token
                )
                continue
            key = key_column(name)
            keys = wh.to_pyarrow(table.filter(where).select(key))[key].to_pylist()
            rows[name] = wh.delete(name, key, [k for k in keys if k is not None])
        if not any(rows.values()):
            raise NotFoundError(f"no customer {customer_id!r}: nothing in the warehouse is theirs")
        marks = suppression_rows(secret, person.emails, person.phones, now)
        if marks:
            wh.append_rows(SUPPRESSIONS, marks)
        edits = _member_list_edits(settings.project, customer_id)
        try:
            for edit in edits:
                edit.apply()
            report = ErasureReport(
                customer_id=customer_id,
                erased_as=token,
                rows=rows,
                scrubbed=scrubbed,
                rollup_rows_forgotten=forgotten,
                suppressed=len(marks),
                segment_files=[str(e.path) for e in edits],
            )
            report.audit_id = _audit(wh, actor, token, report)
        except BaseException:
            for edit in edits:
                edit.undo()
            raise
    return report


def _audit(wh: Warehouse, actor: str, token: str, report: ErasureReport) -> str:
    """The erasure's own audit record: counts and the salted hash, nothing personal."""
    return audit.record(
        wh,
        actor,
        "erase",
        target_table="customers",
        target_id=token,
        details={
            "rows": {t: n for t, n in report.rows.items() if n},
            "scrubbed": {t: n for t, n in report.scrubbed.items() if n},
            "rollup_rows_forgotten": report.rollup_rows_forgotten,
            "suppressed": report.suppressed,
            "segment_files": [Path(p).name for p in report.segment_files],
        },
    )


def _scrub(
    wh: Warehouse,
    name: str,
    rows: Any,
    columns: tuple[str, ...],
    person: Person,
    token: str,
) -> int:
    """Replace the person's identifiers (and names) in ``columns`` of ``rows``."""
    data = wh.to_pyarrow(rows)
    if data.num_rows == 0:
        return 0
    ids = set(person.identifiers())
    needles = sorted({*ids, *person.names}, key=lambda v: (-len(v), v))
    changed = data.to_pylist()
    for row in changed:
        for column in columns:
            value = row[column]
            if value is None:
                continue
            if value in ids:
                row[column] = token
                continue
            text = str(value)
            for needle in needles:
                text = text.replace(needle, ERASED)
                text = text.replace(json.dumps(needle)[1:-1], ERASED)
            row[column] = text
    wh.replace(name, pa.Table.from_pylist(changed, schema=arrow_schema(name, data.column_names)))
    return data.num_rows


@dataclass
class _FileEdit:
    path: Path
    before: str
    after: Any  # SegmentDefinition

    def apply(self) -> None:
        write_definition(self.path, self.after, writer="cxloop erase")

    def undo(self) -> None:
        self.path.write_text(self.before, encoding="utf-8")


def _member_list_edits(project: Path, customer_id: str) -> list[_FileEdit]:
    """The member-list segment files that list the customer, each without them."""
    edits = []
    for path in segment_files(project):
        before = path.read_text(encoding="utf-8")
        if customer_id not in before:
            continue
        definition, _ = load_segment(path)
        if definition.members is None or customer_id not in definition.members:
            continue
        members = [m for m in definition.members if m != customer_id]
        after = definition.model_copy(update={"members": members})
        edits.append(_FileEdit(path, before, after))
    return edits
