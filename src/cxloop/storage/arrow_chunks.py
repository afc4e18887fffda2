"""Arrow data cut into chunks that DuckDB can scan on several threads.

DuckDB scans a registered Arrow table one record batch per thread at a time, so a 1M-row batch
(what an import reads) is coerced and inserted on one core however many there are. Cut into
chunks of one DuckDB row group (122,880 rows) -- slices, no data is copied -- it uses them all,
and it keeps the rows in order (``preserve_insertion_order`` is on by default).
"""

from __future__ import annotations

import pyarrow as pa

ROW_GROUP_ROWS = 122_880


def in_parallel_chunks(
    data: pa.Table | pa.RecordBatch, rows: int = ROW_GROUP_ROWS
) -> pa.Table | pa.RecordBatch:
    """``data`` with no chunk longer than ``rows`` (as it is when none is).

    Examples
    --------
    >>> table = in_parallel_chunks(pa.table({"n": range(5)}), rows=2)
    >>> [len(chunk) for chunk in table.to_batches()]
    [2, 2, 1]
    """
    table = data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
    if all(batch.num_rows <= rows for batch in table.to_batches()):
        return data
    return pa.Table.from_batches(table.to_batches(max_chunksize=rows), schema=table.schema)
