from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pyarrow as pa
import pytest

from cxloop.config import Settings
from cxloop.storage import Warehouse
from cxloop.unify import ResolveOptions, resolve
from unify.rows import clusters, identities, record, write_rows


def day(d: int) -> datetime:
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=d)


ANA_CRM = record("crm", "C1", first_name="Ana", last_name="Ruiz", email="ana.ruiz@x.com",
                 phone="653 126 976", country="ES", city="Madrid", created_at=day(1))  # fmt: skip
ANA_WEB = record("webshop", "W1", first_name="ana", last_name="ruiz", email="ANA.RUIZ@x.com ",
                 country="Spain", created_at=day(5))  # fmt: skip
ANA_APP = record("app", "A1", name="Ana Ruiz", phone="653126976", country="ES",
                 created_at=day(7))  # fmt: skip
PEDRO = record("crm", "C2", first_name="Pedro", last_name="Gómez", email="pedro@x.com",
               country="ES", created_at=day(2))  # fmt: skip
LI = record("support", "S1", first_name="伟", last_name="李", phone="139 1234 5678",
            country="中国", created_at=day(3))  # fmt: skip


def customers(warehouse: Warehouse) -> dict[str, dict]:
    rows = warehouse.to_pyarrow(warehouse.table("customers")).to_pylist()
    return {row["customer_id"]: row for row in rows}


def identity_rows(warehouse: Warehouse) -> dict[str, tuple]:
    table = warehouse.to_pyarrow(warehouse.table("identities")).to_pylist()
    return {r["record_id"]: (r["customer_id"], r["method"], r["match_probability"]) for r in table}


def test_records_resolve_into_customers_with_golden_records(warehouse, add_records) -> None:
    add_records(ANA_CRM, ANA_WEB, ANA_APP, PEDRO, LI)
    report = resolve(warehouse, now=day(30))
    assert clusters(warehouse) == {
        frozenset({"crm:C1", "webshop:W1", "app:A1"}),
        frozenset({"crm:C2"}),
        frozenset({"support:S1"}),
    }
    stored = identity_rows(warehouse)
    assert stored["webshop:W1"][1:] == ("deterministic:email", 1.0)
    assert stored["app:A1"][1:] == ("deterministic:phone", 1.0)
    assert stored["crm:C2"][1] == "singleton"
    assert report.source_records == 5
    assert report.records_resolved == 5
    assert report.customers == report.customers_created == 3
    assert report.links == {"deterministic:email": 1, "deterministic:phone": 1}
    assert report.identities == {
        "deterministic:email": 2,
        "deterministic:phone": 1,
        "singleton": 2,
    }
    golden = customers(warehouse)[stored["crm:C1"][0]]
    assert golden["name"] == "Ana Ruiz"
    assert golden["email"] == "ana.ruiz@x.com"
    assert golden["phone"] == "+34653126976"
    assert golden["country"] == "ES"
    assert golden["first_seen"] == day(1) and golden["last_seen"] == day(7)
    assert customers(warehouse)[stored["support:S1"][0]]["name"] == "李伟"


def test_an_incremental_run_keeps_ids_and_places_new_records(warehouse, add_records) -> None:
    add_records(ANA_CRM, ANA_WEB, PEDRO)
    resolve(warehouse, now=day(30))
    before = identities(warehouse)
    add_records(
        record("webshop", "W2", first_name="Pedro", last_name="Gomez", email="Pedro@x.com",
               created_at=day(8)),
        record("app", "A9", name="Marta Soler", email="marta@y.com", created_at=day(9)),
    )  # fmt: skip
    report = resolve(warehouse, now=day(31))
    after = identities(warehouse)
    assert {rid: after[rid] for rid in before} == before
    assert after["webshop:W2"] == before["crm:C2"]
    assert after["app:A9"] not in before.values()
    assert report.records_resolved == 2
    assert report.customers_created == 1
    assert report.identities_written == 3  # the two new ones, and Pedro's CRM record:
    assert identity_rows(warehouse)["crm:C2"][1] == "deterministic:email"  # no longer alone
    assert report.clusters_merged == 0


def test_a_record_that_bridges_two_customers_merges_them_into_the_oldest(
    warehouse, add_records, add_rows
) -> None:
    add_records(
        record("crm", "1", first_name="Rosa", last_name="Vidal", email="rosa@x.com",
               created_at=day(1)),
        record("webshop", "2", first_name="Rosa", last_name="Vidal", phone="+34600111222",
               created_at=day(4)),
    )  # fmt: skip
    add_rows("events", [{"event_id": "webshop:e1", "source": "webshop",
                         "source_customer_id": "2", "name": "Viewed", "ts": day(6)}])  # fmt: skip
    resolve(warehouse, now=day(10))
    first = identities(warehouse)
    old, young = first["crm:1"], first["webshop:2"]
    assert old != young
    add_records(record("app", "3", name="Rosa Vidal", email="rosa@x.com", phone="600 111 222",
                       country="ES", created_at=day(8)))  # fmt: skip
    report = resolve(warehouse, now=day(11))
    assert set(identities(warehouse).values()) == {old}
    assert report.clusters_merged == 1
    assert set(customers(warehouse)) == {old}
    events = warehouse.to_pyarrow(warehouse.table("events")).to_pylist()
    assert [e["customer_id"] for e in events] == [old]
    assert customers(warehouse)[old]["last_seen"] == day(8)  # the event (day 6) is earlier


def test_resolving_twice_changes_nothing(warehouse, add_records) -> None:
    add_records(ANA_CRM, ANA_WEB, ANA_APP, PEDRO, LI)
    resolve(warehouse, now=day(30))
    stored, golden = identity_rows(warehouse), customers(warehouse)
    again = resolve(warehouse, now=day(31))
    assert identity_rows(warehouse) == stored
    assert customers(warehouse) == golden
    assert (again.records_resolved, again.identities_written, again.customers_created) == (0, 0, 0)
    assert again.customers == 3
    assert again.links == {}


def test_a_full_run_recomputes_and_keeps_ids(warehouse, add_records) -> None:
    add_records(ANA_CRM, ANA_WEB, ANA_APP, PEDRO, LI)
    resolve(warehouse, now=day(30))
    before = identity_rows(warehouse)
    report = resolve(warehouse, full=True, now=day(31))
    assert report.mode == "full"
    assert report.records_resolved == 5
    assert report.customers_created == 0
    assert identity_rows(warehouse) == before
    assert resolve(warehouse, full=True, now=day(32)).customers_created == 0
    assert identity_rows(warehouse) == before


def test_a_full_run_splits_what_no_longer_matches_and_keeps_the_majority_id(
    warehouse, add_records
) -> None:
    add_records(ANA_CRM, ANA_WEB, ANA_APP)
    resolve(warehouse, now=day(30))
    ana = identities(warehouse)["crm:C1"]
    # the app record's phone was a typo: it no longer links
    fixed = dict(ANA_APP, phone="699 000 111", imported_at=day(40))
    warehouse.replace("source_records", _table(warehouse, [fixed]))
    report = resolve(warehouse, full=True, now=day(41))
    after = identities(warehouse)
    assert after["crm:C1"] == after["webshop:W1"] == ana
    assert after["app:A1"] != ana
    assert report.customers_created == 1


def test_a_changed_record_is_resolved_again(warehouse, add_records) -> None:
    add_records(ANA_CRM, PEDRO)
    resolve(warehouse, now=day(30))
    ana = identities(warehouse)["crm:C1"]
    moved = dict(PEDRO, email="ana.ruiz@x.com", imported_at=day(40))
    warehouse.replace("source_records", _table(warehouse, [moved]))
    report = resolve(warehouse, now=day(41))
    assert report.records_resolved == 1
    assert set(identities(warehouse).values()) == {ana}


def test_removed_records_leave_identities_and_empty_customers(warehouse, add_records) -> None:
    add_records(ANA_CRM, ANA_WEB, PEDRO)
    resolve(warehouse, now=day(30))
    pedro = identities(warehouse)["crm:C2"]
    warehouse.delete("source_records", "record_id", ["crm:C2", "webshop:W1"])
    resolve(warehouse, now=day(31))
    assert set(identities(warehouse)) == {"crm:C1"}
    assert pedro not in customers(warehouse)
    assert len(customers(warehouse)) == 1


def test_collector_links_join_user_ids_and_anonymous_activity(
    warehouse, add_records, add_rows
) -> None:
    add_records(
        record("web", "u-old", first_name="Kim", created_at=day(1)),
        record("web", "u-new", first_name="Kimberly", last_name="Ng", created_at=day(2)),
    )
    add_rows("identity_links", [
        {"link_id": "web:1", "source": "web", "from_id": "u-old", "from_kind": "previous_id",
         "to_id": "u-new", "to_kind": "user_id", "method": "alias", "ts": day(2)},
        {"link_id": "web:2", "source": "web", "from_id": "anon-7", "from_kind": "anonymous_id",
         "to_id": "u-new", "to_kind": "user_id", "method": "identify", "ts": day(2)},
    ])  # fmt: skip
    add_rows("events", [{"event_id": "web:e1", "source": "web", "anonymous_id": "anon-7",
                         "name": "Page Viewed", "ts": day(0)}])  # fmt: skip
    report = resolve(warehouse, now=day(9))
    ids = identity_rows(warehouse)
    assert ids["web:u-old"][0] == ids["web:u-new"][0]
    assert {ids["web:u-old"][1], ids["web:u-new"][1]} == {"collector_link"}
    assert report.links == {"collector_link": 1}
    event = warehouse.to_pyarrow(warehouse.table("events")).to_pylist()[0]
    assert event["customer_id"] == ids["web:u-new"][0]
    assert customers(warehouse)[event["customer_id"]]["first_seen"] == day(0)


def test_trusted_sources_decide_the_golden_record(warehouse, add_records) -> None:
    add_records(
        ANA_CRM,
        dict(ANA_WEB, first_name="Ana María", last_name="Ruiz Soto"),
    )
    resolve(warehouse, ResolveOptions(trusted_sources=["webshop"]), now=day(30))
    assert [c["name"] for c in customers(warehouse).values()] == ["Ana María Ruiz Soto"]
    resolve(warehouse, ResolveOptions(trusted_sources=["crm"]), full=True, now=day(31))
    assert [c["name"] for c in customers(warehouse).values()] == ["Ana Ruiz"]


def test_an_empty_warehouse_resolves_to_nothing(warehouse) -> None:
    report = resolve(warehouse)
    assert (report.source_records, report.customers, report.links) == (0, 0, {})


def test_options_come_from_resolve_settings(tmp_path) -> None:
    defaults = ResolveOptions.from_settings(Settings.load(project=tmp_path))
    assert defaults == ResolveOptions()
    custom = ResolveOptions.coerce(
        SimpleNamespace(resolve_match_threshold=0.8, resolve_trusted_sources=["crm", "app"])
    )
    assert custom.match_threshold == 0.8
    assert custom.trusted_sources == ["crm", "app"]
    with pytest.raises(ValueError):
        ResolveOptions(match_threshold=1.5)


def _table(warehouse: Warehouse, rows: list[dict]) -> pa.Table:
    schema = warehouse.to_pyarrow(warehouse.table("source_records").limit(0)).schema
    return pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows], schema=schema)


def test_rows_helper_writes_missing_columns_as_nulls(warehouse) -> None:
    write_rows(warehouse, "source_records", [record("a", "1")])
    assert identities(warehouse) == {}


def test_golden_fields_fill_the_customer_columns_of_migration_3(tmp_path) -> None:
    """customers.first_name … postcode (migration 3) are filled from the source records."""
    from cxloop.storage import open_warehouse

    with open_warehouse(f"duckdb:///{tmp_path / 'wh.duckdb'}") as wh:
        write_rows(wh, "source_records", [
            dict(ANA_CRM, birth_date=datetime(1980, 5, 17).date(), postcode="28001"),
            ANA_WEB,
        ])  # fmt: skip
        resolve(wh, now=day(30))
        (row,) = wh.to_pyarrow(wh.table("customers")).to_pylist()
    assert (row["first_name"], row["last_name"], row["city"]) == ("ana", "ruiz", "Madrid")
    assert row["birth_date"] == datetime(1980, 5, 17).date()
    assert row["postcode"] == "28001"


def test_a_probabilistic_link_keeps_its_probability_when_its_customer_grows(
    warehouse, add_records
) -> None:
    born = datetime(1980, 5, 17).date()
    add_records(
        record("crm", "1", first_name="Ana", last_name="Ruiz", email="ana@x.com", city="Madrid",
               country="ES", birth_date=born, created_at=day(1)),
        record("web", "1", first_name="Ana", last_name="Ruiz López", city="MADRID",
               country="Spain", birth_date=born, created_at=day(2)),
    )  # fmt: skip
    resolve(warehouse, now=day(10))
    linked = identity_rows(warehouse)["web:1"]
    assert linked[1] == "probabilistic" and linked[2] > 0.9
    add_records(record("app", "1", name="Ana Ruiz", email="ana@x.com", created_at=day(3)))
    resolve(warehouse, now=day(11))
    after = identity_rows(warehouse)
    assert after["web:1"] == linked
    assert after["app:1"][:2] == (linked[0], "deterministic:email")


def test_record_methods_count_shared_keys_within_each_customer_only() -> None:
    """``_methods`` groups by position (factorised codes) instead of pandas' groupby and
    dict maps: a key shared across two customers ties nobody, a missing customer or key
    never counts, and an edge to an unknown record is not inside any customer."""
    import sys

    import pandas as pd

    module = sys.modules["cxloop.unify.resolve"]
    records = pd.DataFrame({"record_id": ["a", "b", "c", "d", "e", "f"]})
    customer = pd.Series(["X", "X", "Y", "Y", "Z", None], dtype=object)
    features = pd.DataFrame(
        {
            "phone": ["+1", "+1", "+1", None, None, "+1"],  # X shares it; Y's c alone
            "email_key": [None, None, "m@x", "m@x", None, None],  # Y shares it
        }
    )
    edges = pd.DataFrame(
        {
            "unique_id_l": ["a", "c", "e", "f"],
            "unique_id_r": ["b", "d", "unknown", "a"],
            "match_probability": [0.95, 0.97, 0.99, 0.99],
            "method": ["probabilistic"] * 4,
        }
    )
    must = pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability", "method"])
    method, probability = module._methods(records, features, customer, edges, must)
    assert method.tolist() == [
        "deterministic:phone", "deterministic:phone", "deterministic:email",
        "deterministic:email", "singleton", "singleton",
    ]  # fmt: skip
    assert probability.tolist()[:4] == [1.0, 1.0, 1.0, 1.0]
    assert probability[4:].isna().all()
    assert module._group_sizes(pd.factorize(customer)[0]).tolist() == [2, 2, 2, 2, 1, 0]
