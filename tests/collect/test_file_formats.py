"""Tests for cxloop.collect.file_formats: formats and paths, opening errors, Parquet, batching."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cxloop.collect import csv_reader, file_formats, jsonl_reader, sniffing
from cxloop.collect.file_formats import open_source_file
from cxloop.errors import DataError, UsageError
from sample_source_files import (
    ENGLISH_ROWS,
    SPANISH_ROWS,
    as_dicts,
    write_csv,
    write_jsonl,
)

# --- formats and paths ---------------------------------------------------------------------


def test_public_names_stay_importable_from_file_formats() -> None:
    assert set(file_formats.__all__) >= {
        "FileFormat",
        "SNIFF_BYTES",
        "SourceFile",
        "open_source_file",
        "sniff_delimiter",
        "sniff_encoding",
    }
    assert file_formats.sniff_encoding is sniffing.sniff_encoding
    assert file_formats.sniff_delimiter is sniffing.sniff_delimiter
    assert file_formats.SNIFF_BYTES == sniffing.SNIFF_BYTES


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", "csv"),
        ("a.TSV", "csv"),
        ("a.txt", "csv"),
        ("a.csv.gz", "csv"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.json", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
        ("a.parquet", "parquet"),
        ("a.pq", "parquet"),
    ],
)
def test_format_comes_from_the_extension(tmp_path: Path, name: str, expected: str) -> None:
    path = tmp_path / name
    if expected == "parquet":
        pq.write_table(pa.table({"id": [1]}), path)
    else:
        data = b"id\n1\n" if expected == "csv" else b'{"id": 1}\n'
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert open_source_file(path).format == expected


def test_format_argument_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "export.dat"
    path.write_text("id;name\n1;Ann\n")
    source = open_source_file(path, format="csv")
    assert (source.format, source.delimiter, source.columns) == ("csv", ";", ["id", "name"])


def test_unknown_extension_names_the_file_and_the_accepted_ones(tmp_path: Path) -> None:
    path = tmp_path / "customers.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(DataError, match=r"customers\.xlsx.*'\.xlsx'.*\.csv .*\.parquet"):
        open_source_file(path)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nothere\.csv: no such file"):
        open_source_file(tmp_path / "nothere.csv")


def test_directory_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(DataError, match=r"folder\.csv: is a directory"):
        open_source_file(folder)


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "empty.parquet"])
def test_empty_file_is_rejected(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(DataError, match=rf"{name}: file is empty"):
        open_source_file(tmp_path / name)


def test_empty_gzip_content_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty.csv.gz").write_bytes(gzip.compress(b""))
    with pytest.raises(DataError, match=r"empty\.csv\.gz: file is empty after decompression"):
        open_source_file(tmp_path / "empty.csv.gz")


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ENGLISH_ROWS)
    with pytest.raises(UsageError, match="encoding"):
        open_source_file(path, encoding="klingon")
    with pytest.raises(UsageError, match="delimiter"):
        open_source_file(path, delimiter=";;")
    with pytest.raises(UsageError, match="batch_rows"):
        open_source_file(path).iter_batches(0)


def test_declared_encoding_that_does_not_fit_names_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", SPANISH_ROWS, encoding="latin-1")
    with pytest.raises(DataError, match=r"a\.csv: cannot be decoded as utf-16"):
        open_source_file(path, encoding="utf-16")


# --- Parquet -------------------------------------------------------------------------------


def test_parquet_round_trip_keeps_native_types(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": pa.array(range(2500), pa.int64()),
            "name": [f"客户 {i}" for i in range(2500)],
            "tags": [["a"] if i % 2 else [] for i in range(2500)],
        }
    )
    path = tmp_path / "a.parquet"
    pq.write_table(table, path, row_group_size=700)
    source = open_source_file(path)
    assert (source.columns, source.total_units, source.encoding) == (
        ["id", "name", "tags"],
        2500,
        None,
    )
    batches = list(source.iter_batches(batch_rows=1000))
    assert all(batch.num_rows <= 1000 for batch, _ in batches)
    assert [units for _, units in batches][-1] == 2500
    assert pa.Table.from_batches([batch for batch, _ in batches]).equals(table)


def test_unreadable_parquet_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")
    with pytest.raises(DataError, match=r"broken\.parquet: not a readable Parquet file"):
        open_source_file(path)


def test_gzipped_parquet_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet.gz"
    path.write_bytes(gzip.compress(b"x"))
    with pytest.raises(DataError, match=r"a\.parquet\.gz: Parquet files cannot be gzip-compressed"):
        open_source_file(path)


# --- batching ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_batches_cover_every_row_once_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr(csv_reader, "_CSV_BLOCK_BYTES", 8192)
    monkeypatch.setattr(jsonl_reader, "_JSONL_CHUNK_BYTES", 8192)
    rows = [
        [str(i), f"Name {i}", "Calle Mayor, 5", "line\nbreak" if i % 7 == 0 else ""]
        for i in range(5000)
    ]
    if fmt == "csv":
        path = write_csv(tmp_path / "big.csv", rows)
    else:
        path = write_jsonl(tmp_path / "big.jsonl", as_dicts(rows))
    source = open_source_file(path)
    batches = list(source.iter_batches(batch_rows=1200))
    assert [batch.num_rows for batch, _ in batches] == [1200, 1200, 1200, 1200, 200]
    units = [units for _, units in batches]
    assert units == sorted(units)
    assert units[-1] == source.total_units == path.stat().st_size
    assert [row for batch, _ in batches for row in batch.to_pylist()] == as_dicts(rows)
