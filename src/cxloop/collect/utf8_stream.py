"""Read a text file, gunzipped if need be, as a stream of UTF-8 bytes for pyarrow's parsers.

pyarrow's CSV and JSON readers only read UTF-8; :class:`Utf8Stream` hands them any other
encoding transcoded chunk by chunk, in memory bounded by the chunk size, and keeps track of
how far into the file on disk it has got, for progress reports.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any, cast

import pyarrow as pa

from cxloop.collect.reader_errors import cannot_be_read
from cxloop.errors import DataError

__all__ = ["Utf8Stream", "is_gzipped", "read_start"]

_READ_ALL_CHUNK_BYTES = 4 << 20


def is_gzipped(path: Path) -> bool:
    """Whether a file is read through gzip: it is named ``*.gz``."""
    return path.suffix.lower() == ".gz"


def read_start(path: Path, nbytes: int) -> tuple[bytes, bool]:
    """The first ``nbytes`` of the (decompressed) file as they are, and whether more follows.

    Raises
    ------
    DataError
        The file cannot be read or decompressed.
    """
    stream = Utf8Stream(path, encoding=None, keep_bom=True)
    try:
        sample = stream.read(nbytes + 1)
    except (OSError, pa.ArrowException) as exc:
        raise cannot_be_read(path, exc) from exc
    finally:
        stream.close()
    return sample[:nbytes], len(sample) > nbytes


class Utf8Stream:
    """A file, gunzipped if need be, read as UTF-8 bytes: what pyarrow's text readers parse.

    Other encodings are transcoded chunk by chunk with Python's incremental codecs; a UTF-8
    byte-order mark is dropped. ``position`` is how far into the file on disk reading has got,
    ``tail`` the last bytes handed out. Usable as ``pyarrow.PythonFile(stream, mode="r")``.

    Parameters
    ----------
    path : Path
        The file; read through gzip when :func:`is_gzipped`.
    encoding : str or None
        Python codec of the file; None for UTF-8.
    keep_bom : bool
        Hand out a UTF-8 byte-order mark rather than drop it.
    final_newline : bool
        End the text with a newline if the file does not.
    """

    def __init__(
        self,
        path: Path,
        *,
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
        self._stream: Any = (
            pa.CompressedInputStream(self._raw, "gzip") if is_gzipped(path) else self._raw
        )
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
        """Bytes read so far from the file on disk (compressed bytes for gzip)."""
        return cast(int, self._raw.tell())

    def read(self, nbytes: int = -1) -> bytes:
        """Up to ``nbytes`` of UTF-8 text (all the rest when negative); ``b""`` at the end."""
        if nbytes is None or nbytes < 0:
            return b"".join(iter(lambda: self.read(_READ_ALL_CHUNK_BYTES), b""))
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

    def __enter__(self) -> Utf8Stream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
