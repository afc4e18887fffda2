"""Baselines too slow at full size run on a stated random sample, compared per row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cxloop.bench.baselines import sample_files, sample_people


def test_files_over_the_limit_are_sampled_the_rest_kept(tmp_path: Path) -> None:
    big, small = tmp_path / "big.parquet", tmp_path / "small.parquet"
    pq.write_table(pa.table({"id": list(range(1000))}), big)
    pq.write_table(pa.table({"id": list(range(50))}), small)
    files, sampled = sample_files({"big": big, "small": small}, 100, tmp_path)
    assert sampled == ["big"] and files["small"] == small
    ids = pq.read_table(files["big"]).column("id").to_pylist()
    assert len(ids) == 100 == len(set(ids))
    assert max(ids) > 500  # drawn from the whole file, not its first rows
    (tmp_path / "again").mkdir()
    again, _ = sample_files({"big": big}, 100, tmp_path / "again")
    assert pq.read_table(again["big"]).column("id").to_pylist() == ids  # repeatable


def test_people_are_sampled_with_all_their_records() -> None:
    truth = {f"crm:{p}": str(p) for p in range(1000)} | {
        f"shop:{p}": str(p) for p in range(0, 1000, 2)
    }
    records = pd.DataFrame({"record_id": list(truth)})
    sample = sample_people(records, truth, 300)
    assert 250 <= len(sample) <= 350
    people = sample["record_id"].map(truth)
    for person in people.unique():
        expected = 2 if int(person) % 2 == 0 else 1
        assert (people == person).sum() == expected
    assert sample_people(records, truth, 5000) is records
