"""Everything that identifies one customer in the warehouse, gathered before an erasure or an
export: their customer id, source records, the ids their sources and the collector gave them,
their contact details, and the ids of the rows that hang off them (feedback, cases…).

The gathering follows links in a fixed order (identities → source records → collector links
→ feedback → cases → invitations → overrides → events); :mod:`cxloop.privacy.registry` then
says, table by table, which of these ids find the person's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from cxloop.storage import Warehouse
from cxloop.unify.contacts import clean_email


@dataclass
class Person:
    """One customer's identifiers; every list is sorted and free of repeats."""

    customer_id: str
    record_ids: list[str] = field(default_factory=list)
    #: (source, source_id) of each of their source records
    source_refs: list[tuple[str, str]] = field(default_factory=list)
    #: (source, id) the collector linked to them: anonymous ids, previous ids of an alias
    linked_refs: list[tuple[str, str]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    feedback_ids: list[str] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)
    invitation_ids: list[str] = field(default_factory=list)
    override_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)

    @property
    def customer_ids(self) -> list[str]:
        return [self.customer_id]

    def identifiers(self) -> list[str]:
        """Strings that name this person anywhere in free text (ids, e-mail, phone), longest
        first so that replacing them never leaves a part of a longer one."""
        values = {
            self.customer_id,
            *self.record_ids,
            *self.emails,
            *self.phones,
            *(f"{s}:{i}" for s, i in self.source_refs),
        }
        return sorted((v for v in values if v), key=lambda v: (-len(v), v))


def isin(column: ir.Column, values: list[str]) -> ir.BooleanValue:
    """``column`` is one of ``values`` (a memtable, so long lists stay one small query)."""
    if len(values) <= 50:
        return column.isin(values)
    ids = ibis.memtable(pa.table({"v": pa.array(values, pa.string())}))
    return column.isin(ids.v)


def ref_match(
    source: ir.Column, ident: ir.Column, refs: list[tuple[str, str]]
) -> ir.BooleanValue | None:
    """``(source, ident)`` is one of ``refs``; None when there are none."""
    if not refs:
        return None
    joined = [f"{s}\x1f{i}" for s, i in refs]
    return isin(ident, sorted({i for _, i in refs})) & isin(source.concat("\x1f", ident), joined)


def any_of(*conditions: ir.BooleanValue | None) -> ir.BooleanValue | None:
    """The conditions or'ed together, skipping the None ones (None if all are)."""
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    out = present[0]
    for c in present[1:]:
        out = out | c
    return out


def _strings(wh: Warehouse, expr: ir.Table, column: str) -> list[str]:
    values = wh.to_pyarrow(expr.select(column).distinct())[column].to_pylist()
    return sorted({str(v) for v in values if v is not None and str(v) != ""})


def gather_person(wh: Warehouse, customer_id: str) -> Person:
    """Every identifier of ``customer_id`` (see the module docstring)."""
    person = Person(customer_id=customer_id)
    identities = wh.table("identities")
    mine = identities.filter(identities.customer_id == customer_id)
    rows = wh.to_pyarrow(mine.select("record_id", "source", "source_id")).to_pylist()
    person.record_ids = sorted({r["record_id"] for r in rows if r["record_id"]})
    person.source_refs = sorted({(r["source"], r["source_id"]) for r in rows if r["source_id"]})
    contacts: list[dict[str, object]] = []
    if person.record_ids:
        records = wh.table("source_records")
        chosen = records.filter(isin(records.record_id, person.record_ids))
        contacts += wh.to_pyarrow(
            chosen.select("email", "phone", "name", "first_name", "last_name")
        ).to_pylist()
    customers = wh.table("customers")
    golden = customers.filter(customers.customer_id == customer_id)
    contacts += wh.to_pyarrow(
        golden.select("email", "phone", "name", "first_name", "last_name")
    ).to_pylist()
    emails, phones, names = set(), set(), set()
    for row in contacts:
        for raw in (row["email"],):
            if raw:
                emails.add(str(raw).strip())
                cleaned = clean_email(str(raw))
                if cleaned:
                    emails.add(cleaned)
        if row["phone"]:
            phones.add(str(row["phone"]).strip())
        full = " ".join(str(row[k]) for k in ("first_name", "last_name") if row[k])
        for name in (row["name"], full):
            if name and str(name).strip():
                names.add(str(name).strip())
    person.emails, person.phones, person.names = sorted(emails), sorted(phones), sorted(names)
    links = wh.table("identity_links")
    to_them = ref_match(links.source, links.to_id, person.source_refs)
    if to_them is not None:
        linked = wh.to_pyarrow(links.filter(to_them).select("source", "from_id")).to_pylist()
        person.linked_refs = sorted({(r["source"], r["from_id"]) for r in linked if r["from_id"]})
    feedback = wh.table("feedback")
    person.feedback_ids = _strings(
        wh, feedback.filter(feedback_condition(feedback, person)), "feedback_id"
    )
    cases = wh.table("cases")
    case_rows = cases.filter(
        any_of(
            cases.customer_id == customer_id,
            isin(cases.feedback_id, person.feedback_ids) if person.feedback_ids else None,
        )
    )
    person.case_ids = _strings(wh, case_rows, "case_id")
    invitations = wh.table("survey_invitations")
    person.invitation_ids = _strings(
        wh, invitations.filter(invitations.customer_id == customer_id), "invitation_id"
    )
    overrides = wh.table("identity_overrides")
    if person.record_ids:
        mentions = any_of(*(overrides.records.contains(r) for r in person.record_ids))
        person.override_ids = _strings(wh, overrides.filter(mentions), "override_id")
    events = wh.table("events")
    person.event_ids = _strings(
        wh, events.filter(activity_condition(events, person, True)), "event_id"
    )
    return person


def activity_condition(table: ir.Table, person: Person, anonymous: bool) -> ir.BooleanValue:
    """Rows of ``events``, ``orders`` or ``feedback`` that are the person's: put under them
    by resolve, or still carrying one of their source ids (or, for events, an anonymous id
    the collector linked to them)."""
    condition = any_of(
        table.customer_id == person.customer_id,
        ref_match(table.source, table.source_customer_id, person.source_refs),
        ref_match(table.source, table.anonymous_id, person.linked_refs) if anonymous else None,
    )
    assert condition is not None
    return condition


def feedback_condition(table: ir.Table, person: Person) -> ir.BooleanValue:
    return activity_condition(table, person, False)
