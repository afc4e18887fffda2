"""``benchmarks/capacity_fit.py``: per-stage results files (``.jsonl``) and summaries
(``.json``) read alike; slopes, marginal cost and the prediction from the two largest sizes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.capacity_fit import growth, load, load_run, table


def jsonl(path: Path, customers: int, resolve_cpu: float, peak: float | None) -> Path:
    """A results file as ``cxloop bench --data`` writes it: run, company, a figure per stage
    (the resolve stage twice, as after a resumed run: the later one wins)."""
    extra = {} if peak is None else {"peak_before_baseline_mb": peak}
    figure = {"stage": "resolve", "units": customers * 2, "cxloop_s": 1.0,
              "cxloop_cpu_s": resolve_cpu, "baseline_s": 2.0, "peak_mb": 9_999.0,
              "extra": extra}  # fmt: skip
    pages = {"stage": "pages", "units": 1, "cxloop_s": 0.5, "cxloop_cpu_s": 0.0,
             "baseline_s": 0.1, "peak_mb": 700.0, "extra": {"p50_ms": 500.0}}  # fmt: skip
    lines = [
        {"run": {"customers": customers, "data": str(path.parent)}},
        {"company": {"customers": customers, "generated_cpu_s": customers / 1000, "peak_mb": 4e2}},
        {"figure": {**figure, "cxloop_cpu_s": -1.0}},
        {"figure": figure},
        {"figure": pages},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_jsonl_file_gives_cxloop_cpu_and_peak_before_the_baseline(tmp_path: Path) -> None:
    run = load_run(jsonl(tmp_path / "a.jsonl", 10_000, 20.0, 500.0))
    assert run.customers == 10_000
    assert run.costs[("resolve", "cpu")].value == 20.0  # the later figure of the stage
    peak = run.costs[("resolve", "peak_mb")]
    assert (peak.value, peak.bound) == (500.0, False)
    assert run.costs[("generate", "cpu")].value == 10.0
    assert run.costs[("pages", "cpu")].value == 500.0  # an HTTP stage: its p50 latency
    assert not run.costs[("pages", "peak_mb")].bound  # the server's peak


def test_a_peak_with_the_baseline_in_it_is_a_bound_left_out_of_the_fit(tmp_path: Path) -> None:
    runs = load([
        jsonl(tmp_path / "c.jsonl", 100_000, 200.0, 2_000.0),
        jsonl(tmp_path / "a.jsonl", 10_000, 20.0, None),
        jsonl(tmp_path / "b.jsonl", 30_000, 60.0, 600.0),
    ])  # fmt: skip
    assert [r.customers for r in runs] == [10_000, 30_000, 100_000]
    points = [r.costs[("resolve", "peak_mb")] for r in runs]
    assert points[0].bound and points[0].value == 9_999.0
    found = growth(points, 1_000_000)
    assert found is not None and found["fitted"] == [30_000, 100_000]
    lines = table(runs, 1_000_000)
    assert any(line.startswith("| resolve | peak MB | 9,999† |") for line in lines)


def test_slopes_marginal_cost_and_prediction_from_the_two_largest_sizes(tmp_path: Path) -> None:
    files = [jsonl(tmp_path / f"{n}.jsonl", n, cpu, None)
             for n, cpu in ((10_000, 5.0), (100_000, 20.0), (1_000_000, 200.0))]  # fmt: skip
    points = [r.costs[("resolve", "cpu")] for r in load(files)]
    found = growth(points, 10_000_000)
    assert found is not None
    assert found["local_slope"] == pytest.approx(1.0)  # 10× the customers, 10× the CPU
    assert 0.6 < found["slope"] < 1.0  # the fixed cost of the smallest run flattens it
    assert found["marginal_per_1k"] == pytest.approx(180.0 / 900.0)
    assert found["power"] == pytest.approx(2_000.0)
    assert found["linear"] == pytest.approx(200.0 + 9_000_000 * 180.0 / 900_000)


def test_a_summary_json_file_still_reads(tmp_path: Path) -> None:
    summary = {"scale": {"customers": 3_000}, "figures": [
        {"stage": "text", "units": 10, "cxloop_s": 2.0, "cxloop_cpu_s": 1.5, "baseline_s": 0.5,
         "peak_mb": 450.0, "extra": {}},
        {"stage": "kpi", "error": "failed"},
    ]}  # fmt: skip
    path = tmp_path / "scale-3000.json"
    path.write_text(json.dumps(summary), encoding="utf-8")
    run = load_run(path)
    assert run.costs[("text", "cpu")].value == 1.5
    assert run.costs[("text", "peak_mb")].bound
    assert ("kpi", "cpu") not in run.costs


def test_a_file_without_a_run_line_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"figure": {"stage": "kpi"}}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="other.jsonl"):
        load_run(path)
