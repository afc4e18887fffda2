"""Arrow data cut for parallel scans: same rows, same order, no chunk too long."""

from __future__ import annotations

import pyarrow as pa

from cxloop.storage.arrow_chunks import in_parallel_chunks


def test_long_batches_are_cut_in_order() -> None:
    batch = pa.record_batch({"n": list(range(10)), "s": [str(i) for i in range(10)]})
    for data in (batch, pa.Table.from_batches([batch, batch])):
        out = in_parallel_chunks(data, rows=4)
        assert all(chunk.num_rows <= 4 for chunk in out.to_batches())
        expected = data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
        assert out.equals(expected)


def test_short_data_is_returned_as_it_is() -> None:
    batch = pa.record_batch({"n": [1, 2]})
    assert in_parallel_chunks(batch, rows=4) is batch
