"""The results of ``cxloop bench``: the machine, the load and one figure per stage, written as
Markdown (for docs/benchmarks.md) and JSON (for comparing runs)."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata

PACKAGES = ("cxloop", "duckdb", "ibis-framework", "pandas", "pyarrow", "splink", "fastapi",
            "uvicorn")  # fmt: skip


def machine() -> dict[str, object]:
    """CPU count, memory, OS, Python and the versions of the packages that do the work."""
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        ram = 0.0
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpus": os.cpu_count(), "ram_gib": round(ram, 1), "machine": platform.machine(),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "versions": versions,
    }  # fmt: skip


@dataclass
class BenchReport:
    """One run of the suite."""

    command: str
    scale: dict[str, int]
    generated_s: float
    figures: list[dict[str, object]]
    machine: dict[str, object]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    measured_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
    )

    @property
    def failed(self) -> list[str]:
        return [f"{f['stage']}: {f['error']}" for f in self.figures if "error" in f]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    def to_markdown(self) -> str:
        m = self.machine
        versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())  # type: ignore[attr-defined]
        load = " → ".join(
            " ".join(f"{x:.2f}" for x in avg) for avg in (self.load_before, self.load_after)
        )
        s = self.scale
        lines = [
            f"Measured {self.measured_at} with `{self.command}` on {m['machine']}, "
            f"{m['cpus']} CPUs, {m['ram_gib']} GiB RAM, {m['os']}, Python {m['python']} "
            f"({versions}); load average (1, 5, 15 min) {load}. Data: {s['customers']:,} "
            f"customers, {s['events']:,} events, "
            f"{s['feedback']:,} feedback rows, {s['orders']:,} orders, generated in "
            f"{self.generated_s:.1f} s.",
            "",
            "| stage | work | cxloop | cxloop CPU | baseline | baseline time | cost ratio "
            "(cxloop / baseline, per unit) | peak memory | notes |",
            "|---|---:|---:|---:|---|---:|---:|---:|---|",
        ]
        for f in self.figures:
            if "error" in f:
                lines.append(f"| {f['stage']} | | | | | | | | failed: {f['error']} |")
                continue
            lines.append(_row(f))
        return "\n".join(lines)


def _seconds(value: object) -> str:
    if not isinstance(value, int | float):
        return "–"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:,.1f} s"


def _row(f: dict[str, object]) -> str:
    extra: dict[str, float] = f["extra"]  # type: ignore[assignment]
    ratio = f["ratio"]
    notes = []
    if f["stage"] == "pages":
        work = f"{int(extra['requests']):,} requests"
        notes.append(f"p50 {extra['p50_ms']:.1f} ms, p95 {extra['p95_ms']:.1f} ms, "
                     f"{extra['per_s']:.1f} req/s; /healthz p50 {extra['baseline_p50_ms']:.1f} ms, "
                     f"p95 {extra['baseline_p95_ms']:.1f} ms")  # fmt: skip
        cxloop, cpu, base = (
            f"p50 {extra['p50_ms']:.1f} ms",
            "–",
            f"p50 {extra['baseline_p50_ms']:.1f} ms",
        )
    else:
        work = f"{f['units']:,} {f['unit']}"
        cxloop, cpu = (
            _seconds(f["cxloop_s"]),
            _seconds(f["cxloop_cpu_s"]) if f["cxloop_cpu_s"] else "–",
        )
        base = _seconds(f["baseline_s"])
        if f["baseline_units"] not in (None, f["units"]):
            base += f" for {f['baseline_units']:,}"
    if f["stage"] == "collector":
        cpu = "–"
        notes.append(f"{extra['events_per_s']:,.0f} events/s against "
                     f"{extra['baseline_events_per_s']:,.0f}; p50 {extra['p50_ms']:.1f} ms, "
                     f"p95 {extra['p95_ms']:.1f} ms per batch")  # fmt: skip
    if "f1" in extra:
        notes.append(f"F1 {extra['f1']:.3f}" + (f" (baseline {extra['baseline_f1']:.3f})"
                                                  if "baseline_f1" in extra else ""))  # fmt: skip
    if "score_clv_s" in extra:
        notes.append(f"`score_clv` end to end {_seconds(extra['score_clv_s'])}")
    if f["note"]:
        notes.append(str(f["note"]))
    peak = f"{f['peak_mb']:,.0f} MB" if f.get("peak_mb") else "–"
    before = extra.get("peak_before_baseline_mb")
    if before and f.get("peak_mb") and f["peak_mb"] > 1.05 * before:  # type: ignore[operator]
        peak += f" ({before:,.0f} MB before the baseline)"
    ratio_cell = f"{ratio:.2f}×" if isinstance(ratio, float) else "–"
    return (f"| {f['stage']} | {work} | {cxloop} | {cpu} | {f['baseline']} | {base} "
            f"| {ratio_cell} | {peak} | {'; '.join(notes)} |")  # fmt: skip
