"""What a profile's identity review reads: overrides naming its records, other customers
with the same name, an override by id, a record's customer."""

from __future__ import annotations

from datetime import UTC, datetime

from customer_data import build_company, write_rows
from cxloop.storage import Warehouse
from cxloop.unify import resolve
from cxloop.unify.corrections import merge_customers, remove_correction, split_records
from cxloop.unify.review import (
    candidate_customers,
    customer_of_record,
    find_override,
    overrides_naming,
)

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_overrides_naming_a_profile_s_records_newest_first(warehouse: Warehouse) -> None:
    ids = build_company(warehouse)
    split = split_records(warehouse, ["webshop:W7"], actor="test", reason="x").override
    merge = merge_customers(warehouse, [ids["jose"], ids["xiuying"]], actor="test").override
    assert overrides_naming(warehouse, ["crm:C1"]) == [split]  # named as apart
    assert overrides_naming(warehouse, ["webshop:W7"]) == [split]
    assert overrides_naming(warehouse, ["crm:C2", "crm:C1"]) == [merge, split]
    assert overrides_naming(warehouse, ["crm:C9"]) == []
    remove_correction(warehouse, split.override_id, actor="test")
    assert overrides_naming(warehouse, ["crm:C1"]) == []  # only those in force
    found = find_override(warehouse, split.override_id)
    assert found is not None and found.removed_at is not None  # removed ones still found
    assert find_override(warehouse, "ovr_nothere") is None


def test_candidates_are_other_customers_with_the_same_name(warehouse: Warehouse) -> None:
    ids = build_company(warehouse)
    write_rows(
        warehouse,
        "source_records",
        [
            {"record_id": "shop:9", "source": "shop", "source_id": "9", "imported_at": T0,
             "first_name": "Ana", "last_name": "Ruiz", "email": "other.ana@example.com",
             "country": "AR"},
        ],
    )  # fmt: skip
    resolve(warehouse)
    other = customer_of_record(warehouse, "shop:9")
    assert other is not None and other != ids["ana"]
    found = candidate_customers(warehouse, ids["ana"], "Ana Ruiz")
    assert [(c.customer_id, c.records) for c in found] == [(other, ["shop:9"])]
    assert found[0].email == "other.ana@example.com"
    assert candidate_customers(warehouse, ids["ana"], "Nobody Here") == []
    assert candidate_customers(warehouse, ids["ana"], None) == []
    assert candidate_customers(warehouse, ids["ana"], "ana", limit=1)[0].customer_id == other


def test_a_record_s_customer(warehouse: Warehouse) -> None:
    ids = build_company(warehouse)
    assert customer_of_record(warehouse, "webshop:W7") == ids["ana"]
    assert customer_of_record(warehouse, "nope:1") is None
