"""The Spark catalog keeps the parts a commit stops naming for a grace period, so that a
reader in another process, which reloads the catalog before each query, always finds the
parts of the generation it read (no Spark needed here: the catalog is plain files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.storage.backends import spark_catalog
from cxloop.storage.backends.spark_catalog import Catalog, TableEntry


def _write_part(catalog: Catalog, table: str) -> str:
    rel = catalog.new_part(table)
    (catalog.root / rel).mkdir(parents=True)
    (catalog.root / rel / "part-00000.parquet").write_bytes(b"rows")
    return rel


def _replace(catalog: Catalog, table: str) -> str:
    """Rewrite ``table`` into one new part and commit, as a delete or update does."""
    rel = _write_part(catalog, table)
    catalog.tables[table].parts = [rel]
    catalog.commit()
    return rel


@pytest.fixture
def writer(tmp_path: Path) -> Catalog:
    catalog = Catalog(tmp_path / "wh")
    catalog.tables["teams"] = TableEntry({"team_id": "string"})
    catalog.commit()
    return catalog


def test_a_replaced_part_stays_until_its_grace_period_ends(writer: Catalog) -> None:
    first = _replace(writer, "teams")
    second = _replace(writer, "teams")
    third = _replace(writer, "teams")
    assert (writer.root / first).is_dir() and (writer.root / second).is_dir()
    assert set(writer.retired) == {first, second}
    grace = writer.retired_kept_s
    writer.retired = {rel: since - grace for rel, since in writer.retired.items()}  # time passes
    _replace(writer, "teams")
    assert not (writer.root / first).exists() and not (writer.root / second).exists()
    assert (writer.root / third).is_dir(), "retired by this commit: kept for now"
    assert set(writer.retired) == {third}


def test_the_grace_period_is_the_catalogs_own(tmp_path: Path) -> None:
    """``spark_retired_kept_s``: a warehouse whose longest query runs an hour keeps the parts
    a commit replaced for longer than the 10 minutes by default."""
    catalog = Catalog(tmp_path / "wh", retired_kept_s=3_600.0)
    default = Catalog(tmp_path / "other")
    assert default.retired_kept_s == spark_catalog.RETIRED_KEPT_S == 600.0
    default.close()
    catalog.tables["teams"] = TableEntry({"team_id": "string"})
    catalog.commit()
    first = _replace(catalog, "teams")
    _replace(catalog, "teams")
    catalog.retired = {rel: since - 1_800.0 for rel, since in catalog.retired.items()}
    _replace(catalog, "teams")
    assert (catalog.root / first).is_dir(), "half an hour: still within the grace period"
    catalog.retired = {rel: since - 3_600.0 for rel, since in catalog.retired.items()}
    _replace(catalog, "teams")
    assert not (catalog.root / first).exists()
    catalog.close()


def test_a_writer_opening_the_folder_keeps_retired_parts(writer: Catalog) -> None:
    first = _replace(writer, "teams")
    _replace(writer, "teams")
    orphan = writer.new_part("teams")  # written, never committed: a process died
    (writer.root / orphan).mkdir(parents=True)
    writer.close()
    again = Catalog(writer.root)
    assert (again.root / first).is_dir(), "a reader may still be reading it"
    assert not (again.root / orphan).exists()
    again.close()


def test_a_part_replaced_within_one_transaction_is_removed_at_commit(writer: Catalog) -> None:
    """No reader ever saw it, so it needs no grace period."""
    short_lived = _write_part(writer, "teams")
    writer.tables["teams"].parts = [short_lived]
    final = _write_part(writer, "teams")
    writer.tables["teams"].parts = [final]
    writer.commit()
    assert not (writer.root / short_lived).exists() and short_lived not in writer.retired


def test_a_reader_takes_each_new_commit(writer: Catalog) -> None:
    reader = Catalog(writer.root, read_only=True)
    assert reader.refresh() == set()
    rel = _replace(writer, "teams")
    assert reader.refresh() == {"teams"}
    assert reader.tables["teams"].parts == [rel]
    assert reader.refresh() == set(), "an unchanged catalog is not read again"
    writer.tables["orders"] = TableEntry({"order_id": "string"})
    writer.commit()
    assert reader.refresh() == {"orders"}
    assert writer.refresh() == set(), "the writer's own catalog is the committed one"
