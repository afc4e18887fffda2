"""The record ids one import has loaded so far, so that its batches skip the warehouse key check.

An import appends each batch only where its ids are new. Looking them up in the warehouse costs a
scan of the whole target table per batch, including the rows the import itself added earlier in
its transaction, so a large file took time that grew with the square of its size. When the
target held no id that the import can produce when it began (see
:meth:`~cxloop.storage.warehouse.Warehouse.holds_keys`), an id is new exactly when no earlier
batch of the same import had it; :class:`ImportedKeys` answers that from a set of 64-bit hashes
in the import's scratch DuckDB. A hash collision can only make it answer "not sure", and the
batch then goes through the warehouse's own check, so the answer is never wrong.
"""

from __future__ import annotations

import pyarrow as pa

from cxloop.storage.scratch import ScratchEngine

_TABLE = "__imported_key_hashes"


class ImportedKeys:
    """A record of the ids appended so far, kept as hashes in ``scratch``.

    Examples
    --------
    >>> with ScratchEngine() as scratch:
    ...     keys = ImportedKeys(scratch)
    ...     keys.all_new(pa.array(["a", "b"])), keys.all_new(pa.array(["c", "a"]))
    (True, False)
    """

    def __init__(self, scratch: ScratchEngine) -> None:
        self._scratch = scratch
        scratch.query(f"CREATE OR REPLACE TABLE {_TABLE} (h UBIGINT)")

    def all_new(self, keys: pa.Array | pa.ChunkedArray) -> bool:
        """Record ``keys``; say whether they are certainly new.

        True when none is null, none repeats another and none was recorded by an earlier call.
        False when that cannot be shown (a hash collision, however unlikely, answers False too).
        """
        if len(keys) == 0:
            return True
        batch = pa.table({"k": keys})
        row = self._scratch.query(
            f"""WITH b AS (SELECT hash(k) AS h, k FROM keys)
            SELECT count(*) FILTER (WHERE k IS NULL) + count(*) - count(DISTINCT h)
                   + (SELECT count(*) FROM b SEMI JOIN {_TABLE} AS s ON b.h = s.h)
            FROM b""",
            keys=batch,
        )
        self._scratch.query(f"INSERT INTO {_TABLE} SELECT hash(k) FROM keys", keys=batch)
        return row.column(0)[0].as_py() == 0
