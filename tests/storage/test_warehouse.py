"""The warehouse: migrations, idempotent atomic appends, counts, locking."""

from __future__ import annotations

from pathlib import Path

import ibis.expr.datatypes as dt
import pyarrow as pa
import pytest

from cxloop.errors import WarehouseBusyError, WarehouseError
from cxloop.storage import open_warehouse
from cxloop.storage.backends.duckdb import path_from_url
from cxloop.storage.schema import MIGRATIONS, canonical_tables, latest_version

DESIGN_TABLES = {
    "source_records",
    "identities",
    "customers",
    "events",
    "orders",
    "surveys",
    "survey_invitations",
    "survey_responses",
    "feedback",
    "feedback_insights",
    "teams",
    "employees",
    "employee_pulses",
    "segments",
    "segment_members",
    "kpi_goals",
    "cases",
    "case_events",
    "consents",
    "audit_log",
}


def orders(*ids: str) -> pa.Table:
    return pa.table({"order_id": list(ids), "amount": [float(i) for i, _ in enumerate(ids)]})


def test_every_canonical_table_of_the_design_exists(warehouse) -> None:
    assert set(canonical_tables()) >= DESIGN_TABLES
    assert set(warehouse.counts()) == set(canonical_tables())
    assert warehouse.schema_version() == latest_version()


def test_migrations_are_applied_once(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    with open_warehouse(url) as wh:
        assert wh.migrate() == []
        # versions may skip numbers (a branch reserves one): the last one applied is the latest
        assert wh.schema_version() == latest_version()
        applied = wh.to_pandas(wh.ibis.table("schema_migrations"))["version"].tolist()
        assert sorted(applied) == [m.version for m in MIGRATIONS]


def test_append_is_idempotent_on_the_key(warehouse) -> None:
    first = warehouse.append("orders", orders("a", "b"))
    again = warehouse.append("orders", orders("a", "b", "c"))
    assert (first.inserted, again.inserted, again.skipped) == (2, 1, 2)
    assert warehouse.counts()["orders"] == 3


def test_duplicate_keys_within_a_batch_insert_once(warehouse) -> None:
    assert warehouse.append("orders", orders("a", "a", "b")).inserted == 2


def test_a_failed_transaction_leaves_nothing(warehouse) -> None:
    with pytest.raises(RuntimeError), warehouse.transaction():
        warehouse.append("orders", orders("a", "b"))
        raise RuntimeError("boom")
    assert warehouse.counts()["orders"] == 0


def test_append_refuses_unknown_tables_and_columns(warehouse) -> None:
    with pytest.raises(WarehouseError, match="no canonical table"):
        warehouse.append("nope", orders("a"))
    with pytest.raises(WarehouseError, match="no column"):
        warehouse.append("orders", pa.table({"order_id": ["a"], "colour": ["red"]}))
    with pytest.raises(WarehouseError, match="key column 'order_id'"):
        warehouse.append("orders", pa.table({"amount": [1.0]}))


def test_data_survives_reopening(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    with open_warehouse(url) as wh:
        wh.append("orders", orders("a"))
    with open_warehouse(url, read_only=True) as wh:
        assert wh.counts()["orders"] == 1
        assert wh.to_pandas(wh.table("orders")).order_id.tolist() == ["a"]


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('ok', flush=True); "
            "time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(WarehouseBusyError, match="in use by another process"):
            open_warehouse(f"duckdb:///{path}")
    finally:
        holder.kill()
        holder.wait()


def test_missing_folder_and_bad_scheme() -> None:
    with pytest.raises(WarehouseError, match="does not exist"):
        open_warehouse("duckdb:///no/such/folder/w.duckdb")
    with pytest.raises(Exception, match="unsupported scheme"):
        open_warehouse("mysql://x")


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("duckdb:///tmp/a.duckdb", "/tmp/a.duckdb"),
        ("duckdb:////tmp/a.duckdb", "/tmp/a.duckdb"),
        ("duckdb://", ":memory:"),
        ("duckdb:///:memory:", ":memory:"),
        ("duckdb://rel/a.duckdb", "rel/a.duckdb"),
    ],
)
def test_duckdb_urls(url: str, path: str) -> None:
    assert path_from_url(url) == path


def test_update_delete_and_replace(warehouse) -> None:
    warehouse.append("orders", orders("a", "b", "c"))
    assert warehouse.update("orders", "order_id", ["a", "b"], {"status": "returned"}) == 2
    assert warehouse.delete("orders", "order_id", ["c"]) == 1
    warehouse.replace("orders", pa.table({"order_id": ["a"], "amount": [99.0]}))
    got = {r["order_id"]: r for r in warehouse.to_pyarrow(warehouse.table("orders")).to_pylist()}
    assert set(got) == {"a", "b"}
    assert (got["a"]["amount"], got["a"]["status"]) == (99.0, None)
    assert got["b"]["status"] == "returned"
    with pytest.raises(WarehouseError, match="no column"):
        warehouse.update("orders", "order_id", ["a"], {"colour": "red"})


def test_append_rows_types_plain_rows_by_the_table_schema(warehouse) -> None:
    from datetime import UTC, datetime

    from cxloop.storage.schema import arrow_schema

    result = warehouse.append_rows(
        "audit_log", [{"audit_id": "a1", "ts": datetime(2025, 1, 1, tzinfo=UTC), "actor": "x"}]
    )
    assert result.inserted == 1
    assert arrow_schema("audit_log", ["ts"]).field("ts").type.tz == "UTC"
    with pytest.raises(WarehouseError, match="no column"):
        warehouse.append_rows("audit_log", [{"audit_id": "a2", "colour": "red"}])


def test_holds_keys_by_prefix(warehouse) -> None:
    assert not warehouse.holds_keys("orders")
    warehouse.append("orders", orders("shop:1", "shop:2"))
    assert warehouse.holds_keys("orders") and warehouse.holds_keys("orders", "shop:")
    assert not warehouse.holds_keys("orders", "crm:")
    with pytest.raises(WarehouseError):
        warehouse.holds_keys("nope")


def test_append_of_keys_known_new_inserts_without_looking(warehouse) -> None:
    result = warehouse.append("orders", orders("a", "b"), keys_known_new=True)
    assert (result.inserted, result.skipped) == (2, 0)
    with pytest.raises(RuntimeError), warehouse.transaction():
        warehouse.append("orders", orders("c"), keys_known_new=True)
        raise RuntimeError("rolled back")
    assert warehouse.counts()["orders"] == 2


def test_replace_into_an_empty_table_and_over_rows_with_repeated_keys(warehouse) -> None:
    first = warehouse.replace("orders", pa.table({"order_id": ["a", "b"], "amount": [1.0, 2.0]}))
    assert (first.offered, first.inserted) == (2, 2)
    again = warehouse.replace(
        "orders", pa.table({"order_id": ["b", "b", "c"], "amount": [5.0, 5.0, 3.0]})
    )
    assert again.inserted == 2
    got = warehouse.to_pyarrow(warehouse.table("orders").order_by("order_id")).to_pylist()
    assert [(r["order_id"], r["amount"]) for r in got] == [("a", 1.0), ("b", 5.0), ("c", 3.0)]
    with pytest.raises(WarehouseError, match="no column"):
        warehouse.replace("orders", pa.table({"order_id": ["a"], "colour": ["red"]}))


def test_insert_checked_reads_parquet_in_the_engine_and_keeps_settings(
    warehouse, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "it's.parquet"  # a quote in the name
    pq.write_table(pa.table({"id": ["a", "b", "c", "b"], "amount": [1.0, 2.0, -3.0, 4.0]}), path)
    relation = warehouse.parquet_relation(str(path), "__line", first_line=2)
    assert relation is not None
    query = f"SELECT id AS order_id, amount, amount > 0 AS ok, __line FROM {relation}"
    setting = "SELECT current_setting('disabled_optimizers')"
    before = warehouse.backend.raw.execute(setting).fetchall()
    seen: list[float] = []
    inserted = warehouse.insert_checked("orders", query, ["order_id", "amount"], "ok", seen.append)
    assert inserted == 3 and warehouse.counts()["orders"] == 3
    assert warehouse.backend.raw.execute(setting).fetchall() == before
    assert all(0 <= f <= 1 for f in seen)
    assert warehouse.repeated_keys("orders") == 1  # "b" twice
    assert warehouse.repeated_keys("orders", "a") == 0
    lines = warehouse.backend.raw.execute(f"SELECT list(__line) FROM {relation}").fetchone()
    assert lines == ([2, 3, 4, 5],)
    with pytest.raises(WarehouseError, match="no column"):
        warehouse.insert_checked("orders", query, ["order_id", "colour"], "ok")


def test_parquet_relation_without_row_numbers(warehouse, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"id": ["a", "b"]}), path)
    relation = warehouse.parquet_relation(str(path), "__line", first_line=None)
    assert relation is not None and "file_row_number" not in relation
    rows = warehouse.backend.raw.execute(f"SELECT id, __line FROM {relation}").fetchall()
    assert rows == [("a", None), ("b", None)]


def test_pending_migrations_apply_all_or_nothing(tmp_path: Path, monkeypatch) -> None:
    """The pending migrations run in one transaction: one that fails leaves the schema as
    it was, with no table of the migrations before it and no version recorded."""
    import duckdb

    import cxloop.storage.warehouse as warehouse_module
    from cxloop.storage.schema import AddColumn, Migration

    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    broken = Migration(999, "broken", (AddColumn("no_such_table", "x", dt.string),))
    monkeypatch.setattr(warehouse_module, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        open_warehouse(url)
    with open_warehouse(url, migrate=False) as wh:
        assert wh.schema_version() == 0
        assert wh.backend.list_tables() == []
    monkeypatch.setattr(warehouse_module, "MIGRATIONS", MIGRATIONS)
    with open_warehouse(url) as wh:
        assert wh.schema_version() == latest_version()


def test_duckdb_tables_are_created_by_plain_ddl_as_ibis_creates_them(warehouse) -> None:
    """Plain ``CREATE TABLE`` gives every column the type and nullability that Ibis's
    ``create_table`` gives it."""
    import ibis

    reference = ibis.duckdb.connect()
    describe = 'SELECT column_name, column_type, "null" FROM (DESCRIBE {})'
    for name, spec in canonical_tables().items():
        reference.create_table(name, schema=ibis.schema(dict(spec.columns)))
        expected = reference.con.execute(describe.format(f'"{name}"')).fetchall()
        got = warehouse.backend.raw.execute(describe.format(f'"{name}"')).fetchall()
        assert sorted(got) == sorted(expected), name
    reference.disconnect()


def test_repeated_keys_counts_repeats_and_nulls_by_prefix(warehouse) -> None:
    warehouse.append("orders", orders("s:1", "s:2", "s:3", "t:1"), keys_known_new=True)
    assert warehouse.repeated_keys("orders", "s:") == 0
    warehouse.append("orders", orders("s:2", "s:2", "t:9"), keys_known_new=True)
    assert warehouse.repeated_keys("orders", "s:") == 2  # the second and third "s:2"
    assert warehouse.repeated_keys("orders", "t:") == 0
    warehouse.append("orders", pa.table({"order_id": [None], "amount": [1.0]}, schema=None))
    assert warehouse.repeated_keys("orders") == 3  # a null key cannot be shown unique


def test_drop_repeated_keys_keeps_each_first_row(warehouse) -> None:
    first = pa.table({"order_id": ["s:1", "s:2", "u:1"], "amount": [1.0, 2.0, 7.0]})
    later = pa.table({"order_id": ["s:2", "s:3", "s:1", "u:1"], "amount": [9.0, 3.0, 9.0, 8.0]})
    with warehouse.transaction():
        warehouse.append("orders", first, keys_known_new=True)
        warehouse.append("orders", later, keys_known_new=True)
        assert warehouse.drop_repeated_keys("orders", "s:") == 2
    got = warehouse.to_pyarrow(warehouse.table("orders").order_by("order_id")).to_pylist()
    assert [(r["order_id"], r["amount"]) for r in got] == [
        ("s:1", 1.0),
        ("s:2", 2.0),
        ("s:3", 3.0),
        ("u:1", 7.0),
        ("u:1", 8.0),  # another prefix: left alone
    ]
    assert warehouse.drop_repeated_keys("orders", "s:") == 0
    assert warehouse.drop_repeated_keys("orders") == 1


def test_memory_limit_and_temp_directory_reach_duckdb(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    spill = tmp_path / "spill"
    with open_warehouse(url, memory_limit="300MB", temp_directory=str(spill)) as wh:
        row = wh.backend.raw.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    assert row is not None and row[0].endswith("MiB") and row[1] == str(spill)
    with pytest.raises(WarehouseError, match="warehouse_memory_limit"):
        open_warehouse(url, memory_limit="plenty")
