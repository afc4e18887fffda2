"""What an analyst needs to review one customer's identity: the overrides in force that name
its records, and candidate records from other customers that might be the same person (to
explain against, or to merge). The explanations and corrections themselves are
:mod:`cxloop.unify.explain` and :mod:`cxloop.unify.corrections`.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from cxloop.storage import Warehouse
from cxloop.unify.lookup import customer_ids_for_record
from cxloop.unify.overrides import Override, list_overrides
from cxloop.unify.search import search_customers

#: how many other customers a profile offers as candidates
CANDIDATE_CUSTOMERS = 5


class Candidate(BaseModel):
    """Another customer whose name matches this one's: maybe the same person."""

    customer_id: str
    name: str | None = None
    email: str | None = None
    records: list[str] = Field(description="Its source record ids, sorted.")


def overrides_naming(warehouse: Warehouse, record_ids: Iterable[str]) -> list[Override]:
    """The overrides in force that name any of ``record_ids`` (as records or as apart),
    newest first."""
    wanted = set(record_ids)
    found = [
        o
        for o in list_overrides(warehouse, include_removed=False)
        if wanted & (set(o.records) | set(o.apart))
    ]
    return sorted(found, key=lambda o: o.created_at, reverse=True)


def find_override(warehouse: Warehouse, override_id: str) -> Override | None:
    """The override ``override_id``, in force or removed; None if there is none."""
    for override in list_overrides(warehouse):
        if override.override_id == override_id:
            return override
    return None


def candidate_customers(
    warehouse: Warehouse,
    customer_id: str,
    name: str | None,
    *,
    limit: int = CANDIDATE_CUSTOMERS,
    default_country: str | None = None,
) -> list[Candidate]:
    """Other customers whose name matches ``name`` word for word (as customer search finds
    them), most recently seen first, with their source records.

    Examples
    --------
    >>> [c.customer_id for c in candidate_customers(wh, "cus_1b0…", "Ana Ruiz")]  # doctest: +SKIP
    ['cus_77e…']
    """
    if not name or not name.strip():
        return []
    found = search_customers(warehouse, name, limit + 1, default_country=default_country)
    others = [hit for hit in found.customers if hit.customer_id != customer_id][:limit]
    if not others:
        return []
    identities = warehouse.table("identities")
    rows = warehouse.to_pyarrow(
        identities.filter(identities.customer_id.isin([h.customer_id for h in others])).select(
            "customer_id", "record_id"
        )
    ).to_pylist()
    records: dict[str, list[str]] = {}
    for row in rows:
        records.setdefault(row["customer_id"], []).append(row["record_id"])
    return [
        Candidate(
            customer_id=hit.customer_id,
            name=hit.name,
            email=hit.email,
            records=sorted(records.get(hit.customer_id, [])),
        )
        for hit in others
    ]


def customer_of_record(warehouse: Warehouse, record_id: str) -> str | None:
    """The customer a resolved source record belongs to now (None if unresolved)."""
    found = customer_ids_for_record(warehouse, record_id)
    return found[0] if found else None
