"""Tests for cxloop.collect.jsonl_reader: one schema per file, JSON text, lines that are wrong."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxloop.collect import jsonl_reader
from cxloop.collect.file_formats import open_source_file
from cxloop.errors import DataError
from sample_source_files import (
    read_rows,
    write_jsonl,
)

# --- JSON Lines ----------------------------------------------------------------------------


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
    monkeypatch.setattr(jsonl_reader, "_JSONL_CHUNK_BYTES", 4096)
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
    monkeypatch.setattr(jsonl_reader, "_JSONL_CHUNK_BYTES", 4096)
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


# --- properties ----------------------------------------------------------------------------

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


@pytest.mark.parametrize("text", ["null\n", '{"a": 1}\nnull\n', "[1, 2]\n", '{"a": 1}\n42\n'])
def test_lines_that_are_not_objects_are_errors_not_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"x.jsonl: line \d"):
        source = open_source_file(path)
        list(source.iter_batches())
