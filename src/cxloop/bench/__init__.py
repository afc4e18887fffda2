"""The benchmark suite behind ``cxloop bench``: synthetic data of a given scale, then import,
collector, resolve, text, KPIs, CLV and dashboard pages, each against a baseline measured in the
same run, with its peak memory.

Names are imported on first use, so that the command line can read the options' defaults
(:mod:`cxloop.bench.options`) without loading the suite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxloop.lazy_exports import lazy_exports

_EXPORTS = {
    "STAGES": "cxloop.bench.runner",
    "BenchOptions": "cxloop.bench.options",
    "BenchReport": "cxloop.bench.report",
    "run_bench": "cxloop.bench.runner",
}

__all__ = ["STAGES", "BenchOptions", "BenchReport", "run_bench"]

if TYPE_CHECKING:
    from cxloop.bench.options import BenchOptions
    from cxloop.bench.report import BenchReport
    from cxloop.bench.runner import STAGES, run_bench


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
