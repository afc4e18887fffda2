"""Where a person's data is: one entry for every canonical table.

Each table either holds personal data (:class:`PersonalRows`: how the person's rows are
found, and whether erasure deletes them or scrubs the identifiers out of them) or says, with
a reason, that it holds none (:class:`NoPersonalData`). Erasure and export read this registry
and nothing else, and a test fails when a table of :mod:`cxloop.storage.schema` is missing
from it, so a table added later cannot be forgotten.

Adding a table? Add its entry here in the same commit: the columns that name a customer
(``customer_id``, a source's ``source_customer_id``, a ``feedback_id``…) and a locator for
each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ibis.expr.types as ir

from cxloop.privacy.person import Person, activity_condition, any_of, isin, ref_match

Condition = Callable[[ir.Table, Person], ir.BooleanValue | None]


def by(column: str, ids: str) -> Condition:
    """Rows whose ``column`` is one of the person's ``ids`` (a list attribute of
    :class:`~cxloop.privacy.person.Person`, e.g. ``"feedback_ids"``)."""

    def condition(table: ir.Table, person: Person) -> ir.BooleanValue | None:
        values: list[str] = getattr(person, ids)
        return isin(table[column], values) if values else None

    condition.__doc__ = f"{column} in the person's {ids}"
    return condition


def by_source_ref(source: str, column: str) -> Condition:
    """Rows whose (``source``, ``column``) is one of the person's source records."""

    def condition(table: ir.Table, person: Person) -> ir.BooleanValue | None:
        return ref_match(table[source], table[column], person.source_refs)

    condition.__doc__ = f"({source}, {column}) is one of the person's source records"
    return condition


def by_activity(anonymous: bool) -> Condition:
    """Events, orders or feedback of the person (see
    :func:`~cxloop.privacy.person.activity_condition`)."""

    def condition(table: ir.Table, person: Person) -> ir.BooleanValue | None:
        return activity_condition(table, person, anonymous)

    condition.__doc__ = "customer_id, or (source, source_customer_id) of a source record"
    return condition


def by_mention(*columns: str) -> Condition:
    """Rows whose text ``columns`` mention the person's customer id, a source record, an
    e-mail address or a phone number."""

    def condition(table: ir.Table, person: Person) -> ir.BooleanValue | None:
        needles = person.identifiers()
        return any_of(*(table[c].contains(n) for c in columns for n in needles))

    condition.__doc__ = f"{', '.join(columns)} mention an id, e-mail or phone of the person"
    return condition


@dataclass(frozen=True)
class PersonalRows:
    """A table with personal data: the person's rows are those matching any condition.

    ``delete`` removes them; ``scrub`` keeps the rows (the audit log must stay) and replaces
    the person's identifiers in ``scrub_columns`` with a salted hash (see
    :mod:`cxloop.privacy.erasure`).
    """

    conditions: tuple[Condition, ...]
    action: Literal["delete", "scrub"] = "delete"
    scrub_columns: tuple[str, ...] = ()

    def where(self, table: ir.Table, person: Person) -> ir.BooleanValue | None:
        """The person's rows of ``table``; None when nothing of theirs can be in it."""
        return any_of(*(c(table, person) for c in self.conditions))


@dataclass(frozen=True)
class NoPersonalData:
    """A table that holds nothing about a customer as a person, and why."""

    reason: str


Entry = PersonalRows | NoPersonalData

_CUSTOMER = by("customer_id", "customer_ids")
_STAFF = (
    "people who use cxloop (staff), not customers; staff accounts are removed with `cxloop users`"
)
_EMPLOYEES = "employees and their teams, not customers (the HR data of the value chain)"

REGISTRY: dict[str, Entry] = {
    "source_records": PersonalRows((by("record_id", "record_ids"),)),
    "identities": PersonalRows((_CUSTOMER, by("record_id", "record_ids"))),
    "customers": PersonalRows((_CUSTOMER,)),
    "events": PersonalRows((by_activity(anonymous=True),)),
    "orders": PersonalRows((by_activity(anonymous=False),)),
    "surveys": NoPersonalData("survey definitions"),
    "survey_invitations": PersonalRows((_CUSTOMER, by("invitation_id", "invitation_ids"))),
    "survey_responses": PersonalRows((_CUSTOMER, by("invitation_id", "invitation_ids"))),
    "feedback": PersonalRows((by_activity(anonymous=False), by("feedback_id", "feedback_ids"))),
    "feedback_insights": PersonalRows((by("feedback_id", "feedback_ids"),)),
    "teams": NoPersonalData(_EMPLOYEES),
    "employees": NoPersonalData(_EMPLOYEES),
    "employee_pulses": NoPersonalData(_EMPLOYEES),
    "segments": NoPersonalData("segment definitions (member lists live in segment files)"),
    "segment_members": PersonalRows((_CUSTOMER,)),
    "kpi_goals": NoPersonalData("KPI targets"),
    "cases": PersonalRows((_CUSTOMER, by("case_id", "case_ids"))),
    "case_events": PersonalRows((by("case_id", "case_ids"),)),
    "consents": PersonalRows((_CUSTOMER,)),
    "audit_log": PersonalRows(
        (by("target_id", "customer_ids"), by("target_id", "record_ids"), by_mention("details")),
        action="scrub",
        scrub_columns=("target_id", "details"),
    ),
    "users": NoPersonalData(_STAFF),
    "api_keys": NoPersonalData(_STAFF),
    "web_sessions": NoPersonalData(_STAFF),
    "identity_links": PersonalRows(
        (by_source_ref("source", "to_id"), by_source_ref("source", "from_id"))
    ),
    "tracking_violations": PersonalRows((by("event_id", "event_ids"),)),
    "resolve_models": NoPersonalData("model parameters and counts of each resolve run"),
    "identity_overrides": PersonalRows((by("override_id", "override_ids"),)),
    "clv_models": NoPersonalData("fitted CLV model parameters"),
    "customer_clv": PersonalRows((_CUSTOMER,)),
    "kpi_feedback_daily": NoPersonalData(
        "counts per day and dimension; erasure subtracts the person's answers "
        "(forget_feedback) so the rollup stays exact"
    ),
    "kpi_rollup_state": NoPersonalData("the rollup's row count and watermark"),
    # delivery attempts keep target, URL, status and the SHA-256 of the body (never the body);
    # a notification e-mailed to the customer (the case acknowledgement) has their address as
    # its ``mailto:`` URL
    "webhook_deliveries": PersonalRows((by_mention("url", "error"),)),
    # the notifications outbox: every notification of the person's cases (subject and body
    # name the customer), and any addressed to them
    "notifications": PersonalRows(
        (by("case_id", "case_ids"), by_mention("recipient", "subject", "body"))
    ),
    "churn_models": NoPersonalData("fitted churn model parameters and validation figures"),
    "customer_churn": PersonalRows((_CUSTOMER,)),
    # the digests log: a customer progress e-mail names its customer (team digests name an
    # employee, who is not a customer)
    "digests": PersonalRows((_CUSTOMER,)),
    "public_actions": NoPersonalData(
        "analysts' actions on themes for the public page: no customer data, staff authors"
    ),
    "erasure_suppressions": NoPersonalData(
        "salted hashes of erased people's e-mail and phone, so they are never contacted again"
    ),
}


def personal_tables() -> dict[str, PersonalRows]:
    """The registry's tables that hold personal data, in registry order."""
    return {t: e for t, e in REGISTRY.items() if isinstance(e, PersonalRows)}
