"""How long ``cxloop bench --scale N`` will take, and how much memory, from smaller runs.

Reads the results files (``DIR/results.jsonl`` of ``cxloop bench --data DIR``) of runs at
several scales and, for each stage's whole process (start-up, cxloop, baseline), extrapolates
to ``--target`` customers (default 1M). CPU seconds, not wall seconds, are extrapolated: on a
shared machine the wall time is mostly waiting for a core, and the load changes between runs.

- cxloop's part (the stage process's CPU seconds less its baseline's share) linearly, with
  the marginal cost per customer between the two largest runs (fixed costs stay fixed); the
  collector sends a fixed number of events whatever the scale, so its mean is taken;
- the baseline's part as its CPU per row (its wall seconds times the process's CPU share),
  times the rows it will get at the target:
  all of them, or its sample (``--*-sample``), whichever is fewer;
- peak memory: cxloop's (the peak before the baseline started) linearly from the two largest
  runs, and the baseline's own growth scaled to the rows it will get; the larger of the two.

The wall time on a quiet 2-core machine lies between CPU/2 (both cores busy throughout) and the
CPU seconds (one core): the text analysis and the baselines run on one core.

    python -m benchmarks.full_run_estimate /tmp/bench/s*/results.jsonl --target 1000000
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

#: default baseline samples of ``cxloop bench`` (rows the baseline gets at most), per stage
SAMPLES = {"import": 5_000_000, "resolve": 100_000, "text": 20_000, "kpi": 5_000_000,
           "clv": 50_000}  # fmt: skip
#: the import baseline's files per customer: events, feedback, orders, CRM and shop records
IMPORT_FILES = (50.0, 5.0, 2.5, 1.0, 0.6)


def load(path: Path) -> tuple[int, dict[str, dict[str, Any]], dict[str, Any]]:
    """A run's scale, its latest figure per stage and its data's ``company.json``."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    figures = {r["figure"]["stage"]: r["figure"] for r in records[1:] if "figure" in r}
    company = next((r["company"] for r in records if "company" in r), None)
    if company is None:  # a file written before the company line: read it from the data
        company = json.loads(
            (Path(records[0]["run"]["data"]) / "data" / "company.json").read_text()
        )
    return int(records[0]["run"]["customers"]), figures, company


def baseline_rows(stage: str, figure: dict[str, Any], scale: float, target: int) -> float:
    """Rows the stage's baseline gets at ``target`` customers, its sample considered."""
    sample = SAMPLES.get(stage)
    if sample is None:  # HTTP stages: a fixed number of requests
        return float(figure["baseline_units"] or 0)
    if stage == "import":
        return sum(min(sample, per * target) for per in IMPORT_FILES)
    return min(sample, figure["units"] * target / scale)


def linear(points: list[tuple[int, float]], target: int) -> float:
    """The value at ``target`` on the line through the two largest points (never falling)."""
    (n1, v1), (n2, v2) = sorted(points)[-2:]
    return v2 + (target - n2) * max(0.0, (v2 - v1) / (n2 - n1))


def estimate(paths: list[Path], target: int) -> list[dict[str, Any]]:
    """Per stage: estimated CPU seconds (and the baseline's part) and peak memory at
    ``target`` customers."""
    runs = sorted(load(p) for p in paths)
    rows = [{"stage": "generate", "baseline_s": 0.0,
             "cpu_s": linear([(n, c["generated_cpu_s"]) for n, _, c in runs], target),
             "peak_mb": linear([(n, c["peak_mb"]) for n, _, c in runs], target)}]  # fmt: skip
    for stage in dict.fromkeys(stage for _, figures, _ in runs for stage in figures):
        figures = [(n, f[stage]) for n, f, _ in runs if stage in f and "error" not in f[stage]]
        if len(figures) < 2:
            continue
        n, last = figures[-1]
        base_rows = baseline_rows(stage, last, n, target)
        share = last["stage_cpu_s"] / last["stage_s"]  # the process's share of a core
        per_row = share * (last["baseline_s"] or 0.0) / (last["baseline_units"] or 1)
        own = [(m, f["stage_cpu_s"] * (1 - (f["baseline_s"] or 0.0) / f["stage_s"]))
               for m, f in figures]  # fmt: skip
        mean = sum(v for _, v in own) / len(own)
        cpu = mean if stage == "collector" else linear(own, target)
        before = [(m, f["extra"].get("peak_before_baseline_mb", f["peak_mb"])) for m, f in figures]
        baseline_mb = last["peak_mb"] - before[-1][1]
        scaled = (
            baseline_mb * base_rows / (last["baseline_units"] or 1) if last["baseline_s"] else 0
        )
        rows.append({
            "stage": stage, "baseline_s": per_row * base_rows, "cpu_s": cpu + per_row * base_rows,
            "peak_mb": max(linear(before, target), before[-1][1] + scaled),
        })  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path, help="results.jsonl of 2+ scales")
    parser.add_argument("--target", type=int, default=1_000_000, help="customers")
    args = parser.parse_args()
    rows = estimate(args.results, args.target)
    print(f"Estimates for --scale {args.target:,} (extrapolated, not measured)\n")
    print("| stage | CPU s (est.) | of which baseline | wall on 2 quiet cores (est.) "
          "| peak memory (est.) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        cpu = r["cpu_s"]
        wall = f"{cpu / 120:,.0f}–{cpu / 60:,.0f} min" if cpu >= 60 else "under 1 min"
        print(f"| {r['stage']} | {cpu:,.0f} | {r['baseline_s']:,.0f} | {wall} "
              f"| {r['peak_mb'] / 1024:,.1f} GB |")  # fmt: skip
    total = sum(r["cpu_s"] for r in rows)
    print(f"| total | {total:,.0f} | | {total / 120:,.0f}–{total / 60:,.0f} min | |")


if __name__ == "__main__":
    main()
