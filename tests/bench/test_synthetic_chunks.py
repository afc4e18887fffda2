"""The synthetic company is streamed to Parquet in chunks: the same files, whatever the size."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cxloop.bench import synthetic
from cxloop.bench.synthetic import Scale, write_company


def test_orders_and_feedback_written_in_several_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synthetic, "CHUNK_ROWS", 700)  # 2,000 feedback rows, 400 customers
    files = write_company(tmp_path, Scale(400))
    feedback = pq.ParquetFile(files.path("feedback"))
    assert feedback.metadata.num_row_groups >= 3
    ids = feedback.read(columns=["feedback_id"]).column(0).to_pylist()
    assert ids == [f"f{i}" for i in range(2000)]
    orders = pq.read_table(files.path("orders")).to_pandas()
    assert pq.ParquetFile(files.path("orders")).metadata.num_row_groups >= 3
    assert orders["order_id"].tolist() == [f"o{i}" for i in range(len(orders))]
    assert orders["customer_id"].nunique() == 400 == files.rows["customers_crm"]
    assert len(orders) == files.rows["orders"]
