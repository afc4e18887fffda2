"""``benchmarks/full_run_estimate.py``: marginal cost per customer, baselines capped at their
sample, from the results files of smaller runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.full_run_estimate import estimate


def run(folder: Path, customers: int, text_cpu: float) -> Path:
    (folder / "data").mkdir(parents=True)
    made = {"customers": customers, "generated_cpu_s": customers / 1000, "peak_mb": 300.0}
    (folder / "data" / "company.json").write_text(json.dumps(made), encoding="utf-8")
    text = {"stage": "text", "units": customers * 2, "stage_s": text_cpu + 10.0,
            "stage_cpu_s": text_cpu + 10.0, "baseline_s": 10.0, "baseline_units": 20_000,
            "peak_mb": 600.0, "extra": {"peak_before_baseline_mb": 500.0}}  # fmt: skip
    lines = [{"run": {"customers": customers, "data": str(folder)}}, {"figure": text}]
    path = folder / "results.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_linear_in_customers_with_the_baseline_at_its_sample(tmp_path: Path) -> None:
    paths = [run(tmp_path / "a", 10_000, 20.0), run(tmp_path / "b", 30_000, 60.0)]
    rows = {r["stage"]: r for r in estimate(paths, 1_000_000)}
    assert rows["generate"]["cpu_s"] == pytest.approx(1000.0)
    text = rows["text"]
    assert text["baseline_s"] == pytest.approx(10.0)  # VADER stays at its 20,000 texts
    assert text["cpu_s"] == pytest.approx(60.0 + 970_000 * 40.0 / 20_000 + 10.0)
    assert text["peak_mb"] == pytest.approx(600.0)  # flat: the baseline's sample does not grow
