"""How long ``cxloop bench --scale N`` will take, and how much memory, from smaller runs.

Reads the results files (``DIR/results.jsonl`` of ``cxloop bench --data DIR``) of runs at
several scales and, for each stage's whole process (set-up, cxloop, baseline), extrapolates to
``--target`` customers (default 1M):

- cxloop's part (the stage process's seconds less its baseline's) linearly, with the marginal
  cost per customer between the two largest runs (the fixed costs stay fixed);
- the baseline's part as its measured time per row, times the rows it will get at the target:
  all of them, or its sample (``--*-sample``), whichever is fewer;
- peak memory linearly from the two largest runs as well (an upper bound for the stages that
  stream, a fair guess for those that hold their data).

Wall seconds are measured on a shared machine: read the CPU column beside them.

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
    company = json.loads((Path(records[0]["run"]["data"]) / "data" / "company.json").read_text())
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
    """The value at ``target`` on the line through the two largest points."""
    (n1, v1), (n2, v2) = sorted(points)[-2:]
    return v2 + (target - n2) * max(0.0, (v2 - v1) / (n2 - n1))


def estimate(paths: list[Path], target: int) -> list[dict[str, Any]]:
    """Per stage: estimated wall and CPU seconds and peak memory at ``target`` customers."""
    runs = sorted(load(p) for p in paths)
    rows = [{"stage": "generate",
             "wall_s": linear([(n, c["generated_s"]) for n, _, c in runs], target),
             "cpu_s": linear([(n, c.get("generated_cpu_s", 0.0)) for n, _, c in runs], target),
             "peak_mb": linear([(n, c.get("peak_mb", 0.0)) for n, _, c in runs], target),
             "baseline_s": 0.0}]  # fmt: skip
    for stage in runs[-1][1]:
        figures = [(n, f[stage]) for n, f, _ in runs if stage in f and "error" not in f[stage]]
        if len(figures) < 2:
            continue
        own = [(n, f["stage_s"] - (f["baseline_s"] or 0.0)) for n, f in figures]
        n, last = figures[-1]
        per_row = (last["baseline_s"] or 0.0) / (last["baseline_units"] or 1)
        base = per_row * baseline_rows(stage, last, n, target)
        rows.append({
            "stage": stage, "wall_s": linear(own, target) + base, "baseline_s": base,
            "cpu_s": linear([(n, f["stage_cpu_s"]) for n, f in figures], target),
            "peak_mb": linear([(n, f["peak_mb"]) for n, f in figures], target),
        })  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path, help="results.jsonl of 2+ scales")
    parser.add_argument("--target", type=int, default=1_000_000, help="customers")
    args = parser.parse_args()
    rows = estimate(args.results, args.target)
    print(f"Estimates for --scale {args.target:,} (extrapolated, not measured)\n")
    print("| stage | wall (est.) | of which baseline | CPU s (est.) | peak memory (est.) |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['stage']} | {r['wall_s'] / 60:,.1f} min | {r['baseline_s'] / 60:,.1f} min "
              f"| {r['cpu_s']:,.0f} | {r['peak_mb'] / 1024:,.1f} GB |")  # fmt: skip
    total = sum(r["wall_s"] for r in rows)
    print(f"| total | {total / 60:,.0f} min | | {sum(r['cpu_s'] for r in rows):,.0f} | |")


if __name__ == "__main__":
    main()
