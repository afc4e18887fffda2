"""Read a JSON Lines file: fix one schema over the whole file, then stream batches of it.

:func:`scan_jsonl` reads the file once to find every key and one type per column;
:func:`jsonl_batches` reads it again, parsing blocks with pyarrow's JSON reader and conforming
each to that schema. A block pyarrow cannot parse is parsed line by line in Python, which
names the bad line. What comes out is described in :mod:`cxloop.collect.file_formats`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pa_json

from cxloop.collect.reader_errors import cannot_be_read
from cxloop.collect.utf8_stream import Utf8Stream
from cxloop.errors import DataError

__all__ = ["JsonlLayout", "jsonl_batches", "scan_jsonl"]

_JSONL_CHUNK_BYTES = 16 << 20
_JSONL_BLOCK_BYTES = 4 << 20


@dataclass(frozen=True)
class JsonlLayout:
    """What :func:`scan_jsonl` finds in a JSON Lines file."""

    schema: pa.Schema
    text_columns: frozenset[str]  # columns of objects and arrays, read as JSON text
    first_data_line: int  # 1-based


def scan_jsonl(path: Path, encoding: str) -> JsonlLayout:
    """Read a whole JSON Lines file to fix its columns and one type per column.

    Raises
    ------
    DataError
        A line is not a JSON object, the file cannot be read or decoded, or it has no records
        or no keys.
    """
    kinds: dict[str, set[str]] = {}
    first_line: int | None = None
    with Utf8Stream(path, encoding=encoding) as stream:
        for block, block_line in _jsonl_blocks(path, stream):
            if first_line is None:
                first_line = block_line + _leading_blank_lines(block)
            try:
                for column in _read_json_block(block, None).schema:
                    kinds.setdefault(column.name, set()).add(_kind_of_type(column.type))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                for record in _json_records(path, block, block_line):
                    for key, value in record.items():
                        kinds.setdefault(key, set()).add(_kind_of_value(value))
    if first_line is None:
        raise DataError(f"{path}: has no JSON records, only blank lines")
    if not kinds:
        raise DataError(f"{path}: has no columns: every JSON object is empty")
    schema = pa.schema([(name, _type_for_kinds(found)) for name, found in kinds.items()])
    text_columns = frozenset(
        name for name, found in kinds.items() if found - {"null"} == {"nested"}
    )
    return JsonlLayout(schema, text_columns, first_line)


def jsonl_batches(
    path: Path, *, encoding: str | None, layout: JsonlLayout
) -> Iterator[tuple[pa.RecordBatch, int]]:
    """Stream a JSON Lines file's records as batches with ``layout.schema``.

    Yields each batch with the bytes of the file on disk read so far.

    Raises
    ------
    DataError
        A line is not a JSON object, or the file cannot be read or decoded.
    """
    schema, text_columns = layout.schema, layout.text_columns
    explicit = pa.schema([column for column in schema if column.name not in text_columns])
    with Utf8Stream(path, encoding=encoding) as stream:
        for block, first_line in _jsonl_blocks(path, stream):
            try:
                table = _read_json_block(block, explicit)
                table = _conform_parsed_json(block, table, schema, explicit, text_columns)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                table = _records_to_table(_json_records(path, block, first_line), schema)
            for batch in table.to_batches():
                yield batch, stream.position


def _jsonl_blocks(path: Path, stream: Utf8Stream) -> Iterator[tuple[bytes, int]]:
    """Whole lines of UTF-8 JSON text, about 16 MiB at a time, with the first one's number."""
    carry, line = b"", 1
    while True:
        try:
            chunk = stream.read(_JSONL_CHUNK_BYTES)
        except (pa.ArrowException, OSError) as exc:
            raise cannot_be_read(path, exc) from exc
        if not chunk:
            break
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            carry = data
            continue
        block, carry = data[:cut], data[cut:]
        if not block.isspace():
            yield block, line
        line += block.count(b"\n")
    if carry and not carry.isspace():
        yield carry, line


def _leading_blank_lines(block: bytes) -> int:
    stripped = block.lstrip()
    return block[: len(block) - len(stripped)].count(b"\n")


_NOT_AN_OBJECT = re.compile(rb"(?:^|\n)[ \t\r]*[^{\s]")


def _read_json_block(block: bytes, explicit: pa.Schema | None) -> pa.Table:
    # pyarrow's reader kills the process on a line like `null`: lines that do not open an
    # object go to the line-by-line parser, which names the bad line
    if _NOT_AN_OBJECT.search(block):
        raise pa.ArrowInvalid("a line is not a JSON object")
    return pa_json.read_json(
        pa.BufferReader(block),
        read_options=pa_json.ReadOptions(use_threads=True, block_size=_JSONL_BLOCK_BYTES),
        parse_options=pa_json.ParseOptions(
            explicit_schema=explicit, unexpected_field_behavior="infer"
        ),
    )


def _conform_parsed_json(
    block: bytes,
    table: pa.Table,
    schema: pa.Schema,
    explicit: pa.Schema,
    text_columns: frozenset[str],
) -> pa.Table:
    """Give a block pyarrow parsed the file's schema: objects and arrays become JSON text."""
    retyped = []
    for column in table.schema:
        if column.name in text_columns:
            as_written = _without_timestamps(column.type)
            if as_written != column.type:
                retyped.append(pa.field(column.name, as_written))
    if retyped:  # keep date-like strings inside objects as written, not as parsed timestamps
        table = _read_json_block(block, pa.schema([*explicit, *retyped]))
    arrays = []
    for column in schema:
        if column.name not in table.column_names:
            arrays.append(pa.nulls(table.num_rows, column.type))
        elif column.name in text_columns:
            values = table.column(column.name).to_pylist()
            arrays.append(pa.array([_json_text(value) for value in values], pa.string()))
        else:
            arrays.append(table.column(column.name).cast(column.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _json_records(path: Path, block: bytes, first_line: int) -> Iterator[dict[str, Any]]:
    """Parse a block line by line in Python: slow, but exact about which line is wrong."""
    for number, line in enumerate(block.split(b"\n"), start=first_line):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except UnicodeDecodeError:
            raise DataError(
                f"{path}: line {number}: not valid UTF-8; pass the file's encoding"
            ) from None
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{path}: line {number}: not valid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        if not isinstance(record, dict):
            found = "an array" if isinstance(record, list) else f"a {type(record).__name__}"
            raise DataError(f"{path}: line {number}: expected a JSON object, found {found}")
        yield record


def _records_to_table(records: Iterable[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    values: dict[str, list[Any]] = {name: [] for name in schema.names}
    for record in records:
        for name, column in values.items():
            column.append(record.get(name))
    arrays = []
    for column in schema:
        column_values = values[column.name]
        if column.type == pa.string():
            column_values = [_json_text(value) for value in column_values]
        elif column.type == pa.float64():  # pyarrow refuses ints that a double rounds
            column_values = [None if value is None else float(value) for value in column_values]
        arrays.append(pa.array(column_values, column.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- one type per column -------------------------------------------------------------------


def _kind_of_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_null(arrow_type):
        return "null"
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type):
        return "float"
    if pa.types.is_nested(arrow_type):
        return "nested"
    return "str"


def _kind_of_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -(2**63) <= value < 2**63 else "float"
    if isinstance(value, float):
        return "float"
    if isinstance(value, dict | list):
        return "nested"
    return "str"


def _type_for_kinds(kinds: set[str]) -> pa.DataType:
    kinds = kinds - {"null"}
    if kinds == {"bool"}:
        return pa.bool_()
    if kinds == {"int"}:
        return pa.int64()
    if kinds and kinds <= {"int", "float"}:
        return pa.float64()
    return pa.string()


def _without_timestamps(arrow_type: pa.DataType) -> pa.DataType:
    """``arrow_type`` with every timestamp in it, however deeply nested, made a string."""
    if pa.types.is_timestamp(arrow_type):
        return pa.string()
    if pa.types.is_struct(arrow_type):
        fields = [arrow_type.field(i) for i in range(arrow_type.num_fields)]
        return pa.struct([f.with_type(_without_timestamps(f.type)) for f in fields])
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        value_field = arrow_type.value_field.with_type(_without_timestamps(arrow_type.value_type))
        return (pa.list_ if pa.types.is_list(arrow_type) else pa.large_list)(value_field)
    return arrow_type
