"""The suite's table tells cxloop's peak memory from its baseline's, and says when a baseline
ran on a sample."""

from __future__ import annotations

from cxloop.bench.report import BenchReport


def figure(peak: float, before: float) -> dict[str, object]:
    return {"stage": "import", "unit": "rows", "units": 59_000_000, "cxloop_s": 200.0,
            "cxloop_cpu_s": 210.0, "baseline": "pandas (baseline on 14,100,000 rows)",
            "baseline_units": 14_100_000, "baseline_s": 90.0, "note": "", "ratio": 0.53,
            "peak_mb": peak, "extra": {"peak_before_baseline_mb": before}}  # fmt: skip


def report(*figures: dict[str, object]) -> str:
    return BenchReport(
        command="cxloop bench --scale 1000000", generated_s=1.0, figures=list(figures),
        scale={"customers": 10**6, "events": 5 * 10**7, "feedback": 5 * 10**6, "orders": 1},
        machine={"machine": "x86_64", "cpus": 2, "ram_gib": 23.5, "os": "Linux",
                 "python": "3.11", "versions": {}},
        load_before=(0.1, 0.1, 0.1), load_after=(0.2, 0.2, 0.2),
    ).to_markdown()  # fmt: skip


def test_the_peak_before_the_baseline_is_shown_when_the_baseline_raised_it() -> None:
    row = report(figure(3485.0, 734.0)).splitlines()[-1]
    assert "3,485 MB (734 MB before the baseline)" in row
    assert "90.0 s for 14,100,000" in row and "baseline on 14,100,000 rows" in row
    assert "before the baseline" not in report(figure(700.0, 690.0))
