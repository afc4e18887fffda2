"""File import end to end into a real DuckDB warehouse."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cxloop.collect.importer import import_file
from cxloop.errors import DataError, UsageError, ValidationReportError
from filetools import write_csv, write_jsonl

CUSTOMERS = [
    {
        "customer_id": "c1",
        "first_name": "Ana",
        "last_name": "López",
        "email": "Ana@Example.es",
        "phone": "+34 612 34 56 78",
        "country": "ES",
        "language": "es",
        "created_at": "2025-01-02T10:00:00+01:00",
        "loyalty_tier": "gold",
    },
    {
        "customer_id": "c2",
        "first_name": "王",
        "last_name": "伟",
        "email": "",
        "phone": "13800138000",
        "country": "CN",
        "language": "zh",
        "created_at": "2025-02-03 08:00:00",
        "loyalty_tier": "",
    },
    {
        "customer_id": "c3",
        "first_name": "Bob",
        "last_name": "Smith",
        "email": "bob@example.com",
        "phone": "(555) 123-4567",
        "country": "US",
        "language": "en",
        "created_at": "2025-03-04T00:00:00Z",
        "loyalty_tier": "silver",
    },
]


def rows(warehouse, table: str) -> list[dict]:
    return warehouse.to_pyarrow(warehouse.table(table)).to_pylist()


def test_customers_keep_every_column_and_reimport_adds_nothing(warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "crm.csv", CUSTOMERS)
    report = import_file(warehouse, "customers", path, source="crm")
    assert (report.rows_read, report.rows_inserted, report.error_count) == (3, 3, 0)
    assert report.kept_as_attributes == ["loyalty_tier"]
    stored = {r["record_id"]: r for r in rows(warehouse, "source_records")}
    ana = stored["crm:c1"]
    assert (ana["source"], ana["source_id"], ana["email"]) == ("crm", "c1", "ana@example.es")
    assert json.loads(ana["attributes"]) == {"loyalty_tier": "gold"}
    assert stored["crm:c2"]["email"] is None and stored["crm:c2"]["first_name"] == "王"
    again = import_file(warehouse, "customers", path, source="crm")
    assert (again.rows_inserted, again.rows_already_present) == (0, 3)
    assert warehouse.counts()["source_records"] == 3


def test_same_ids_from_two_sources_are_different_records(warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", CUSTOMERS)
    import_file(warehouse, "customers", path, source="crm")
    import_file(warehouse, "customers", path, source="webshop")
    assert warehouse.counts()["source_records"] == 6


def test_a_bad_file_loads_nothing_and_says_where(warehouse, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "ok.csv", CUSTOMERS)
    import_file(warehouse, "customers", good, source="crm")
    before = warehouse.counts()
    bad = [dict(r, customer_id=f"x{i}") for i, r in enumerate(CUSTOMERS)]
    bad[1]["email"] = "not-an-email"
    bad[2]["created_at"] = "someday"
    path = write_csv(tmp_path / "bad.csv", bad)
    with pytest.raises(ValidationReportError) as info:
        import_file(warehouse, "customers", path, source="crm")
    report = info.value.report
    assert report.error_lines() == [
        "bad.csv:3:email: expected an e-mail address, got 'not-an-email'",
        "bad.csv:4:created_at: expected a date and time like 2025-11-23T14:05:00+01:00, "
        "got 'someday'",
    ]
    assert "nothing was imported from bad.csv" in str(info.value)
    assert warehouse.counts() == before


def test_atomic_across_batches(warehouse, tmp_path: Path) -> None:
    many = [
        {"order_id": f"o{i}", "customer_id": "c1", "ts": "2025-01-01", "amount": "10"}
        for i in range(25)
    ]
    many[-1]["amount"] = "ten"
    path = write_csv(tmp_path / "orders.csv", many)
    with pytest.raises(ValidationReportError):
        import_file(warehouse, "orders", path, source="shop", batch_rows=5)
    assert warehouse.counts()["orders"] == 0


def test_report_keeps_the_first_twenty_and_counts_all(warehouse, tmp_path: Path) -> None:
    data = [{"feedback_id": str(i), "ts": "2025-01-01", "nps": "11"} for i in range(50)]
    path = write_csv(tmp_path / "fb.csv", data)
    with pytest.raises(ValidationReportError) as info:
        import_file(warehouse, "feedback", path, source="survey", batch_rows=7)
    report = info.value.report
    assert len(report.errors) == 20 and report.error_count == 50
    assert "and 49 more problems" in str(info.value)


def test_skip_bad_rows_loads_the_rest_and_writes_rejects(warehouse, tmp_path: Path) -> None:
    data = [
        {"feedback_id": "1", "ts": "2025-01-01", "nps": "9", "csat": "5", "text": "Great"},
        {"feedback_id": "2", "ts": "2025-01-01", "nps": "12", "csat": "5", "text": 'Bad, "very"'},
        {"feedback_id": "3", "ts": "2025-01-01", "nps": "3", "csat": "0", "text": "服务很差"},
        {"feedback_id": "4", "ts": "2025-01-02", "nps": "0", "csat": "1", "text": "Malo"},
    ]
    path = write_csv(tmp_path / "fb.csv", data)
    rejects = tmp_path / "rejects.csv"
    report = import_file(
        warehouse, "feedback", path, source="survey", skip_bad_rows=True, rejects_path=rejects
    )
    assert (report.rows_inserted, report.rows_rejected) == (2, 2)
    assert report.rejects_file == str(rejects)
    with rejects.open(encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [r["_line"] for r in rejected] == ["3", "4"]
    assert (
        rejected[0]["text"] == 'Bad, "very"'
        and "nps: must be between 0 and 10" in rejected[0]["_errors"]
    )
    assert (
        rejected[1]["text"] == "服务很差"
        and "csat: must be between 1 and 5" in rejected[1]["_errors"]
    )
    assert sorted(r["feedback_id"] for r in rows(warehouse, "feedback")) == ["survey:1", "survey:4"]


def test_mapping_with_local_formats_and_encoding(warehouse, tmp_path: Path) -> None:
    data = [
        {
            "Contact ID": "T-1",
            "Nombre": "José",
            "Apellidos": "Muñoz",
            "Correo": "jose@ejemplo.es",
            "Alta": "23/11/2025 14:05",
            "Notas internas": "no llamar",
            "VIP": "sí",
        },
        {
            "Contact ID": "T-2",
            "Nombre": "Iñaki",
            "Apellidos": "Güell",
            "Correo": "",
            "Alta": "01/02/2024 09:30",
            "Notas internas": "",
            "VIP": "no",
        },
    ]
    path = write_csv(tmp_path / "desk.csv", data, encoding="latin-1", delimiter=";")
    mapping = tmp_path / "desk.yaml"
    mapping.write_text(
        "kind: customers\nsource: support\nid_column: Contact ID\ncolumns:\n"
        "  first_name: Nombre\n  last_name: Apellidos\n  email: Correo\n"
        '  created_at: {column: Alta, format: "%d/%m/%Y %H:%M", timezone: Europe/Madrid}\n'
        "  language: {value: es}\nexclude: [Notas internas]\n",
        encoding="utf-8",
    )
    report = import_file(warehouse, "customers", path, mapping=mapping)
    assert report.source == "support" and report.rows_inserted == 2
    stored = {r["source_id"]: r for r in rows(warehouse, "source_records")}
    assert stored["T-1"]["first_name"] == "José" and stored["T-2"]["last_name"] == "Güell"
    assert stored["T-1"]["created_at"].isoformat() == "2025-11-23T13:05:00+00:00"
    assert stored["T-1"]["language"] == "es"
    assert json.loads(stored["T-1"]["attributes"]) == {"VIP": "sí"}


def test_gb18030_chinese_export(warehouse, tmp_path: Path) -> None:
    data = [
        {
            "feedback_id": "1",
            "ts": "2025年3月1日 10:00",
            "csat": "1",
            "text": "快递太慢了，等了一个星期才到",
            "language": "zh",
        }
    ]
    path = write_csv(tmp_path / "zh.csv", data, encoding="gb18030")
    import_file(warehouse, "feedback", path, source="app")
    assert rows(warehouse, "feedback")[0]["text"] == "快递太慢了，等了一个星期才到"


def test_mapping_problems_name_the_mapping_and_column(warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", CUSTOMERS)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  email: Correo\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"m.yaml: columns.email: column 'Correo' is not in a.csv"):
        import_file(warehouse, "customers", path, mapping=mapping)
    mapping.write_text("columns:\n  colour: x\n", encoding="utf-8")
    with pytest.raises(DataError, match="customers have no field 'colour'"):
        import_file(warehouse, "customers", path, mapping=mapping)
    mapping.write_text("kind: orders\n", encoding="utf-8")
    with pytest.raises(UsageError, match="mapping is for orders, not customers"):
        import_file(warehouse, "customers", path, mapping=mapping)
    with pytest.raises(DataError, match="id column 'nope' is not in a.csv"):
        import_file(warehouse, "customers", path, id_column="nope")


def test_unknown_kind(warehouse, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown import kind 'clients'"):
        import_file(warehouse, "clients", tmp_path / "x.csv")


def test_events_without_ids_get_stable_ids_and_extra_columns_become_properties(
    warehouse, tmp_path: Path
) -> None:
    data = [
        {
            "customer_id": "c1",
            "name": "Order Delivered",
            "ts": "2025-01-01T10:00:00Z",
            "touchpoint": "delivery",
            "days_late": 2,
        },
        {
            "customer_id": "c1",
            "name": "Page Viewed",
            "ts": "2025-01-01T11:00:00Z",
            "touchpoint": "web",
            "days_late": None,
        },
    ]
    path = write_jsonl(tmp_path / "events.jsonl", data)
    first = import_file(warehouse, "events", path, source="app")
    again = import_file(warehouse, "events", path, source="app")
    assert (first.rows_inserted, again.rows_inserted) == (2, 0)
    stored = sorted(rows(warehouse, "events"), key=lambda r: r["name"])
    assert json.loads(stored[0]["properties"]) == {"days_late": 2}
    assert stored[0]["event_id"].startswith("app:h") and stored[0]["source_customer_id"] == "c1"


def test_events_need_a_person(warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{"event_id": "1", "name": "x", "ts": "2025-01-01"}])
    with pytest.raises(DataError, match="need a column for one of: customer_id, anonymous_id"):
        import_file(warehouse, "events", path)


def test_parquet_with_native_types(warehouse, tmp_path: Path) -> None:
    table = pa.table(
        {
            "order_id": ["o1", "o2"],
            "customer_id": ["c1", "c2"],
            "ts": pa.array(
                [1_700_000_000_000_000, 1_700_000_100_000_000], pa.timestamp("us", tz="UTC")
            ),
            "amount": [19.99, 5.0],
            "currency": ["EUR", "CNY"],
        }
    )
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    report = import_file(warehouse, "orders", path, source="shop")
    assert report.rows_inserted == 2 and report.source == "shop"
    stored = sorted(rows(warehouse, "orders"), key=lambda r: r["order_id"])
    assert [r["amount"] for r in stored] == [19.99, 5.0]
    assert stored[0]["ts"].timestamp() == 1_700_000_000


def test_teams_employees_and_pulses(warehouse, tmp_path: Path) -> None:
    teams = write_csv(
        tmp_path / "teams.csv",
        [{"team_id": "t1", "name": "Delivery", "function": "delivery", "touchpoint": "delivery"}],
    )
    people = write_csv(
        tmp_path / "employees.csv",
        [
            {
                "employee_id": "e1",
                "team_id": "t1",
                "name": "Lucía",
                "is_manager": "yes",
                "hired_at": "2020-05-01",
            }
        ],
    )
    pulses = write_csv(
        tmp_path / "pulses.csv",
        [
            {
                "employee_id": "e1",
                "team_id": "t1",
                "ts": "2025-03-31",
                "enps": "9",
                "engagement": "4.2",
                "wellbeing": "3.9",
                "customer_centricity": "4.5",
            }
        ],
    )
    for kind, path in (("teams", teams), ("employees", people), ("employee_pulses", pulses)):
        assert import_file(warehouse, kind, path).rows_inserted == 1
    assert rows(warehouse, "teams")[0]["team_id"] == "t1"  # internal ids are not source-scoped
    assert rows(warehouse, "employees")[0]["is_manager"] is True
    assert rows(warehouse, "employee_pulses")[0]["engagement"] == 4.2


def test_progress_is_reported(warehouse, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "orders.csv",
        [
            {"order_id": f"o{i}", "customer_id": "c", "ts": "2025-01-01", "amount": "1"}
            for i in range(10)
        ],
    )
    seen: list[tuple[int, int | None]] = []
    import_file(warehouse, "orders", path, batch_rows=4, progress=lambda d, t: seen.append((d, t)))
    assert len(seen) >= 2 and seen[-1][0] == seen[-1][1]
