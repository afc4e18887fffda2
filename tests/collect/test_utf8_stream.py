"""Tests for cxloop.collect.utf8_stream: text in any encoding, gzipped or not, read as UTF-8."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxloop.collect.file_formats import open_source_file
from cxloop.collect.sniffing import SNIFF_BYTES
from cxloop.errors import DataError
from sample_source_files import (
    CHINESE_ROWS,
    ENGLISH_ROWS,
    HEADER,
    SPANISH_ROWS,
    as_dicts,
    read_rows,
    write_csv,
)

# --- transcoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "rows", "expected"),
    [
        ("utf-8", ENGLISH_ROWS + SPANISH_ROWS + CHINESE_ROWS, "utf-8"),
        ("utf-8-sig", SPANISH_ROWS + CHINESE_ROWS, "utf-8-sig"),
        ("utf-16", SPANISH_ROWS + CHINESE_ROWS, "utf-16"),
        ("latin-1", SPANISH_ROWS, "latin-1"),
        (
            "cp1252",
            [*SPANISH_ROWS, ["5", "Raúl O’Neill", "“Centro”", "Pagó 20 € de más"]],
            "cp1252",
        ),
        ("gb18030", CHINESE_ROWS, "gb18030"),
        ("gb18030", CHINESE_ROWS + ENGLISH_ROWS, "gb18030"),
    ],
)
def test_csv_encodings_are_sniffed_and_decoded(
    tmp_path: Path, encoding: str, rows: list[list[str]], expected: str
) -> None:
    path = write_csv(tmp_path / "customers.csv", rows, encoding=encoding)
    source = open_source_file(path)
    assert source.encoding == expected
    assert source.columns == HEADER
    assert read_rows(source) == as_dicts(rows)


@pytest.mark.parametrize(
    ("encoding", "rows"),
    [
        ("latin-1", SPANISH_ROWS),
        ("gb18030", CHINESE_ROWS),
        ("utf-16", SPANISH_ROWS + CHINESE_ROWS),
        ("utf-8-sig", CHINESE_ROWS),
    ],
)
def test_jsonl_encodings_are_sniffed_and_decoded(
    tmp_path: Path, encoding: str, rows: list[list[str]]
) -> None:
    records = as_dicts(rows)
    text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    path = tmp_path / "customers.jsonl"
    path.write_bytes(text.encode(encoding))
    source = open_source_file(path)
    assert source.encoding == encoding
    assert read_rows(source) == records


def test_declared_encoding_wins(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", SPANISH_ROWS, encoding="latin-1")
    source = open_source_file(path, encoding="cp1252")
    assert source.encoding == "cp1252"
    assert read_rows(source) == as_dicts(SPANISH_ROWS)


def test_undecodable_bytes_after_the_sniffed_sample_name_the_file(tmp_path: Path) -> None:
    rows = [[str(i), "张伟", "北京市", "好"] for i in range(SNIFF_BYTES // 15)]
    path = write_csv(tmp_path / "late.csv", rows, encoding="gb18030")
    path.write_bytes(path.read_bytes() + b"1,\xff\xff,x,y\n")
    source = open_source_file(path)
    assert source.encoding == "gb18030"
    with pytest.raises(
        DataError, match=r"late\.csv: cannot be decoded as gb18030: bytes at offset"
    ):
        read_rows(source)


# --- gzip ----------------------------------------------------------------------------------


def test_corrupt_gzip_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.csv.gz").write_bytes(b"this is not gzip")
    with pytest.raises(DataError, match=r"bad\.csv\.gz: cannot be read"):
        open_source_file(tmp_path / "bad.csv.gz")


def test_gzipped_csv_reports_progress_in_compressed_bytes(tmp_path: Path) -> None:
    plain = write_csv(tmp_path / "a.csv", SPANISH_ROWS * 50, encoding="cp1252")
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    source = open_source_file(path)
    assert source.encoding == "latin-1"
    assert source.total_units == path.stat().st_size
    batches = list(source.iter_batches(batch_rows=60))
    assert [row for batch, _ in batches for row in batch.to_pylist()] == as_dicts(SPANISH_ROWS * 50)
    assert batches[-1][1] == source.total_units


# --- properties ----------------------------------------------------------------------------

SPANISH_WORDS = st.sampled_from(
    [
        *("José", "Núñez", "María", "Peña", "Ángel", "Güemes", "Ávila", "Cádiz", "Málaga"),
        *("niño", "señor", "café", "atención", "rápido", "está", "calle", "12", "Calle"),
        *("Mayor", "¿Dónde?", "¡Gracias!", "EL", "PEDIDO", "LLEGÓ", "Ñandú", "ÚLTIMO"),
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(
        st.lists(SPANISH_WORDS, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=20
    ),
    encoding=st.sampled_from(["latin-1", "cp1252", "utf-8"]),
)
def test_spanish_text_in_any_western_encoding_reads_back_unchanged(
    cells: list[str], encoding: str
) -> None:
    rows = [[str(i), cell] for i, cell in enumerate(cells)]
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "es.csv", rows, encoding=encoding, header=["id", "nota"])
        source = open_source_file(path)
        assert read_rows(source) == as_dicts(rows, ["id", "nota"])
    if all(cell.isascii() for cell in cells):
        assert source.encoding == "utf-8"
    else:
        assert source.encoding in ({encoding, "latin-1"} if encoding == "cp1252" else {encoding})
