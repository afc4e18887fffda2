"""How each cost of ``cxloop bench`` grows with data size: the slope on log-log axes.

Reads the JSON results of ``cxloop bench --scale N --out FILE`` at several sizes and, for each
stage, fits ``log(cost) = a + k·log(work)`` by least squares over the sizes. ``k`` near 1 is
linear, near 0 a fixed cost, above 1 faster than linear; the fit's line is extrapolated to the
work of 1M and 10M customers. Costs are the process's CPU seconds (wall seconds under load are
mostly waiting for a core) and the peak memory; the HTTP stages, whose CPU is in the server,
use wall seconds per unit of work.

    python -m benchmarks.capacity_fit .bench/suite-*.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np


def fit(work: list[float], cost: list[float]) -> tuple[float, float]:
    """Slope and intercept of log(cost) against log(work)."""
    slope, intercept = np.polyfit(np.log(work), np.log(cost), 1)
    return float(slope), float(intercept)


def load(paths: list[Path]) -> list[dict]:
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    return sorted(runs, key=lambda r: r["scale"]["customers"])


def main(paths: list[Path]) -> None:
    runs = load(paths)
    stages = [f["stage"] for f in runs[-1]["figures"]]
    sizes = [r["scale"]["customers"] for r in runs]
    print("| stage | measure | " + " | ".join(f"{n:,} customers" for n in sizes)
          + " | slope (log-log) | at 1M customers | at 10M customers |")  # fmt: skip
    print("|---|---|" + "---:|" * (len(sizes) + 3))
    for stage in stages:
        figures = [next((f for f in r["figures"] if f["stage"] == stage), None) for r in runs]
        for measure in ("cpu", "peak_mb"):
            points = []
            for run, f in zip(runs, figures, strict=True):
                if not f or "error" in f:
                    continue
                if measure == "peak_mb":
                    value = f["peak_mb"]
                elif stage in ("collector", "pages"):
                    value = f["cxloop_s"] / f["units"]
                else:
                    value = f["cxloop_cpu_s"]
                points.append((run["scale"]["customers"], value))
            if len(points) < 2:
                continue
            slope, intercept = fit([p[0] for p in points], [p[1] for p in points])
            cells = {n: v for n, v in points}
            unit = {"cpu": "CPU s" if stage not in ("collector", "pages") else "s per unit",
                    "peak_mb": "peak MB"}[measure]  # fmt: skip
            predict = [float(np.exp(intercept) * n**slope) for n in (1e6, 1e7)]
            print(f"| {stage} | {unit} | "
                  + " | ".join(f"{cells[n]:,.3g}" if n in cells else "–" for n in sizes)
                  + f" | {slope:.2f} | {predict[0]:,.3g} | {predict[1]:,.3g} |")  # fmt: skip


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]])
