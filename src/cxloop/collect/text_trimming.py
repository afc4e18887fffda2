"""Whitespace around text cells, trimmed in Arrow before the coercion SQL runs.

Every text value an import reads is trimmed of surrounding whitespace (spaces, tabs, line breaks
and the no-break and ideographic spaces of :data:`WHITESPACE`). Doing that in SQL means testing
each value's first and last character against every whitespace character, for every text cell
of the file, although hardly any needs it. Here a column is looked at once per batch: the first
and last byte of every value are read straight from the Arrow buffers (a few milliseconds per
million values), and only a column where some value may start or end with whitespace is trimmed,
with Arrow's own ``utf8_trim``. The result is the same as trimming every value.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

WHITESPACE = " \t\r\n\u00a0\u202f\u2009\u3000"
_ENCODED = [w.encode("utf-8") for w in WHITESPACE]
_FIRST_BYTES = np.zeros(256, dtype=bool)
_FIRST_BYTES[[b[0] for b in _ENCODED]] = True
_LAST_BYTES = np.zeros(256, dtype=bool)
_LAST_BYTES[[b[-1] for b in _ENCODED]] = True


def may_need_trimming(values: pa.Array) -> bool:
    """Whether some value of a string array may start or end with :data:`WHITESPACE`.

    It looks only at the first and last byte of each value, so it may say True for a value
    that merely starts or ends with a byte those characters share (such as ``"é"``); it never
    says False for a value that needs trimming.

    Examples
    --------
    >>> may_need_trimming(pa.array(["a", "b c"])), may_need_trimming(pa.array(["a", "b "]))
    (False, True)
    """
    if len(values) == 0 or values.null_count == len(values):
        return False
    offset_type = np.int64 if pa.types.is_large_string(values.type) else np.int32
    _, offsets_buffer, data_buffer = values.buffers()
    if data_buffer is None or offsets_buffer is None:
        return False
    offsets: np.ndarray[tuple[int], np.dtype[np.int64]] = np.frombuffer(
        offsets_buffer, dtype=offset_type
    )[values.offset : values.offset + len(values) + 1].astype(np.int64, copy=False)
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts  # null slots may hold bytes too: looking at them only costs time
    if not filled.any():
        return False
    return bool(
        _FIRST_BYTES[data[starts[filled]]].any() or _LAST_BYTES[data[ends[filled] - 1]].any()
    )


def trimmed_values(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The values without surrounding :data:`WHITESPACE` (empty text stays empty text)."""
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return values
    if isinstance(values, pa.ChunkedArray):
        chunks = [trimmed_values(chunk) for chunk in values.chunks]
        if all(new is old for new, old in zip(chunks, values.chunks, strict=True)):
            return values
        return pa.chunked_array(chunks, values.type)
    if not may_need_trimming(values):
        return values
    return pc.utf8_trim(values, characters=WHITESPACE)


def add_trimmed_columns(
    batch: pa.RecordBatch | pa.Table, copies: dict[str, str]
) -> pa.RecordBatch | pa.Table:
    """``batch`` with, for each ``source column → name`` in ``copies``, a trimmed copy named so.

    A column that needs no trimming is added as it is, without copying its data.
    """
    for source, name in copies.items():
        batch = batch.append_column(name, trimmed_values(batch.column(source)))  # type: ignore[arg-type]
    return batch
