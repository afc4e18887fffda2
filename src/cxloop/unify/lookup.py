"""Finding the customer a person means: a customer id, an e-mail address, or a source record
(``source:source_id``), as an agent would type it.

E-mail addresses are cleaned the way identity resolution cleans them
(:func:`cxloop.unify.contacts.clean_email`), so ``" Ana.Ruiz@Example.ES "`` finds the customer
whose golden e-mail, or any of whose source records' e-mail, is ``ana.ruiz@example.es``.
"""

from __future__ import annotations

import ibis.expr.types as ir

from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse
from cxloop.unify.contacts import clean_email

#: every customer id ``cxloop resolve`` writes starts so
CUSTOMER_ID_PREFIX = "cus_"
#: how many customers an ambiguous reference lists in its error
AMBIGUOUS_SHOWN = 10


def clean_reference(reference: str) -> str:
    """``reference`` without surrounding space and without control characters."""
    return "".join(ch for ch in str(reference) if ch.isprintable()).strip()


def customer_ids_for_email(warehouse: Warehouse, email: str) -> list[str]:
    """The customers whose golden e-mail, or a source record's e-mail, is ``email`` (cleaned)."""
    cleaned = clean_email(email)
    if cleaned is None:
        return []
    customers = warehouse.table("customers")
    golden = customers.filter(customers.email.lower() == cleaned).select("customer_id")
    records = warehouse.table("source_records")
    identities = warehouse.table("identities")
    matching = records.filter(records.email.strip().lower() == cleaned).select("record_id")
    linked = identities.semi_join(matching, "record_id").select("customer_id")
    return _distinct(warehouse, golden.union(linked))


def customer_ids_for_record(warehouse: Warehouse, record_id: str) -> list[str]:
    """The customer of the source record ``source:source_id``."""
    identities = warehouse.table("identities")
    source, _, source_id = record_id.partition(":")
    found = identities.filter(
        (identities.record_id == record_id)
        | ((identities.source == source) & (identities.source_id == source_id))
    ).select("customer_id")
    return _distinct(warehouse, found)


def find_customer_id(warehouse: Warehouse, reference: str) -> str:
    """The customer id that ``reference`` names.

    Parameters
    ----------
    warehouse
        The warehouse, after ``cxloop resolve``.
    reference
        A customer id (``cus_…``), an e-mail address, or a source record as
        ``source:source_id`` (``crm:C1040530``).

    Returns
    -------
    str
        The customer id.

    Raises
    ------
    NotFoundError
        When no customer matches.
    UsageError
        When the reference is empty, or an e-mail belongs to several customers.

    Examples
    --------
    >>> find_customer_id(wh, "ANA@example.com")  # doctest: +SKIP
    'cus_3f2a9c0d1e4b5a67'
    """
    text = clean_reference(reference)
    if not text:
        raise UsageError("give a customer id, an e-mail address or a source:source_id")
    customers = warehouse.table("customers")
    if text.startswith(CUSTOMER_ID_PREFIX):
        found = _distinct(warehouse, customers.filter(customers.customer_id == text))
        if found:
            return found[0]
        raise NotFoundError(f"no customer with id {text!r}")
    if "@" in text:
        ids = customer_ids_for_email(warehouse, text)
        what = f"e-mail {text!r}"
    elif ":" in text:
        ids = customer_ids_for_record(warehouse, text)
        what = f"source record {text!r}"
    else:
        raise NotFoundError(
            f"no customer {text!r}: give a customer id (cus_…), an e-mail address or a "
            "source:source_id, or search by name with GET /v1/customers?q="
        )
    if not ids:
        raise NotFoundError(f"no customer with {what}")
    if len(ids) > 1:
        shown = ", ".join(ids[:AMBIGUOUS_SHOWN])
        raise UsageError(
            f"{what} belongs to {len(ids)} customers ({shown}); give a customer id",
            details={"customer_ids": ids[:AMBIGUOUS_SHOWN]},
        )
    return ids[0]


def _distinct(warehouse: Warehouse, expr: ir.Table) -> list[str]:
    ids = expr.select("customer_id").distinct().order_by("customer_id")
    values = warehouse.to_pyarrow(ids).column(0).to_pylist()
    return [v for v in values if v is not None]
