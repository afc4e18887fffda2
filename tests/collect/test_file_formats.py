"""Tests for cxloop.collect.file_formats: sniffing, the three formats, errors, batching."""

from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxloop.collect import file_formats
from cxloop.collect.file_formats import (
    SNIFF_BYTES,
    SourceFile,
    open_source_file,
    sniff_delimiter,
    sniff_encoding,
)
from cxloop.errors import DataError, UsageError

SPANISH_ROWS = [
    ["1", "José Núñez", "Calle Mayor 5, Ávila", "Muy buen servicio, gracias"],
    ["2", "María Peña", "Plaza de España 3, Cádiz", "El pedido llegó tarde; reembolso pendiente"],
    ["3", "Ángel Güemes", "Avenida de la Constitución 12, Málaga", "¿Dónde está mi factura?"],
    ["4", "Inés Muñoz", "Calle Ibáñez 7, A Coruña", "Atención rápida y amable"],
]
CHINESE_ROWS = [
    ["1", "张伟", "北京市朝阳区建国路88号", "服务很好，谢谢！"],
    ["2", "王芳", "上海市浦东新区世纪大道100号", "物流太慢了，希望改进。"],
    ["3", "李娜", "广州市天河区体育西路1号", "客服态度不错，但是价格有点贵"],
    ["4", "刘洋", "深圳市南山区科技园", "产品质量很好，会再次购买"],
]
ENGLISH_ROWS = [
    ["1", "Ann Smith", "12 High St, Leeds", 'Said "great", then left'],
    ["2", "Bob Brown", "", "N/A"],
]
HEADER = ["id", "name", "address", "comment"]


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    header: list[str] = HEADER,
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_rows(source: SourceFile, batch_rows: int = 1_000_000) -> list[dict[str, Any]]:
    return [row for batch, _ in source.iter_batches(batch_rows) for row in batch.to_pylist()]


def as_dicts(rows: list[list[str]], header: list[str] = HEADER) -> list[dict[str, Any]]:
    return [
        {name: (value if value != "" else None) for name, value in zip(header, row, strict=True)}
        for row in rows
    ]


# --- formats and paths ---------------------------------------------------------------------


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


def test_corrupt_gzip_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.csv.gz").write_bytes(b"this is not gzip")
    with pytest.raises(DataError, match=r"bad\.csv\.gz: cannot be read"):
        open_source_file(tmp_path / "bad.csv.gz")


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ENGLISH_ROWS)
    with pytest.raises(UsageError, match="encoding"):
        open_source_file(path, encoding="klingon")
    with pytest.raises(UsageError, match="delimiter"):
        open_source_file(path, delimiter=";;")
    with pytest.raises(UsageError, match="batch_rows"):
        open_source_file(path).iter_batches(0)


# --- encodings -----------------------------------------------------------------------------


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


def test_declared_encoding_that_does_not_fit_names_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", SPANISH_ROWS, encoding="latin-1")
    with pytest.raises(DataError, match=r"a\.csv: cannot be decoded as utf-16"):
        open_source_file(path, encoding="utf-16")


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


def test_non_utf8_bytes_after_the_sniffed_sample_name_the_file(tmp_path: Path) -> None:
    rows = [[str(i), "Ann Smith", "12 High St", "fine"] for i in range(SNIFF_BYTES // 25)]
    path = write_csv(
        tmp_path / "late.csv", [*rows, ["x", "José", "Ávila", "ñ"]], encoding="latin-1"
    )
    source = open_source_file(path)
    assert source.encoding == "utf-8"
    with pytest.raises(DataError, match=r"late\.csv: not valid utf-8 .*encoding="):
        read_rows(source)


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


def test_declared_delimiter_wins(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a;b,c\n1;2,3\n")
    assert open_source_file(path, delimiter=",").columns == ["a;b", "c"]


# --- CSV content ---------------------------------------------------------------------------


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


# --- JSON Lines ----------------------------------------------------------------------------


def write_jsonl(path: Path, records: list[Any], *, tail: str = "") -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records) + tail)
    return path


def test_jsonl_keeps_native_types_and_turns_nested_values_into_json_text(tmp_path: Path) -> None:
    records = [
        {"id": 1, "name": "Ann", "score": 9.5, "vip": True, "tags": ["a", "b"]},
        {"id": 2, "name": None, "score": 7, "vip": False, "address": {"city": "Madrid"}},
    ]
    source = open_source_file(write_jsonl(tmp_path / "a.jsonl", records))
    assert source.columns == ["id", "name", "score", "vip", "tags", "address"]
    assert source.first_data_line == 1
    assert source.schema == pa.schema(
        [
            ("id", pa.int64()),
            ("name", pa.string()),
            ("score", pa.float64()),
            ("vip", pa.bool_()),
            ("tags", pa.string()),
            ("address", pa.string()),
        ]
    )
    assert read_rows(source) == [
        {"id": 1, "name": "Ann", "score": 9.5, "vip": True, "tags": '["a","b"]', "address": None},
        {
            "id": 2,
            "name": None,
            "score": 7.0,
            "vip": False,
            "tags": None,
            "address": '{"city":"Madrid"}',
        },
    ]


def test_jsonl_keeps_date_strings_as_written(tmp_path: Path) -> None:
    records = [{"at": "2024-01-01T10:00:00Z", "event": {"at": "2024-01-01 10:00:00"}}]
    source = open_source_file(write_jsonl(tmp_path / "a.jsonl", records))
    assert read_rows(source) == [
        {"at": "2024-01-01T10:00:00Z", "event": '{"at":"2024-01-01 10:00:00"}'}
    ]


def test_jsonl_schema_is_stable_when_types_change_late_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_formats, "_JSONL_CHUNK_BYTES", 4096)
    early = [{"id": i, "zip": 28000 + i, "amount": i} for i in range(1000)]
    late = [{"id": 1000, "zip": "AB12", "amount": 1.5, "coupon": "X"}, {"id": 1001, "zip": True}]
    source = open_source_file(write_jsonl(tmp_path / "a.jsonl", early + late))
    assert source.columns == ["id", "zip", "amount", "coupon"]
    batches = [batch for batch, _ in source.iter_batches(batch_rows=300)]
    assert {batch.schema for batch in batches} == {source.schema}
    assert source.schema.field("zip").type == pa.string()
    assert source.schema.field("amount").type == pa.float64()
    rows = [row for batch in batches for row in batch.to_pylist()]
    assert [row["id"] for row in rows] == list(range(1002))
    assert rows[0] == {"id": 0, "zip": "28000", "amount": 0.0, "coupon": None}
    assert rows[-2:] == [
        {"id": 1000, "zip": "AB12", "amount": 1.5, "coupon": "X"},
        {"id": 1001, "zip": "true", "amount": None, "coupon": None},
    ]


def test_jsonl_all_null_column_is_string(tmp_path: Path) -> None:
    source = open_source_file(write_jsonl(tmp_path / "a.jsonl", [{"a": None}, {"a": None}]))
    assert source.schema == pa.schema([("a", pa.string())])


def test_jsonl_skips_blank_lines_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'\xef\xbb\xbf\n  \n{"a": 1}\r\n\n{"a": 2}')
    source = open_source_file(path)
    assert (source.encoding, source.first_data_line) == ("utf-8-sig", 3)
    assert read_rows(source) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"a": 1,}', r"line 2501: not valid JSON: .*\(column 9\)"),
        ("[1, 2]", r"line 2501: expected a JSON object, found an array"),
        ('"text"', r"line 2501: expected a JSON object, found a str"),
    ],
)
def test_bad_jsonl_line_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_line: str, message: str
) -> None:
    monkeypatch.setattr(file_formats, "_JSONL_CHUNK_BYTES", 4096)
    path = write_jsonl(
        tmp_path / "bad.jsonl", [{"a": i} for i in range(2500)], tail=bad_line + "\n"
    )
    with pytest.raises(DataError, match=r"bad\.jsonl: " + message):
        open_source_file(path)


def test_jsonl_of_empty_objects_has_no_columns(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("{}\n{}\n")
    with pytest.raises(DataError, match=r"empty\.jsonl: has no columns"):
        open_source_file(path)


def test_jsonl_with_only_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_text("\n \n")
    with pytest.raises(DataError, match=r"blank\.jsonl: has no JSON records"):
        open_source_file(path)


def test_gzipped_jsonl(tmp_path: Path) -> None:
    records = [{"id": i, "name": "张伟"} for i in range(100)]
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(write_jsonl(tmp_path / "a.jsonl", records).read_bytes()))
    source = open_source_file(path)
    assert source.total_units == path.stat().st_size
    assert read_rows(source, batch_rows=30) == records


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
    monkeypatch.setattr(file_formats, "_CSV_BLOCK_BYTES", 8192)
    monkeypatch.setattr(file_formats, "_JSONL_CHUNK_BYTES", 8192)
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


JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
JSON_VALUE = st.one_of(
    JSON_SCALAR,
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.sampled_from(["k", "v"]), st.text(max_size=4), max_size=2),
)


def expected_json_column(values: list[Any]) -> list[Any]:
    kinds = {type(value) for value in values} - {type(None)}
    if kinds in ({bool}, {int}, {float}, {int, float}):
        return [float(v) if v is not None and kinds & {float} else v for v in values]
    return [v if v is None or isinstance(v, str) else json.loads(json.dumps(v)) for v in values]


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if item is not None}
    return value


@settings(max_examples=80, deadline=None)
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from(["a", "b", "名字"]), JSON_VALUE), min_size=1, max_size=12
    ),
    ensure_ascii=st.booleans(),
)
def test_any_json_lines_read_back_with_one_type_per_column(
    records: list[dict[str, Any]], ensure_ascii: bool
) -> None:
    text = "".join(json.dumps(record, ensure_ascii=ensure_ascii) + "\n" for record in records)
    if not any(records):
        text += '{"z": 1}\n'
        records = [*records, {"z": 1}]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_text(text, encoding="utf-8")
        source = open_source_file(path)
        batches = [batch for batch, _ in source.iter_batches(batch_rows=5)]
    assert {batch.schema for batch in batches} == {source.schema}
    read = pa.Table.from_batches(batches, schema=source.schema).to_pydict()
    assert list(read) == list(dict.fromkeys(key for record in records for key in record))
    for name, got in read.items():
        expected = expected_json_column([record.get(name) for record in records])
        if source.schema.field(name).type == pa.string():
            got = [
                v
                if v is None or not isinstance(e, list | dict | bool | int | float)
                else json.loads(v)
                for v, e in zip(got, expected, strict=True)
            ]
            got, expected = [without_nulls(v) for v in got], [without_nulls(v) for v in expected]
        assert got == expected
