"""How each cost of ``cxloop bench`` grows with data size: slopes, marginal costs, predictions.

Reads the results of ``cxloop bench --scale N`` at several sizes — the per-stage results files
(``FILE.jsonl``, one figure per line as each stage ends; the latest figure of a stage wins, as
when a run was resumed) or the summary ``FILE.json`` — and, for each stage:

- fits ``log(cost) = a + k·log(customers)`` by least squares over every size (``k`` near 1 is
  linear, near 0 a fixed cost, above 1 faster than linear);
- the slope between the two largest sizes, ``log(c2 / c1) / log(n2 / n1)``, and the marginal
  cost between them per 1,000 customers, ``(c2 − c1) / (n2 − n1)``: at small sizes fixed costs
  (starting Python, loading libraries) flatten the fit over every size;
- the cost at ``--target`` customers (default 10M) two ways from the two largest sizes: on the
  power law of their slope and on the line of their marginal cost. The two agree for a linear
  cost; where they differ, the truth is likely between them.

Costs are cxloop's CPU seconds (``cxloop_cpu_s``: the process's user + system time, DuckDB's
threads included; waiting for a core on a loaded machine does not add to it, so runs on a busy
machine can be compared with a quiet one) and cxloop's peak resident memory: the process's peak
before its baseline started where the results record it (``peak_before_baseline_mb``), else the
whole process's peak, baseline included, an upper bound marked ``†`` and left out of the fits
when two sizes have cxloop's own figure. The HTTP stages spend their CPU in a server process, so
their cost is the median latency (``p50_ms``) under 8 concurrent clients: a wall time, which the
machine's load inflates. ``generate`` is the synthetic data's generator (not part of cxloop).

    python -m benchmarks.capacity_fit docs/bench-results/full-run-estimate/*.jsonl \\
        docs/bench-results/scale-1000000.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

#: stages whose cost is a latency measured over HTTP, not CPU seconds of the stage's process
HTTP_STAGES = ("collector", "pages")


@dataclass
class Point:
    """One stage's cost at one size; ``bound`` when it is an upper bound (baseline included)."""

    customers: int
    value: float
    bound: bool = False


@dataclass
class Run:
    """A run's size and, per stage and measure (``cpu``, ``peak_mb``), its figure."""

    customers: int
    costs: dict[tuple[str, str], Point] = field(default_factory=dict)


def fit(work: list[float], cost: list[float]) -> tuple[float, float]:
    """Slope and intercept of log(cost) against log(work)."""
    slope, intercept = np.polyfit(np.log(work), np.log(cost), 1)
    return float(slope), float(intercept)


def _figure_costs(customers: int, figure: dict[str, Any]) -> dict[tuple[str, str], Point]:
    stage = figure["stage"]
    if "error" in figure:
        return {}
    extra = figure.get("extra") or {}
    if stage in HTTP_STAGES:
        value = extra.get("p50_ms")
        if value is None:  # results written before the latency was recorded: wall per unit
            value = 1000 * figure["cxloop_s"] / max(figure["units"], 1)
        cpu = Point(customers, float(value))
    else:
        cpu = Point(customers, float(figure["cxloop_cpu_s"]))
    own = extra.get("peak_before_baseline_mb")
    # an HTTP stage's peak is its server's, which serves the baseline's route too
    has_baseline = bool(figure.get("baseline_s")) and stage not in HTTP_STAGES
    peak = Point(customers, float(own if own is not None else figure["peak_mb"]),
                 bound=own is None and has_baseline)  # fmt: skip
    return {(stage, "cpu"): cpu, (stage, "peak_mb"): peak}


def load_run(path: Path) -> Run:
    """A run from a results file: ``FILE.jsonl`` (per stage) or ``FILE.json`` (summary)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        head = next((r["run"] for r in lines if "run" in r), None)
        if head is None:
            raise ValueError(f"{path}: no run line (not a results file of cxloop bench)")
        run = Run(int(head["customers"]))
        company = next((r["company"] for r in lines if "company" in r), None)
        figures = {r["figure"]["stage"]: r["figure"] for r in lines if "figure" in r}
    else:
        summary = json.loads(text)
        run = Run(int(summary["scale"]["customers"]))
        company = None
        figures = {f["stage"]: f for f in summary["figures"]}
    if company is not None:
        run.costs[("generate", "cpu")] = Point(run.customers, float(company["generated_cpu_s"]))
        run.costs[("generate", "peak_mb")] = Point(run.customers, float(company["peak_mb"]))
    for figure in figures.values():
        run.costs.update(_figure_costs(run.customers, figure))
    return run


def load(paths: list[Path]) -> list[Run]:
    """Runs from results files, smallest first; one run per size (the later file wins)."""
    runs = {run.customers: run for run in map(load_run, paths)}
    return [runs[n] for n in sorted(runs)]


def growth(points: list[Point], target: int) -> dict[str, Any] | None:
    """Slopes, marginal cost and the predicted cost at ``target`` customers (None under two
    usable sizes)."""
    exact = [p for p in points if not p.bound and p.value > 0]
    usable = exact if len(exact) >= 2 else [p for p in points if p.value > 0]
    if len(usable) < 2:
        return None
    slope, _ = fit([p.customers for p in usable], [p.value for p in usable])
    (n1, c1), (n2, c2) = [(p.customers, p.value) for p in usable[-2:]]
    local = math.log(c2 / c1) / math.log(n2 / n1)
    marginal = (c2 - c1) / (n2 - n1)
    return {
        "slope": slope,
        "local_slope": local,
        "between": (n1, n2),
        "marginal_per_1k": 1000 * marginal,
        "power": c2 * (target / n2) ** local,
        "linear": c2 + (target - n2) * max(marginal, 0.0),
        "fitted": [p.customers for p in usable],
    }


UNITS = {"cpu": "CPU s", "peak_mb": "peak MB"}


def number(value: float) -> str:
    """Three significant figures, thousands separated, never in exponent form."""
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    digits = 2 - math.floor(math.log10(abs(value)))
    return f"{value:,.{digits}f}"


def table(runs: list[Run], target: int) -> list[str]:
    """The Markdown table: each stage's cost per size, its slopes and the predicted cost."""
    sizes = [r.customers for r in runs]
    keys = list(dict.fromkeys(k for r in runs for k in r.costs))
    lines = [
        "| stage | measure | " + " | ".join(f"{n:,}" for n in sizes) + " | slope (all sizes) "
        f"| slope (two largest) | marginal per 1k customers | at {target:,} (power – linear) |",
        "|---|---|" + "---:|" * (len(sizes) + 4),
    ]
    for stage, measure in keys:
        points = [r.costs[(stage, measure)] for r in runs if (stage, measure) in r.costs]
        found = growth(points, target)
        if found is None:
            continue
        unit = "p50 ms" if measure == "cpu" and stage in HTTP_STAGES else UNITS[measure]
        by_size = {p.customers: p for p in points}
        cells = [
            f"{number(by_size[n].value)}{'†' if by_size[n].bound else ''}" if n in by_size else "–"
            for n in sizes
        ]
        low, high = sorted((found["power"], found["linear"]))
        predicted = number(low) if high <= low * 1.05 else f"{number(low)} – {number(high)}"
        lines.append(
            f"| {stage} | {unit} | " + " | ".join(cells) + f" | {found['slope']:.2f} "
            f"| {found['local_slope']:.2f} | {number(found['marginal_per_1k'])} | {predicted} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path, help="results .jsonl or .json files")
    parser.add_argument("--target", type=int, default=10_000_000, help="customers to predict")
    args = parser.parse_args(argv)
    print("\n".join(table(load(args.results), args.target)))


if __name__ == "__main__":
    main()
