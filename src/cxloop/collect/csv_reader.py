"""Read a CSV file: check its header, then stream its rows as all-text Arrow batches.

The parsing is pyarrow's streaming CSV reader over a
:class:`~cxloop.collect.utf8_stream.Utf8Stream`; this module sets it up to read every column as
text, and names the file and row in its errors. What comes out is described in
:mod:`cxloop.collect.file_formats`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from cxloop.collect.reader_errors import one_line, shorten
from cxloop.collect.sniffing import SNIFF_BYTES, scan_csv_records, sniff_delimiter
from cxloop.collect.utf8_stream import Utf8Stream
from cxloop.errors import DataError, UsageError

__all__ = ["CsvHeader", "csv_batches", "read_csv_header"]

_CSV_BLOCK_BYTES = 1 << 20
_LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class CsvHeader:
    """What :func:`read_csv_header` finds at the start of a CSV file."""

    delimiter: str
    columns: list[str]
    first_data_line: int  # 1-based
    skip_rows: int  # the blank lines before the header, and the header


def read_csv_header(path: Path, text: str, *, delimiter: str | None, truncated: bool) -> CsvHeader:
    """Find the delimiter (unless given) and the column names in the decoded start of a file.

    Raises
    ------
    UsageError
        ``delimiter`` is not a single character other than a quote or a line break.
    DataError
        There is no header row, it is cut at the end of ``text``, or a name in it is empty or
        repeated.
    """
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise UsageError(
            f"delimiter must be one character other than a quote or newline, not {delimiter!r}"
        )
    delimiter = delimiter or sniff_delimiter(text)
    records = scan_csv_records(text, limit=None)
    found = next(((i, rec) for i, rec in enumerate(records) if rec.text.strip()), None)
    if found is None:
        raise DataError(f"{path}: has no header row")
    blank_lines_before, header = found
    if truncated and not header.complete:
        raise DataError(f"{path}: header row is not complete within the first {SNIFF_BYTES} bytes")
    raw_names = next(csv.reader(io.StringIO(header.text, newline=""), delimiter=delimiter))
    columns = [name.strip() for name in raw_names]
    seen: set[str] = set()
    for position, name in enumerate(columns, start=1):
        if not name:
            raise DataError(f"{path}: header has an empty column name at position {position}")
        if name in seen:
            raise DataError(f"{path}: header has duplicate column {name!r}")
        seen.add(name)
    first_data_line = len(_LINE_BREAK.findall(text, 0, header.next_start)) + 1
    return CsvHeader(delimiter, columns, first_data_line, blank_lines_before + 1)


def csv_batches(
    path: Path, *, encoding: str | None, delimiter: str, columns: list[str], skip_rows: int
) -> Iterator[tuple[pa.RecordBatch, int]]:
    """Stream a CSV file's data rows as batches of text columns, of pyarrow's block size.

    Yields each batch with the bytes of the file on disk read so far.

    Raises
    ------
    DataError
        A row has the wrong number of fields, a quote is never closed, or the text cannot be
        decoded; the message names the file and, where known, the row.
    """
    invalid_rows: list[pa_csv.InvalidRow] = []

    def remember_invalid_row(row: pa_csv.InvalidRow) -> str:
        if not row.text.strip():
            return "skip"  # a line of spaces, blank like an empty line
        invalid_rows.append(row)
        return "error"

    read_options = pa_csv.ReadOptions(
        use_threads=False,  # keeps row numbers in errors; on two cores it is also faster
        block_size=_CSV_BLOCK_BYTES,
        column_names=columns,
        skip_rows_after_names=skip_rows,  # blank lines, then the header
    )
    parse_options = pa_csv.ParseOptions(
        delimiter=delimiter,
        quote_char='"',
        double_quote=True,
        escape_char=False,
        newlines_in_values=True,
        ignore_empty_lines=True,
        invalid_row_handler=remember_invalid_row,
    )
    convert_options = pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in columns},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    rows = 0
    last: pa.RecordBatch | None = None
    with Utf8Stream(path, encoding=encoding, final_newline=True) as stream:
        try:
            reader = pa_csv.open_csv(
                pa.PythonFile(stream, mode="r"),
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            for batch in reader:
                rows += batch.num_rows
                last = batch if batch.num_rows else last
                yield batch, stream.position
        except (pa.ArrowException, OSError) as exc:
            if stream.error is not None:
                raise stream.error from exc
            raise _csv_error(path, encoding, skip_rows, exc, invalid_rows) from exc
        if last is not None and _ends_in_open_quote(last, stream.tail, delimiter):
            raise DataError(
                f"{path}: row {rows + 1} (counting the header as row 1): a quoted field in column "
                f"{columns[-1]!r} is never closed (unterminated quote)"
            )


def _ends_in_open_quote(last: pa.RecordBatch, tail: tuple[bytes, bytes], delimiter: str) -> bool:
    """Whether the file ended inside a quoted field, which pyarrow accepts silently.

    Such a field runs to the end of the file, so it is the last value read and the file's
    text ends with an opening quote followed by that value (with its quotes doubled).
    """
    value = last.column(last.num_columns - 1)[last.num_rows - 1].as_py()
    if value is None:
        return False
    text = b"".join(tail).decode("utf-8", errors="replace")
    opened = '"' + value.replace('"', '""')
    if not text.endswith(opened) or len(text) == len(opened):
        return False
    return text[-len(opened) - 1] in (delimiter, "\n", "\r")


def _csv_error(
    path: Path,
    encoding: str | None,
    skip_rows: int,
    exc: BaseException,
    invalid_rows: list[pa_csv.InvalidRow],
) -> DataError:
    if invalid_rows:
        row = invalid_rows[-1]
        where = "a row"
        if row.number:  # pyarrow counts the blank lines before the header too
            number = row.number - skip_rows + 1
            where = f"row {number} (counting the header as row 1)"
        hint = ""
        if "\n" in row.text:
            hint = "; the row spans several lines, so a quote earlier on may be unterminated"
        fields = "field" if row.actual_columns == 1 else "fields"
        return DataError(
            f"{path}: {where} has {row.actual_columns} {fields}, expected "
            f"{row.expected_columns}: {shorten(row.text)!r}{hint}"
        )
    message = one_line(exc)
    if "invalid UTF8" in message:
        return DataError(
            f"{path}: not valid {encoding} text beyond the first {SNIFF_BYTES} bytes that "
            f"were sniffed; pass the file's encoding (for example encoding='cp1252')"
        )
    return DataError(f"{path}: cannot be read as CSV: {message}")
