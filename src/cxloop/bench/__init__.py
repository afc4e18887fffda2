"""The benchmark suite behind ``cxloop bench``: synthetic data of a given scale, then import,
collector, resolve, text, KPIs, CLV and dashboard pages, each against a baseline measured in the
same run, with its peak memory."""

from cxloop.bench.report import BenchReport
from cxloop.bench.runner import STAGES, BenchOptions, run_bench

__all__ = ["STAGES", "BenchOptions", "BenchReport", "run_bench"]
