"""Tests for cxloop.collect.csv_reader: CSV headers, content and errors that name the row."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxloop.collect.file_formats import open_source_file
from cxloop.collect.sniffing import SNIFF_BYTES
from cxloop.errors import DataError
from sample_source_files import (
    as_dicts,
    read_rows,
    write_csv,
)

# --- CSV content ---------------------------------------------------------------------------


def test_declared_delimiter_wins(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a;b,c\n1;2,3\n")
    assert open_source_file(path, delimiter=",").columns == ["a;b", "c"]


def test_quoted_fields_keep_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    rows = [
        ["1", "Ann, Smith", 'She said "hi"', "line one\nline two\r\nline three"],
        ["2", "", "", '""'],
    ]
    path = write_csv(tmp_path / "a.csv", rows)
    source = open_source_file(path)
    assert source.first_data_line == 2
    assert read_rows(source) == as_dicts(rows)


def test_empty_unquoted_cells_are_null_and_quoted_ones_empty_strings(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('a,b,c,d\n,"",NA,null\nN/A, ,,\n\n')
    assert read_rows(open_source_file(path)) == [
        {"a": None, "b": "", "c": "NA", "d": "null"},
        {"a": "N/A", "b": " ", "c": None, "d": None},
    ]


def test_every_csv_column_is_a_string(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,amount,when,flag\n001,1.50,2024-01-01,true\n")
    source = open_source_file(path)
    batch, _ = next(source.iter_batches())
    assert batch.schema == source.schema
    assert all(column.type == pa.string() for column in batch.schema)
    assert batch.to_pylist() == [
        {"id": "001", "amount": "1.50", "when": "2024-01-01", "flag": "true"}
    ]


def test_header_names_are_stripped_and_may_be_quoted(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('\ufeff id ,"full\nname","city"\t \r\n1,Ann,Leeds\r\n', encoding="utf-8")
    source = open_source_file(path)
    assert source.columns == ["id", "full\nname", "city"]
    assert source.first_data_line == 3
    assert read_rows(source) == [{"id": "1", "full\nname": "Ann", "city": "Leeds"}]


def test_last_row_may_lack_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('id;name\r\n1;Ann\r\n2;"Bo; Li"')
    assert read_rows(open_source_file(path)) == [
        {"id": "1", "name": "Ann"},
        {"id": "2", "name": "Bo; Li"},
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_any_line_ending_and_lines_of_spaces(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "a.csv"
    lines = ["", "id;name", "1;Ann", "   ", '2;"Bo', 'Li"', "", "3;Cy", ""]
    path.write_bytes(newline.join(lines).encode())
    source = open_source_file(path)
    assert (source.delimiter, source.columns, source.first_data_line) == (";", ["id", "name"], 3)
    assert read_rows(source) == [
        {"id": "1", "name": "Ann"},
        {"id": "2", "name": f"Bo{newline}Li"},
        {"id": "3", "name": "Cy"},
    ]


def test_a_header_only_file_has_no_batches(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,name")
    source = open_source_file(path)
    assert source.columns == ["id", "name"]
    assert list(source.iter_batches()) == []


def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\n\nid,name\n1,Ann\n")
    source = open_source_file(path)
    assert (source.columns, source.first_data_line) == (["id", "name"], 4)
    assert read_rows(source) == [{"id": "1", "name": "Ann"}]


# --- CSV errors ----------------------------------------------------------------------------


def test_duplicate_header_names_the_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,email, email \n1,a,b\n")
    with pytest.raises(DataError, match=r"dup\.csv: header has duplicate column 'email'"):
        open_source_file(path)


def test_empty_header_name_names_the_position(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("id,name, ,city\n1,a,b,c\n")
    with pytest.raises(DataError, match=r"gap\.csv: header has an empty column name at position 3"):
        open_source_file(path)


def test_file_without_a_header_row(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\n\n")
    with pytest.raises(DataError, match=r"blank\.csv: has no header row"):
        open_source_file(path)


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ("3,4,5\n", r"row 4 \(counting the header as row 1\) has 3 fields, expected 2: '3,4,5'"),
        ("3\n", r"row 4 .* has 1 field, expected 2: '3'"),
    ],
)
def test_row_with_wrong_field_count_names_file_and_row(
    tmp_path: Path, tail: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('a,b\n1,2\n"x\ny",z\n' + tail + "6,7\n")
    source = open_source_file(path)
    with pytest.raises(DataError, match=r"bad\.csv: " + message):
        read_rows(source)


@pytest.mark.parametrize("tail", ['3,"4\n5,6\n', '3,"4', '3,"4""\n', '3,"'])
def test_unterminated_quote_at_the_end_names_file_and_row(tmp_path: Path, tail: str) -> None:
    path = tmp_path / "open.csv"
    path.write_text("a,b\n1,2\n" + tail)
    with pytest.raises(DataError, match=r"open\.csv: row 3 .*column 'b' is never closed"):
        read_rows(open_source_file(path))


@pytest.mark.parametrize("tail", ['3,"4"\n', '3,""', '3,"a\n"\n', '3,x"y\n', "3,\n"])
def test_closed_quotes_at_the_end_are_fine(tmp_path: Path, tail: str) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("a,b\n1,2\n" + tail)
    assert len(read_rows(open_source_file(path))) == 2


def test_row_numbers_count_from_the_header_after_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("\n\nid,name\n1,2\n3,4,5\n")
    with pytest.raises(DataError, match=r"bad\.csv: row 3 \(counting the header as row 1\) has 3"):
        read_rows(open_source_file(path))


def test_unterminated_quote_in_the_middle_hints_at_it(tmp_path: Path) -> None:
    path = tmp_path / "open.csv"
    path.write_text('a,b,c\n1,"2,3\n4,5,6\n7,8,9\n')
    with pytest.raises(DataError, match=r"open\.csv: row 2 .* fields.*unterminated"):
        read_rows(open_source_file(path))


def test_non_utf8_bytes_after_the_sniffed_sample_name_the_file(tmp_path: Path) -> None:
    rows = [[str(i), "Ann Smith", "12 High St", "fine"] for i in range(SNIFF_BYTES // 25)]
    path = write_csv(
        tmp_path / "late.csv", [*rows, ["x", "José", "Ávila", "ñ"]], encoding="latin-1"
    )
    source = open_source_file(path)
    assert source.encoding == "utf-8"
    with pytest.raises(DataError, match=r"late\.csv: not valid utf-8 .*encoding="):
        read_rows(source)


# --- properties ----------------------------------------------------------------------------

CELL_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(",;\t|\"\n\r '") + list("张伟北京市，。ñáéü€")),
        st.characters(exclude_characters="\x00\ufeff", exclude_categories=("Cs",)),
    ),
    max_size=12,
)
COLUMN_NAME = st.text(
    alphabet=st.sampled_from(list("abcxyz_张名字ñé ")), min_size=1, max_size=8
).filter(lambda name: name.strip() == name and name != "")


@st.composite
def csv_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(COLUMN_NAME, min_size=1, max_size=4, unique=True))
    rows = draw(
        st.lists(st.lists(CELL_TEXT, min_size=len(header), max_size=len(header)), max_size=8)
    )
    return header, rows


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=csv_tables(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_any_text_table_written_by_python_csv_reads_back(
    table: tuple[list[str], list[list[str]]], encoding: str, delimiter: str, quoting: int
) -> None:
    header, rows = table
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        source = open_source_file(path, encoding=encoding, delimiter=delimiter)
        read = read_rows(source, batch_rows=3)
    # Python's csv writer leaves an empty string unquoted (read as null) unless it is the
    # row's only field or everything is quoted.
    unquoted_empty = quoting == csv.QUOTE_MINIMAL and len(header) > 1
    expected = [
        {
            name: (None if value == "" and unquoted_empty else value)
            for name, value in zip(header, row, strict=True)
        }
        for row in rows
    ]
    assert source.columns == header
    assert read == expected
