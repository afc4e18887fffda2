"""Read customer-data files (CSV, JSON Lines, Parquet) as a stream of Arrow record batches.

:func:`open_source_file` looks at a file once (format, encoding, delimiter, columns) and returns a
:class:`SourceFile`; :meth:`SourceFile.iter_batches` then streams its rows in file order, with the
progress made so far, in memory bounded by the batch size. The parsing itself is pyarrow's
native CSV, JSON and Parquet readers; Python only sniffs, transcodes non-UTF-8 text and turns
pyarrow's errors into one-line :class:`~cxloop.errors.DataError` messages that name the file.

What comes out of each format:

* **CSV** -- every column is ``string``; nothing is type-inferred. An empty *unquoted* cell is
  null; a quoted empty cell (``""``) is the empty string, as in PostgreSQL's ``COPY ... CSV``;
  ``NA``, ``null`` and ``N/A`` are kept as text. The first row is the header: names are stripped
  of surrounding whitespace and must be unique and non-empty. Quoted fields may hold delimiters,
  doubled quotes and newlines. Lines may end in ``\n``, ``\r\n`` or ``\r``; blank lines and
  lines of spaces are skipped.
* **JSON Lines** -- one JSON object per line (blank lines are skipped). Opening the file reads it
  once to fix its columns (every key, in order of first appearance) and one type per column over
  the *whole* file, so every batch has the same schema however the values vary:
  ``bool``, ``int64`` or ``float64`` when all the column's values are such (integers mixed with
  floats give ``float64``), otherwise ``string``; strings are never turned into timestamps.
  Objects and arrays, and scalars in a column of mixed kinds, become compact JSON text
  (``{"a":1}``, ``true``, ``1.5``); an object may come out with ``null`` for keys that only
  other rows' objects have, and integers in an array of numbers as floats. The price of a fixed
  schema is reading the file twice; the gain is that a bad line fails :func:`open_source_file`,
  before anything is imported.
* **Parquet** -- the file's own Arrow schema, nested types included.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "customers.csv"
>>> _ = path.write_text("id;name\\n1;Peña\\n2;\\n", encoding="latin-1")
>>> source = open_source_file(path)
>>> source.encoding, source.delimiter, source.columns
('latin-1', ';', ['id', 'name'])
>>> [batch.to_pylist() for batch, _ in source.iter_batches()]
[[{'id': '1', 'name': 'Peña'}, {'id': '2', 'name': None}]]
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from cxloop.errors import DataError, UsageError

__all__ = ["FileFormat", "SourceFile", "open_source_file", "sniff_delimiter", "sniff_encoding"]

FileFormat = Literal["csv", "jsonl", "parquet"]

SNIFF_BYTES = 256 * 1024
"""How much of a file (after decompression) encoding, delimiter and header sniffing look at."""

_EXTENSIONS: dict[str, FileFormat] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_RECORDS = 20
_LINE_BREAK = re.compile(r"\r\n?|\n")
_CSV_BLOCK_BYTES = 4 << 20
_JSONL_CHUNK_BYTES = 16 << 20
_JSONL_BLOCK_BYTES = 4 << 20
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# One GB18030 character: a two-byte pair from the GB2312 table (common hanzi and CJK
# punctuation, group 1), a four-byte sequence, or any other two-byte pair.
_GB18030_CHAR = re.compile(
    rb"([\xa1-\xd7][\xa1-\xfe])|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|[\x81-\xfe][\x40-\xfe]"
)


@dataclass
class SourceFile:
    """A data file ready to be streamed, as found by :func:`open_source_file`.

    Attributes
    ----------
    path : Path
        The file.
    format : {"csv", "jsonl", "parquet"}
        How it is parsed.
    encoding : str or None
        Python codec of a CSV or JSON Lines file ("utf-8", "utf-8-sig", "cp1252", "gb18030", ...);
        None for Parquet.
    delimiter : str or None
        Field separator of a CSV file; None otherwise.
    columns : list of str
        Column names in file order.
    total_units : int or None
        Size of the whole job for a progress bar: rows for Parquet, bytes on disk for CSV and
        JSON Lines (compressed bytes for ``.gz``). Compare with the ``units_done`` that
        :meth:`iter_batches` yields.
    first_data_line : int
        1-based line of the first data record (2 for a CSV file with a one-line header).
    schema : pyarrow.Schema or None
        The schema of every batch :meth:`iter_batches` yields.
    """

    path: Path
    format: FileFormat
    encoding: str | None
    delimiter: str | None
    columns: list[str]
    total_units: int | None
    first_data_line: int
    schema: pa.Schema | None = field(default=None, repr=False)
    _json_text_columns: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _csv_skip_rows: int = field(default=1, repr=False, compare=False)

    def iter_batches(self, batch_rows: int = 1_000_000) -> Iterator[tuple[pa.RecordBatch, int]]:
        """Stream the file's rows as record batches, in file order, each row exactly once.

        Parameters
        ----------
        batch_rows : int
            Most rows in one batch. CSV and JSON Lines batches hold exactly this many rows
            except the last; Parquet batches may be shorter at row-group ends.

        Yields
        ------
        tuple of (pyarrow.RecordBatch, int)
            A batch with :attr:`schema`, and the ``units_done`` so far (see
            :attr:`total_units`); the last batch of a file reports all units done.

        Raises
        ------
        DataError
            A row cannot be parsed or decoded; the message names the file and, where known,
            the row or line.
        """
        if batch_rows < 1:
            raise UsageError(f"batch_rows must be at least 1, not {batch_rows}")
        if self.format == "csv":
            return _rebatch(_csv_chunks(self), batch_rows, self.total_units)
        if self.format == "jsonl":
            return _rebatch(_jsonl_chunks(self), batch_rows, self.total_units)
        return _parquet_batches(self, batch_rows)


def open_source_file(
    path: str | Path,
    *,
    format: FileFormat | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> SourceFile:
    """Inspect a data file and return a :class:`SourceFile` ready to stream.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv``/``.txt``, ``.jsonl``/``.ndjson``/``.json`` or ``.parquet``/``.pq``
        file; CSV and JSON Lines files may also be gzip-compressed (``customers.csv.gz``).
    format : {"csv", "jsonl", "parquet"}, optional
        Overrides the format the extension implies.
    encoding : str, optional
        Python codec of a CSV or JSON Lines file; sniffed with :func:`sniff_encoding` if omitted.
    delimiter : str, optional
        CSV field separator; sniffed with :func:`sniff_delimiter` if omitted.

    Returns
    -------
    SourceFile

    Raises
    ------
    DataError
        The file is missing, empty, of an unknown kind, or its header or (JSON Lines) any line
        is invalid.
    UsageError
        ``format``, ``encoding`` or ``delimiter`` is not a possible value.
    """
    path = Path(path)
    compressed = path.suffix.lower() == ".gz"
    fmt = format or _format_from_extension(path, compressed)
    if fmt not in ("csv", "jsonl", "parquet"):
        raise UsageError(f"unknown file format {fmt!r}; expected 'csv', 'jsonl' or 'parquet'")
    _check_is_readable_file(path)
    if fmt == "parquet":
        if compressed:
            raise DataError(f"{path}: Parquet files cannot be gzip-compressed; decompress it first")
        return _open_parquet(path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
    sample, truncated = _read_sample(path, compressed)
    if not sample:
        raise DataError(f"{path}: file is empty" + (" after decompression" if compressed else ""))
    encoding = encoding or sniff_encoding(sample, truncated=truncated)
    if fmt == "jsonl":
        return _open_jsonl(path, compressed, encoding)
    text = _decode_sample(path, sample, truncated, encoding)
    return _open_csv(path, encoding, delimiter, text, truncated)


def sniff_encoding(sample: bytes, *, truncated: bool = True) -> str:
    """Guess the Python codec of a text file from its first bytes.

    Parameters
    ----------
    sample : bytes
        The start of the file (:data:`SNIFF_BYTES` is plenty).
    truncated : bool
        Whether the file goes on after ``sample``: if so, a multi-byte character cut at the
        end of the sample does not count against an encoding.

    Returns
    -------
    str
        "utf-8-sig", "utf-16" or "utf-32" for a byte-order mark; "utf-16-le"/"utf-16-be" for
        BOM-less UTF-16; "utf-8" for valid UTF-8 (ASCII included); "gb18030" for Chinese text
        from Excel or WPS; otherwise "cp1252" when bytes 0x80-0x9F occur and are all Windows-1252
        characters (€, ’, “ ...), else "latin-1".

    Notes
    -----
    GB18030 is chosen when the sample decodes as GB18030 and most of its two-byte characters
    are common simplified hanzi or CJK punctuation (the GB2312 table): Latin-1 text almost never
    decodes as GB18030, and when it does its "characters" are an accented letter and an ASCII
    one. Traditional-Chinese GBK text fails that test; declare its encoding. "latin-1" and
    "cp1252" differ only in 0x80-0x9F, so a Windows-1252 file whose first 256 KiB hold no such
    byte is read as Latin-1 (a later € comes out as U+0080); declare "cp1252" to be sure.

    Examples
    --------
    >>> sniff_encoding("Peña".encode("latin-1")), sniff_encoding("张伟，北京".encode("gb18030"))
    ('latin-1', 'gb18030')
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        even_zeros, odd_zeros = sample[0::2].count(0), sample[1::2].count(0)
        if odd_zeros > len(sample) // 4 and even_zeros * 8 < odd_zeros:
            return "utf-16-le"
        if even_zeros > len(sample) // 4 and odd_zeros * 8 < even_zeros:
            return "utf-16-be"
    if _decodes(sample, "utf-8", truncated):
        return "utf-8"
    if _decodes(sample, "gb18030", truncated) and _looks_chinese(sample):
        return "gb18030"
    c1_bytes = set(re.findall(rb"[\x80-\x9f]", sample))
    if c1_bytes and not {byte[0] for byte in c1_bytes} & _CP1252_UNDEFINED:
        return "cp1252"
    return "latin-1"


def sniff_delimiter(text_sample: str) -> str:
    """Guess the field separator of CSV text among ``,`` ``;`` tab and ``|``.

    Counts each candidate outside quoted fields in the first 20 records and picks the one whose
    count in the header is non-zero and repeated by the most records (ties go to the larger
    count, then to the order above).

    Parameters
    ----------
    text_sample : str
        The decoded start of the file; a record cut at the end is ignored.

    Returns
    -------
    str
        The delimiter; "," when no candidate occurs in the header.

    Examples
    --------
    >>> sniff_delimiter('name;note\\n"Peña, Ana";"a;b"\\nLi;x\\n')
    ';'
    """
    records = [rec for rec in _scan_records(text_sample, _SNIFF_RECORDS) if rec.text.strip()]
    if len(records) > 1 and not records[-1].complete:
        records.pop()
    if not records:
        return ","
    header = records[0].counts
    best, best_key = ",", (0.0, 0)
    for candidate in _DELIMITERS:
        if header[candidate] == 0:
            continue
        agreeing = sum(rec.counts[candidate] == header[candidate] for rec in records)
        key = (agreeing / len(records), header[candidate])
        if key > best_key:
            best, best_key = candidate, key
    return best


# --- opening -------------------------------------------------------------------------------


def _format_from_extension(path: Path, compressed: bool) -> FileFormat:
    suffixes = [suffix.lower() for suffix in path.suffixes]
    extension = suffixes[-2] if compressed and len(suffixes) > 1 else path.suffix.lower()
    if extension not in _EXTENSIONS:
        accepted = " ".join(sorted(_EXTENSIONS))
        raise DataError(
            f"{path}: unknown file type {extension or '(no extension)'!r}; accepted extensions "
            f"are {accepted}, optionally followed by .gz for CSV and JSON Lines"
        )
    return _EXTENSIONS[extension]


def _check_is_readable_file(path: Path) -> None:
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a file")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise DataError(f"{path}: cannot be opened ({exc.strerror or exc})") from exc
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty")


def _read_sample(path: Path, compressed: bool) -> tuple[bytes, bool]:
    """The first SNIFF_BYTES of the (decompressed) file, and whether more follows."""
    stream = _Utf8Reader(path, compressed=compressed, encoding=None, keep_bom=True)
    try:
        sample = stream.read(SNIFF_BYTES + 1)
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"{path}: cannot be read ({_one_line(exc)})") from exc
    finally:
        stream.close()
    return sample[:SNIFF_BYTES], len(sample) > SNIFF_BYTES


def _decode_sample(path: Path, sample: bytes, truncated: bool, encoding: str) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=not truncated)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: cannot be decoded as {encoding}: byte 0x{sample[exc.start]:02x} at offset "
            f"{exc.start} is invalid; pass the file's encoding"
        ) from exc


def _open_parquet(path: Path) -> SourceFile:
    try:
        with pq.ParquetFile(path) as parquet:
            schema, num_rows = parquet.schema_arrow, parquet.metadata.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({_one_line(exc)})") from exc
    return SourceFile(path, "parquet", None, None, list(schema.names), num_rows, 1, schema)


def _open_csv(
    path: Path, encoding: str, delimiter: str | None, text: str, truncated: bool
) -> SourceFile:
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise UsageError(
            f"delimiter must be one character other than a quote or newline, not {delimiter!r}"
        )
    delimiter = delimiter or sniff_delimiter(text)
    records = _scan_records(text, limit=None)
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
    schema = pa.schema([(name, pa.string()) for name in columns])
    size = path.stat().st_size
    return SourceFile(
        path,
        "csv",
        encoding,
        delimiter,
        columns,
        size,
        first_data_line,
        schema,
        _csv_skip_rows=blank_lines_before + 1,
    )


def _open_jsonl(path: Path, compressed: bool, encoding: str) -> SourceFile:
    kinds: dict[str, set[str]] = {}
    first_line: int | None = None
    with _Utf8Reader(path, compressed=compressed, encoding=encoding) as stream:
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
    size = path.stat().st_size
    return SourceFile(
        path, "jsonl", encoding, None, list(kinds), size, first_line, schema, text_columns
    )


# --- reading bytes -------------------------------------------------------------------------


class _Utf8Reader:
    """A file, gunzipped if need be, read as UTF-8 bytes: what pyarrow's text readers parse.

    Other encodings are transcoded chunk by chunk with Python's incremental codecs; a UTF-8
    byte-order mark is dropped. ``position`` is how far into the file on disk reading has got,
    ``tail`` the last bytes handed out. Usable as ``pyarrow.PythonFile(reader, mode="r")``.
    """

    def __init__(
        self,
        path: Path,
        *,
        compressed: bool,
        encoding: str | None,
        keep_bom: bool = False,
        final_newline: bool = False,
    ) -> None:
        self.closed = False
        self.error: DataError | None = None
        self.tail: tuple[bytes, bytes] = (b"", b"")
        self._path = path
        self._encoding = encoding
        self._raw = pa.OSFile(str(path))
        self._stream: Any = pa.CompressedInputStream(self._raw, "gzip") if compressed else self._raw
        codec = codecs.lookup(encoding).name if encoding else "utf-8"
        transcode = codec not in ("utf-8", "utf-8-sig")
        self._decoder = codecs.getincrementaldecoder(codec)() if transcode else None
        self._strip_bom = not transcode and not keep_bom
        self._decoded_bytes = 0
        self._pending = b""
        self._eof = False
        self._add_final_newline = final_newline
        self._last_byte = b""

    @property
    def position(self) -> int:
        return cast(int, self._raw.tell())

    def read(self, nbytes: int = -1) -> bytes:
        if nbytes is None or nbytes < 0:
            return b"".join(iter(lambda: self.read(_CSV_BLOCK_BYTES), b""))
        pieces, size = [self._pending], len(self._pending)
        while size < nbytes and not self._eof:
            piece = self._next_piece(nbytes - size)
            pieces.append(piece)
            size += len(piece)
        data = b"".join(pieces) if len(pieces) > 2 or pieces[0] else pieces[-1]
        data, self._pending = data[:nbytes], data[nbytes:]
        if data:
            self.tail = (self.tail[1], data)
        return data

    def _next_piece(self, nbytes: int) -> bytes:
        raw = cast(bytes, self._stream.read(nbytes))
        if self._strip_bom:
            self._strip_bom = False
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
        piece = raw if self._decoder is None else self._transcode(raw)
        if not raw:
            self._eof = True
            if self._add_final_newline and self._last_byte not in (b"", b"\n"):
                piece += b"\n"  # pyarrow fails to skip a header that ends the file without one
        if piece:
            self._last_byte = piece[-1:]
        return piece

    def _transcode(self, raw: bytes) -> bytes:
        assert self._decoder is not None
        held = len(self._decoder.getstate()[0])
        try:
            text = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            offset = self._decoded_bytes - held + exc.start
            self.error = DataError(
                f"{self._path}: cannot be decoded as {self._encoding}: bytes at offset {offset} "
                f"({exc.reason}); pass the file's encoding"
            )
            raise self.error from exc
        self._decoded_bytes += len(raw)
        return text.encode("utf-8")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._stream.close()
            self._raw.close()

    def __enter__(self) -> _Utf8Reader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _rebatch(
    chunks: Iterable[tuple[pa.RecordBatch, int]], batch_rows: int, total_units: int | None
) -> Iterator[tuple[pa.RecordBatch, int]]:
    """Regroup batches of any size into batches of exactly ``batch_rows`` rows (bar the last).

    The last batch is held back until ``chunks`` is exhausted, so that it can report
    ``total_units`` done.
    """
    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    for batch, units in chunks:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        pending_rows += batch.num_rows
        if pending_rows <= batch_rows:
            continue
        merged = pending[0] if len(pending) == 1 else pa.concat_batches(pending)
        start = 0
        while merged.num_rows - start > batch_rows:
            yield merged.slice(start, batch_rows), units
            start += batch_rows
        pending, pending_rows = [merged.slice(start)], merged.num_rows - start
    if pending:
        last = pending[0] if len(pending) == 1 else pa.concat_batches(pending)
        yield last, total_units or 0


# --- CSV -----------------------------------------------------------------------------------


@dataclass
class _Record:
    text: str  # without its line break
    next_start: int  # where the next record starts in the scanned text
    complete: bool
    counts: dict[str, int]


def _scan_records(text: str, limit: int | None) -> Iterator[_Record]:
    """Split CSV text into records, counting candidate delimiters outside quoted fields.

    A quote opens a quoted field only at the start of a field (as pyarrow and Python's csv
    module read it); inside one, a doubled quote is a literal quote.
    """
    start, found, index, length = 0, 0, 0, len(text)
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes, field_start = False, True
    while index < length and (limit is None or found < limit):
        char = text[index]
        if in_quotes:
            if char == '"':
                if text.startswith('"', index + 1):
                    index += 1
                else:
                    in_quotes = False
        elif char in "\r\n":
            end = index
            if char == "\r" and text.startswith("\n", index + 1):
                index += 1
            index += 1
            yield _Record(text[start:end], index, True, counts)
            found += 1
            start, counts, field_start = index, dict.fromkeys(_DELIMITERS, 0), True
            continue
        elif char in counts:
            counts[char] += 1
            field_start = True
            index += 1
            continue
        elif char == '"' and field_start:
            in_quotes = True
        field_start = False
        index += 1
    if start < length and (limit is None or found < limit):
        yield _Record(text[start:], length, False, counts)


def _csv_chunks(source: SourceFile) -> Iterator[tuple[pa.RecordBatch, int]]:
    path, delimiter = source.path, source.delimiter or ","
    invalid_rows: list[pa_csv.InvalidRow] = []

    def remember_invalid_row(row: pa_csv.InvalidRow) -> str:
        if not row.text.strip():
            return "skip"  # a line of spaces, blank like an empty line
        invalid_rows.append(row)
        return "error"

    read_options = pa_csv.ReadOptions(
        use_threads=False,  # keeps row numbers in errors; on two cores it is also faster
        block_size=_CSV_BLOCK_BYTES,
        column_names=source.columns,
        skip_rows_after_names=source._csv_skip_rows,  # blank lines, then the header
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
        column_types={name: pa.string() for name in source.columns},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    compressed = path.suffix.lower() == ".gz"
    rows = 0
    last: pa.RecordBatch | None = None
    with _Utf8Reader(
        path, compressed=compressed, encoding=source.encoding, final_newline=True
    ) as stream:
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
            raise _csv_error(source, exc, invalid_rows) from exc
        if last is not None and _ends_in_open_quote(last, stream.tail, delimiter):
            raise DataError(
                f"{path}: row {rows + 1} (counting the header as row 1): a quoted field in column "
                f"{source.columns[-1]!r} is never closed (unterminated quote)"
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
    source: SourceFile, exc: BaseException, invalid_rows: list[pa_csv.InvalidRow]
) -> DataError:
    path = source.path
    if invalid_rows:
        row = invalid_rows[-1]
        where = "a row"
        if row.number:  # pyarrow counts the blank lines before the header too
            number = row.number - source._csv_skip_rows + 1
            where = f"row {number} (counting the header as row 1)"
        hint = ""
        if "\n" in row.text:
            hint = "; the row spans several lines, so a quote earlier on may be unterminated"
        fields = "field" if row.actual_columns == 1 else "fields"
        return DataError(
            f"{path}: {where} has {row.actual_columns} {fields}, expected "
            f"{row.expected_columns}: {_shorten(row.text)!r}{hint}"
        )
    message = _one_line(exc)
    if "invalid UTF8" in message:
        return DataError(
            f"{path}: not valid {source.encoding} text beyond the first {SNIFF_BYTES} bytes that "
            f"were sniffed; pass the file's encoding (for example encoding='cp1252')"
        )
    return DataError(f"{path}: cannot be read as CSV: {message}")


# --- JSON Lines ----------------------------------------------------------------------------


def _jsonl_chunks(source: SourceFile) -> Iterator[tuple[pa.RecordBatch, int]]:
    path = source.path
    schema = source.schema
    if schema is None:  # a SourceFile built by hand; open_source_file always sets it
        source = _open_jsonl(path, path.suffix.lower() == ".gz", source.encoding or "utf-8")
        schema = cast(pa.Schema, source.schema)
    text_columns = source._json_text_columns
    explicit = pa.schema([column for column in schema if column.name not in text_columns])
    compressed = path.suffix.lower() == ".gz"
    with _Utf8Reader(path, compressed=compressed, encoding=source.encoding) as stream:
        for block, first_line in _jsonl_blocks(path, stream):
            try:
                table = _read_json_block(block, explicit)
                table = _conform_parsed_json(block, table, schema, explicit, text_columns)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                table = _records_to_table(_json_records(path, block, first_line), schema)
            for batch in table.to_batches():
                yield batch, stream.position


def _jsonl_blocks(path: Path, stream: _Utf8Reader) -> Iterator[tuple[bytes, int]]:
    """Whole lines of UTF-8 JSON text, about 16 MiB at a time, with the first one's number."""
    carry, line = b"", 1
    while True:
        try:
            chunk = stream.read(_JSONL_CHUNK_BYTES)
        except (pa.ArrowException, OSError) as exc:
            raise DataError(f"{path}: cannot be read ({_one_line(exc)})") from exc
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


def _read_json_block(block: bytes, explicit: pa.Schema | None) -> pa.Table:
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
    retyped = [
        pa.field(column.name, _without_timestamps(column.type))
        for column in table.schema
        if column.name in text_columns and _has_timestamps(column.type)
    ]
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


def _has_timestamps(arrow_type: pa.DataType) -> bool:
    if pa.types.is_timestamp(arrow_type):
        return True
    if pa.types.is_struct(arrow_type):
        return any(_has_timestamps(arrow_type.field(i).type) for i in range(arrow_type.num_fields))
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return _has_timestamps(arrow_type.value_type)
    return False


def _without_timestamps(arrow_type: pa.DataType) -> pa.DataType:
    if pa.types.is_timestamp(arrow_type):
        return pa.string()
    if pa.types.is_struct(arrow_type):
        fields = [arrow_type.field(i) for i in range(arrow_type.num_fields)]
        return pa.struct([f.with_type(_without_timestamps(f.type)) for f in fields])
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return pa.list_(_without_timestamps(arrow_type.value_type))
    return arrow_type


def _leading_blank_lines(block: bytes) -> int:
    stripped = block.lstrip()
    return block[: len(block) - len(stripped)].count(b"\n")


# --- Parquet -------------------------------------------------------------------------------


def _parquet_batches(source: SourceFile, batch_rows: int) -> Iterator[tuple[pa.RecordBatch, int]]:
    rows = 0
    try:
        with pq.ParquetFile(source.path) as parquet:
            for batch in parquet.iter_batches(batch_size=batch_rows, use_threads=True):
                rows += batch.num_rows
                yield batch, rows
    except (OSError, pa.ArrowException) as exc:
        raise DataError(
            f"{source.path}: not a readable Parquet file after row {rows} ({_one_line(exc)})"
        ) from exc


# --- helpers -------------------------------------------------------------------------------


def _decodes(sample: bytes, encoding: str, truncated: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=not truncated)
    except UnicodeDecodeError:
        return False
    return True


def _looks_chinese(sample: bytes) -> bool:
    """Whether most multi-byte characters are common hanzi or CJK punctuation from GB2312.

    Latin-1 text rarely decodes as GB18030 at all; when it does, its pairs are an accented
    letter followed by an ASCII one, outside the GB2312 table.
    """
    matches = _GB18030_CHAR.findall(sample)
    return bool(matches) and sum(1 for pair in matches if pair) >= 0.5 * len(matches)


def _one_line(exc: BaseException) -> str:
    message = str(exc).strip() or type(exc).__name__
    for prefix in ("CSV parse error: ", "JSON parse error: "):
        message = message.removeprefix(prefix)
    return _shorten(" ".join(message.split()))


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
