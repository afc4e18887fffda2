"""Tests for cxloop.collect.sniffing: guessing a file's encoding and a CSV file's delimiter."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxloop.collect.file_formats import open_source_file
from cxloop.collect.sniffing import sniff_delimiter, sniff_encoding
from sample_source_files import (
    CHINESE_ROWS,
    SPANISH_ROWS,
    as_dicts,
    read_rows,
    write_csv,
)

# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "encoding"),
    [
        (SPANISH_ROWS, "latin-1"),
        (SPANISH_ROWS, "utf-8"),
        (CHINESE_ROWS, "gb18030"),
        (CHINESE_ROWS + SPANISH_ROWS[:1], "utf-8"),
    ],
)
def test_sniff_encoding_of_realistic_text(rows: list[list[str]], encoding: str) -> None:
    for row in rows:
        assert sniff_encoding(",".join(row).encode(encoding), truncated=False) == encoding
    sample = "\n".join(",".join(row) for row in rows).encode(encoding)
    for cut in range(len(sample) - 3, len(sample)):
        assert sniff_encoding(sample[:cut]) == encoding


def test_sniff_encoding_boms() -> None:
    assert sniff_encoding("\ufeffid,name".encode("utf-8")) == "utf-8-sig"
    assert sniff_encoding("id,name".encode("utf-16")) == "utf-16"
    assert sniff_encoding(b"\xfe\xff\x00i\x00d") == "utf-16"
    assert sniff_encoding("id".encode("utf-32")) == "utf-32"
    assert sniff_encoding("id,name\n1,张伟\n".encode("utf-16-le")) == "utf-16-le"
    assert sniff_encoding(b"") == "utf-8"
    assert sniff_encoding(b"plain ascii") == "utf-8"


def test_sniff_encoding_ignores_a_character_cut_at_the_end_of_the_sample() -> None:
    sample = "名字,地址\n张伟,北京".encode()[:-1]
    assert sniff_encoding(sample) == "utf-8"
    assert sniff_encoding(sample, truncated=False) != "utf-8"


def test_sniff_encoding_prefers_cp1252_only_for_its_characters() -> None:
    assert sniff_encoding("Peña, 20 €".encode("cp1252")) == "cp1252"
    assert sniff_encoding("O’Neill said “hola”".encode("cp1252")) == "cp1252"
    assert sniff_encoding("Peña, Güemes".encode("cp1252")) == "latin-1"
    assert sniff_encoding("Peña".encode("latin-1") + b"\x81") == "latin-1"


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=200), cut=st.integers(min_value=0, max_value=3))
def test_any_utf8_prefix_sniffs_as_utf8(text: str, cut: int) -> None:
    data = text.encode("utf-8")
    sample = data[: max(len(data) - cut, 0)]
    assert sniff_encoding(sample) in (
        "utf-8",
        "utf-8-sig",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
    )
    if not sample.startswith((b"\xef\xbb\xbf",)) and b"\x00" not in sample:
        assert sniff_encoding(sample) == "utf-8"


# --- delimiters ----------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [*SPANISH_ROWS, ["9", "a,b;c|d\te", "x", 'quote " inside']]
    path = write_csv(tmp_path / "a.csv", rows, delimiter=delimiter)
    source = open_source_file(path)
    assert source.delimiter == delimiter
    assert read_rows(source) == as_dicts(rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,name\n1,Ann\n", ","),
        ("id;amount\n1;1,5\n2;20,75\n", ";"),
        ('name,note\n"Peña; Ana","a;b;c"\n"Li","x"\n', ","),
        ('name;note\n"Peña, Ana";"a,b,c"\n"Li";"x,y"\n', ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("just_one_column\nvalue\n", ","),
        ("a;b;c\n", ";"),
        ('id,comment\n1,"multi\nline; with; semicolons"\n2,x\n', ","),
        ("id,name\n1,Ann\n2,Bo", ","),
        ("", ","),
    ],
)
def test_sniff_delimiter(text: str, expected: str) -> None:
    assert sniff_delimiter(text) == expected
