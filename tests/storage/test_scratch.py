from __future__ import annotations

import pyarrow as pa

from cxloop.storage.scratch import ScratchEngine


def test_query_binds_arrow_tables_and_uses_utc() -> None:
    with ScratchEngine() as engine:
        out = engine.query(
            "SELECT sum(x) AS s, current_setting('TimeZone') AS tz FROM t",
            t=pa.table({"x": [1, 2, 3]}),
        )
    assert out.to_pylist() == [{"s": 6, "tz": "UTC"}]
