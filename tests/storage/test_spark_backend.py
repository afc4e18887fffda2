"""The Spark backend keeps the warehouse's promises as far as Spark lets it: idempotent
appends, all-or-nothing transactions (staged parts, one atomic catalog swap), deletes and
updates by rewriting, one writer at a time."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from cxloop.errors import ConfigError, WarehouseBusyError, WarehouseError
from cxloop.storage import Warehouse, open_warehouse
from cxloop.storage.backends.spark import MAX_PARTS, SparkBackend
from cxloop.storage.backends.spark_catalog import CATALOG_FILE
from cxloop.storage.backends.spark_session import folder_from_url
from spark_engine import SPARK_MARKS, spark_warehouse

pytestmark = SPARK_MARKS


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    with spark_warehouse(tmp_path) as address:
        yield address


@pytest.fixture
def wh(url: str) -> Iterator[Warehouse]:
    with open_warehouse(url) as warehouse:
        yield warehouse


def _teams(*rows: tuple[str, str | None]) -> list[dict[str, object]]:
    return [{"team_id": team, "name": name} for team, name in rows]


def _names(wh: Warehouse) -> dict[str, str | None]:
    frame = wh.to_pandas(wh.table("teams").select("team_id", "name"))
    return {r.team_id: (None if r.name is None or r.name != r.name else r.name)
            for r in frame.itertuples()}  # fmt: skip


def _folder(wh: Warehouse) -> Path:
    backend = wh.backend
    assert isinstance(backend, SparkBackend)
    return backend.catalog.root


def test_the_url_names_a_folder() -> None:
    assert folder_from_url("spark:///srv/cx/wh") == Path("/srv/cx/wh")
    assert folder_from_url("spark://rel/wh") == Path("rel/wh")
    with pytest.raises(ConfigError, match="needs a folder"):
        folder_from_url("spark://")


def test_a_migrated_warehouse_has_every_table_empty(wh: Warehouse) -> None:
    assert wh.schema_version() > 0
    counts = wh.counts()
    assert counts["customers"] == 0 and set(counts) <= set(wh.backend.list_tables())


def test_a_retried_batch_adds_nothing(wh: Warehouse) -> None:
    first = wh.append_rows("teams", _teams(("t1", "A"), ("t2", "B"), ("t1", "A again")))
    again = wh.append_rows("teams", _teams(("t1", "A"), ("t3", "C")))
    assert (first.inserted, again.inserted, again.skipped) == (2, 1, 1)
    assert _names(wh) == {"t1": "A", "t2": "B", "t3": "C"}


def test_a_large_batch_is_checked_by_spark(wh: Warehouse) -> None:
    wh.append_rows("teams", _teams(*[(f"t{i}", "old") for i in range(0, 1500, 2)]))
    result = wh.append_rows("teams", _teams(*[(f"t{i}", "new") for i in range(1500)]))
    assert result.inserted == 750
    assert wh.counts()["teams"] == 1500
    assert sorted(set(_names(wh).values())) == ["new", "old"]


def test_a_failed_transaction_leaves_the_tables_as_they_were(wh: Warehouse) -> None:
    wh.append_rows("teams", _teams(("t1", "A")))
    parts_before = {p.name for p in (_folder(wh) / "data" / "teams").iterdir()}
    with pytest.raises(RuntimeError), wh.transaction():
        wh.append_rows("teams", _teams(("t2", "B")))
        wh.update("teams", "team_id", ["t1"], {"name": "changed"})
        assert _names(wh) == {"t1": "changed", "t2": "B"}  # the transaction sees its writes
        raise RuntimeError("import failed")
    assert _names(wh) == {"t1": "A"}
    assert {p.name for p in (_folder(wh) / "data" / "teams").iterdir()} == parts_before


def test_a_process_that_dies_mid_write_leaves_the_committed_tables(url: str) -> None:
    wh = open_warehouse(url)
    wh.append_rows("teams", _teams(("t1", "A")))
    wh.backend.begin()  # as a transaction would, then the process "dies": no commit
    wh.backend.append_new("teams", pa.table({"team_id": ["t2"], "name": ["B"]}), "team_id")
    backend = wh.backend
    assert isinstance(backend, SparkBackend)
    backend.catalog.close()  # the lock goes with the process; its catalog was never written
    with open_warehouse(url) as again:
        assert _names(again) == {"t1": "A"}
        parts = list((_folder(again) / "data" / "teams").iterdir())
        assert len(parts) == 1, "the orphaned part is swept away on open"


def test_deletes_and_updates_rewrite_the_table(wh: Warehouse) -> None:
    wh.append_rows("teams", _teams(("t1", "A"), ("t2", "B"), ("t3", None)))
    assert wh.update("teams", "team_id", ["t2", "t9"], {"name": "BB"}) == 1
    assert wh.delete("teams", "name", ["A"]) == 1
    assert wh.delete("teams", "team_id", ["nobody"]) == 0
    assert _names(wh) == {"t2": "BB", "t3": None}  # a null name is not "not A": kept
    assert wh.delete("teams", "team_id", [f"x{i}" for i in range(2000)] + ["t3"]) == 1
    assert _names(wh) == {"t2": "BB"}


def test_replace_upserts_by_key(wh: Warehouse) -> None:
    wh.append_rows("teams", _teams(("t1", "A"), ("t2", "B")))
    schema = pa.schema([("team_id", pa.string()), ("name", pa.string())])
    data = pa.Table.from_pylist(_teams(("t2", "B2"), ("t3", "C")), schema=schema)
    assert wh.replace("teams", data).inserted == 2
    assert _names(wh) == {"t1": "A", "t2": "B2", "t3": "C"}


def test_retention_deletes_by_time(wh: Warehouse) -> None:
    rows = [
        {"event_id": "e1", "type": "track", "ts": datetime(2024, 1, 1, tzinfo=UTC)},
        {"event_id": "e2", "type": "track", "ts": datetime(2025, 6, 1, tzinfo=UTC)},
        {"event_id": "e3", "type": "track", "ts": None},
    ]
    wh.append_rows("events", rows)
    cutoff = datetime(2025, 1, 1, tzinfo=UTC)
    assert wh.count_older_than("events", "ts", cutoff) == 1
    assert wh.delete_older_than("events", "ts", cutoff) == 1
    kept = wh.to_pandas(wh.table("events").select("event_id"))
    assert sorted(kept["event_id"]) == ["e2", "e3"]


def test_keys_are_counted(wh: Warehouse) -> None:
    wh.backend.insert("teams", pa.table({"team_id": ["a1", "a1", "b1"], "name": ["x", "y", "z"]}))
    assert wh.repeated_keys("teams", "a") == 1
    assert wh.repeated_keys("teams", "b") == 0
    assert wh.holds_keys("teams", "b") and not wh.holds_keys("teams", "c")
    assert wh.holds_keys("teams")


def test_a_new_column_reads_null_in_older_rows(wh: Warehouse) -> None:
    import ibis.expr.datatypes as dt

    wh.append_rows("teams", _teams(("t1", "A")))
    with wh.transaction():
        wh.backend.add_column("teams", "budget", dt.float64)
    frame = wh.to_pandas(wh.ibis.table("teams").select("team_id", "budget"))
    assert frame["budget"].isna().all()
    catalog = json.loads((_folder(wh) / CATALOG_FILE).read_text())
    assert catalog["tables"]["teams"]["schema"]["budget"] == "float64"


def test_many_small_writes_are_compacted(wh: Warehouse) -> None:
    for i in range(MAX_PARTS + 1):
        wh.append_rows("teams", _teams((f"t{i}", "A")))
    backend = wh.backend
    assert isinstance(backend, SparkBackend)
    assert len(backend.catalog.tables["teams"].parts) == 1
    assert wh.counts()["teams"] == MAX_PARTS + 1


def test_one_writer_at_a_time(url: str, wh: Warehouse) -> None:
    with pytest.raises(WarehouseBusyError, match="open for writing by another process"):
        open_warehouse(url)
    wh.append_rows("teams", _teams(("t1", "A")))
    with open_warehouse(url, read_only=True) as reader:
        assert _names(reader) == {"t1": "A"}
        with pytest.raises(WarehouseError, match="read-only"):
            reader.append_rows("teams", _teams(("t2", "B")))


def test_in_memory_tables_keep_their_nulls(wh: Warehouse) -> None:
    """Through pandas (Ibis's way) a null text reached Spark as "NaN" and an integer column
    with a null as all nulls; the journeys' drop-off counted no journey as ended."""
    import ibis

    m = ibis.memtable(pa.table({"a": ["x", None, "y"], "n": [1, None, 3]}))
    got = wh.to_pyarrow(m.mutate(missing=m.a.isnull())).to_pylist()
    rows = sorted(got, key=lambda r: (r["a"] is None, r["a"] or ""))
    assert [(r["a"], r["n"], r["missing"]) for r in rows] == [
        ("x", 1, False),
        ("y", 3, False),
        (None, None, True),
    ]


def test_filtered_quantiles_and_json_arrays_compile_for_spark(wh: Warehouse) -> None:
    """Ibis put a median's filter into Spark's percentage (refused) and had no rule for JSON
    arrays (the Feedback explorer's themes): both give DuckDB's answers."""
    import ibis

    from cxloop.understand.text.theme_contrast import theme_list

    m = ibis.memtable(
        pa.table(
            {
                "i": [0, 1, 2, 3, 4],
                "x": [1.0, 2.0, 3.0, 10.0, None],
                "keep": [True, True, False, True, True],
                "themes": ['["b", "a"]', "[]", "not json", '["价格", 3, "a"]', None],
            }
        )
    )
    summary = m.aggregate(
        median=m.x.median(where=m.keep),
        quantile=m.x.quantile(0.5, where=m.keep),
        approx=m.x.approx_median(where=m.keep),
        n=m.count(where=m.keep),
    )
    lists = m.select("i", themes=theme_list(m.themes)).order_by("i")
    reference = ibis.duckdb.connect()
    for expr in (summary, lists):
        assert wh.to_pyarrow(expr).to_pylist() == reference.to_pyarrow(expr).to_pylist()
    assert wh.to_pyarrow(summary).to_pylist()[0]["median"] == 2.0
    themes = [row["themes"] for row in wh.to_pyarrow(lists).to_pylist()]
    assert themes == [["b", "a"], [], None, ["价格", None, "a"], None]


def test_a_query_that_finds_a_part_gone_runs_once_more(url: str, wh: Warehouse) -> None:
    """Past the grace period of retired parts, a reader mid-query may find one removed: the
    query runs once more on the catalog as it is then (here still naming the lost part, so
    the second try fails too, with Spark's missing-file error)."""
    from cxloop.storage.backends.spark_ibis import missing_file

    wh.append_rows("teams", _teams(("t1", "A")))
    with open_warehouse(url, read_only=True) as reader:
        assert _names(reader) == {"t1": "A"}
        backend = reader.backend
        assert isinstance(backend, SparkBackend)
        reloads: list[int] = []
        reload = backend.ibis.after_missing_file

        def counted_reload() -> None:
            reloads.append(1)
            reload()

        backend.ibis.after_missing_file = counted_reload
        for part in backend.catalog.tables["teams"].parts:
            shutil.rmtree(backend.catalog.root / part)
        with pytest.raises(Exception) as failure:
            _names(reader)
        assert missing_file(failure.value) and reloads == [1]


def test_collector_ids_are_checked_against_every_stored_row(wh: Warehouse) -> None:
    """Spark has no window: the default check looks at every part of the table."""
    from datetime import timedelta

    wh.append("events", pa.table({"event_id": ["web:old"], "type": ["track"]}))
    fresh = wh.claim_keys("events", ["web:old", "web:new"], window=timedelta(hours=1))
    assert fresh == {"web:new"}
