"""The registry names every canonical table: a table added later without an entry fails here."""

from __future__ import annotations

import ibis

from cxloop.privacy.person import Person
from cxloop.privacy.registry import REGISTRY, NoPersonalData, PersonalRows, personal_tables
from cxloop.storage.schema import canonical_tables


def test_every_canonical_table_has_an_entry() -> None:
    missing = sorted(set(canonical_tables()) - set(REGISTRY))
    assert not missing, (
        f"tables without an entry in cxloop/privacy/registry.py: {missing} — say how a "
        "person's rows are found (PersonalRows) or why there are none (NoPersonalData)"
    )


def test_no_entry_names_a_table_that_does_not_exist() -> None:
    assert sorted(set(REGISTRY) - set(canonical_tables())) == []


def test_every_entry_is_one_or_the_other_with_reasons() -> None:
    for name, entry in REGISTRY.items():
        assert isinstance(entry, PersonalRows | NoPersonalData), name
        if isinstance(entry, NoPersonalData):
            assert len(entry.reason) > 10, name
        else:
            assert entry.conditions, name


def test_every_table_with_a_customer_column_is_searched_by_it() -> None:
    for name, spec in canonical_tables().items():
        columns = {c for c, _ in spec.columns}
        if columns & {"customer_id", "source_customer_id"}:
            assert name in personal_tables(), name


def test_conditions_build_on_every_personal_table() -> None:
    person = Person(
        customer_id="cus_1", record_ids=["crm:1"], source_refs=[("crm", "1")],
        linked_refs=[("web", "a")], emails=["a@example.com"], feedback_ids=["f1"],
        case_ids=["c1"], invitation_ids=["i1"], override_ids=["o1"], event_ids=["e1"],
    )  # fmt: skip
    for name, entry in personal_tables().items():
        table = ibis.table(canonical_tables()[name].schema, name=name)
        assert entry.where(table, person) is not None, name
    empty = Person(customer_id="cus_2")
    assert (
        personal_tables()["feedback_insights"].where(
            ibis.table(canonical_tables()["feedback_insights"].schema, name="x"), empty
        )
        is None
    )
