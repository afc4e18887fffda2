"""When a Parquet file is loaded by the warehouse's engine, and what that path reports.

That it gives the same rows and reports as the general path is checked, case by case, in
test_importer_fast_path.py.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cxloop.collect.file_formats import open_source_file
from cxloop.collect.importer import import_file
from cxloop.collect.parquet_in_warehouse import parquet_relation
from cxloop.storage import Warehouse
from filetools import write_csv


def orders(n: int) -> pa.Table:
    return pa.table(
        {
            "order_id": [f"o{i}" for i in range(n)],
            "customer_id": [f"c{i % 3}" for i in range(n)],
            "ts": pa.array([1_700_000_000 + i for i in range(n)], pa.timestamp("s", tz="UTC")),
            "amount": [i / 4 for i in range(n)],
        }
    )


def test_the_path_applies_to_plain_parquet_outside_a_transaction(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    plain = tmp_path / "orders.parquet"
    pq.write_table(orders(5), plain)
    assert parquet_relation(warehouse, open_source_file(plain)) is not None
    with warehouse.transaction():  # a failed attempt could not be rolled back alone
        assert parquet_relation(warehouse, open_source_file(plain)) is None
    csv = write_csv(tmp_path / "orders.csv", orders(5).to_pylist())
    assert parquet_relation(warehouse, open_source_file(csv)) is None
    for odd in (
        pa.array([[1], [2], [], None, [3]]),  # nested
        pa.nulls(5),  # no type at all
        pa.array(["a", "b", "a", "b", "a"]).dictionary_encode(),
    ):
        path = tmp_path / "odd.parquet"
        pq.write_table(orders(5).append_column("extra", odd), path)
        assert parquet_relation(warehouse, open_source_file(path)) is None
    clash = tmp_path / "clash.parquet"
    pq.write_table(orders(5).append_column("file_row_number", pa.array(range(5))), clash)
    assert parquet_relation(warehouse, open_source_file(clash)) is None


def test_a_clean_file_is_loaded_in_one_go_with_progress(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "orders.parquet"
    pq.write_table(orders(300), path, row_group_size=50)
    seen: list[tuple[int, int | None]] = []
    report = import_file(
        warehouse, "orders", path, source="shop", progress=lambda d, t: seen.append((d, t))
    )
    assert (report.rows_read, report.rows_inserted, report.rows_already_present) == (300, 300, 0)
    assert report.columns["amount"] == "amount" and report.rejects_file is None
    assert seen[-1] == (300, 300)
    assert warehouse.holds_keys("orders", "shop:o299")
    again = import_file(warehouse, "orders", path, source="shop")
    assert (again.rows_inserted, again.rows_already_present) == (0, 300)
    assert warehouse.counts()["orders"] == 300
