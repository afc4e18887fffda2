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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq

from cxloop.collect.csv_reader import csv_batches, read_csv_header
from cxloop.collect.jsonl_reader import JsonlLayout, jsonl_batches, scan_jsonl
from cxloop.collect.reader_errors import one_line
from cxloop.collect.sniffing import SNIFF_BYTES, decode_sample, sniff_delimiter, sniff_encoding
from cxloop.collect.utf8_stream import is_gzipped, read_start
from cxloop.errors import DataError, UsageError

__all__ = [
    "SNIFF_BYTES",
    "FileFormat",
    "SourceFile",
    "open_source_file",
    "sniff_delimiter",
    "sniff_encoding",
]

FileFormat = Literal["csv", "jsonl", "parquet"]

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
            chunks = csv_batches(
                self.path,
                encoding=self.encoding,
                delimiter=self.delimiter or ",",
                columns=self.columns,
                skip_rows=self._csv_skip_rows,
            )
            return _rebatch(chunks, batch_rows, self.total_units)
        if self.format == "jsonl":
            return _rebatch(_jsonl_chunks(self), batch_rows, self.total_units)
        return _parquet_batches(self.path, batch_rows)


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
    compressed = is_gzipped(path)
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
    sample, truncated = read_start(path, SNIFF_BYTES)
    if not sample:
        raise DataError(f"{path}: file is empty" + (" after decompression" if compressed else ""))
    encoding = encoding or sniff_encoding(sample, truncated=truncated)
    if fmt == "jsonl":
        return _open_jsonl(path, encoding)
    text = _decode_sample(path, sample, truncated, encoding)
    return _open_csv(path, encoding, delimiter, text, truncated)


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


def _decode_sample(path: Path, sample: bytes, truncated: bool, encoding: str) -> str:
    try:
        return decode_sample(sample, encoding, truncated=truncated)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: cannot be decoded as {encoding}: byte 0x{sample[exc.start]:02x} at offset "
            f"{exc.start} is invalid; pass the file's encoding"
        ) from exc


def _open_csv(
    path: Path, encoding: str, delimiter: str | None, text: str, truncated: bool
) -> SourceFile:
    header = read_csv_header(path, text, delimiter=delimiter, truncated=truncated)
    schema = pa.schema([(name, pa.string()) for name in header.columns])
    size = path.stat().st_size
    return SourceFile(
        path,
        "csv",
        encoding,
        header.delimiter,
        header.columns,
        size,
        header.first_data_line,
        schema,
        _csv_skip_rows=header.skip_rows,
    )


def _open_jsonl(path: Path, encoding: str) -> SourceFile:
    layout = scan_jsonl(path, encoding)
    size = path.stat().st_size
    return SourceFile(
        path,
        "jsonl",
        encoding,
        None,
        list(layout.schema.names),
        size,
        layout.first_data_line,
        layout.schema,
        layout.text_columns,
    )


def _open_parquet(path: Path) -> SourceFile:
    try:
        with pq.ParquetFile(path) as parquet:
            schema, num_rows = parquet.schema_arrow, parquet.metadata.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({one_line(exc)})") from exc
    return SourceFile(path, "parquet", None, None, list(schema.names), num_rows, 1, schema)


# --- reading -------------------------------------------------------------------------------


def _jsonl_chunks(source: SourceFile) -> Iterator[tuple[pa.RecordBatch, int]]:
    if source.schema is None:  # a SourceFile built by hand; open_source_file always sets it
        layout = scan_jsonl(source.path, source.encoding or "utf-8")
    else:
        layout = JsonlLayout(source.schema, source._json_text_columns, source.first_data_line)
    yield from jsonl_batches(source.path, encoding=source.encoding, layout=layout)


def _parquet_batches(path: Path, batch_rows: int) -> Iterator[tuple[pa.RecordBatch, int]]:
    rows = 0
    try:
        with pq.ParquetFile(path) as parquet:
            for batch in parquet.iter_batches(batch_size=batch_rows, use_threads=True):
                rows += batch.num_rows
                yield batch, rows
    except (OSError, pa.ArrowException) as exc:
        raise DataError(
            f"{path}: not a readable Parquet file after row {rows} ({one_line(exc)})"
        ) from exc


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
