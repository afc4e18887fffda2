"""Exports of identities and golden records as CSV, Parquet and JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from customer_data import RECORDS, build_company
from cxloop.errors import UsageError
from cxloop.share.exports import IDENTITY_COLUMNS, export_to_file, write_export
from cxloop.storage import Warehouse


@pytest.fixture
def ids(warehouse: Warehouse) -> dict[str, str]:
    return build_company(warehouse)


def test_identities_as_csv_in_small_batches(warehouse: Warehouse, ids: dict[str, str]) -> None:
    out = io.BytesIO()
    rows = write_export(warehouse, "identities", "csv", out, batch_rows=2)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert rows == len(parsed) == len(RECORDS)
    assert list(parsed[0]) == list(IDENTITY_COLUMNS)
    by_record = {row["record_id"]: row for row in parsed}
    assert by_record["crm:C1"]["customer_id"] == ids["ana"]
    assert by_record["webshop:W7"]["customer_id"] == ids["ana"]
    assert by_record["crm:C1"]["source"] == "crm" and by_record["crm:C1"]["source_id"] == "C1"
    assert float(by_record["crm:C1"]["match_probability"]) == 1.0
    assert by_record["crm:C2"]["match_probability"] == ""  # a singleton has none
    assert [(r["source"], r["source_id"]) for r in parsed] == sorted(
        (r["source"], r["source_id"]) for r in parsed
    )


def test_customers_as_json_lines(warehouse: Warehouse, ids: dict[str, str]) -> None:
    out = io.BytesIO()
    assert write_export(warehouse, "customers", "json", out) == 3
    lines = [json.loads(line) for line in out.getvalue().decode("utf-8").splitlines()]
    assert [line["customer_id"] for line in lines] == sorted(ids.values())
    ana = next(line for line in lines if line["customer_id"] == ids["ana"])
    assert ana["name"] == "Ana Ruiz" and ana["phone"] == "+34653126976"
    assert isinstance(ana["attributes"], dict) and ana["attributes"]["tier"]
    assert ana["first_seen"].startswith("2025-") and "T" in ana["first_seen"]
    assert any(line["name"] in {"王秀英", "Wang Xiuying"} for line in lines)


def test_parquet_to_a_file_keeps_the_types(
    warehouse: Warehouse, ids: dict[str, str], tmp_path: Path
) -> None:
    report = export_to_file(warehouse, "identities", "parquet", tmp_path / "ids.parquet")
    assert report.rows == len(RECORDS) and report.path == str(tmp_path / "ids.parquet")
    table = pq.read_table(tmp_path / "ids.parquet")
    assert table.num_rows == len(RECORDS)
    assert str(table.schema.field("match_probability").type) == "double"
    assert "timestamp" in str(table.schema.field("resolved_at").type)
    customers = export_to_file(warehouse, "customers", "parquet", tmp_path / "c.parquet")
    assert pq.read_table(tmp_path / "c.parquet").num_rows == customers.rows == 3
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".c.parquet")]


def test_a_failed_export_leaves_the_old_file(
    warehouse: Warehouse, ids: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "ids.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UsageError):
        export_to_file(warehouse, "identities", "xml", target)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in folder.iterdir()) == ["ids.csv"]


def test_bad_targets(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="folder"):
        export_to_file(warehouse, "customers", "csv", tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        export_to_file(warehouse, "customers", "csv", tmp_path / "no" / "c.csv")
    with pytest.raises(UsageError):
        write_export(warehouse, "events", "csv", io.BytesIO())  # type: ignore[arg-type]


def test_an_empty_warehouse_exports_a_header(warehouse: Warehouse) -> None:
    out = io.BytesIO()
    assert write_export(warehouse, "identities", "csv", out) == 0
    assert out.getvalue().decode().strip() == ",".join(f'"{c}"' for c in IDENTITY_COLUMNS)
