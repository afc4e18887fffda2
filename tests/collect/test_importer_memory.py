"""An import's memory does not grow with the file: two sizes, a fresh process each, peak RSS.

The import's peak rises at first, while fixed-size things fill up: pyarrow's read-ahead (32
blocks of 1 MB of the file) and DuckDB's buffers (the memory limit below); with these narrow
rows it is flat from about 800,000 rows on. Both sizes here are past that point, so what the
larger one adds is what an import accumulates per row. Before the fix of 2026-12-07 an import
held every batch it had inserted until its commit (145 bytes a row of wider events); a growth
of 33 bytes a row, the figure first blamed on the repeated-id check, would add 53 MB.
Measured at load 15 (2026-12-07): 387 and 415 MB (+29); with 33 bytes a row held on purpose
(a sitecustomize wrapping ``Warehouse.append``): 409 and 473 MB (+64); with the old leak put
back (batches registered as views): 439 and 582 MB (+143). Runs of one size differ
by up to about 20 MB on a loaded machine (docs/benchmarks.md, "Import memory").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.bench.import_memory import import_peak_mb, write_events_csv

SMALL, LARGE = 800_000, 2_400_000  # narrow rows: 36 and 108 MB of CSV
BATCH_ROWS = 50_000  # fewer, larger batches than the default test settings: quicker
MEMORY_LIMIT = "24MB"
MARGIN_MB = 40  # measured: +29 MB; with 33 bytes a row more held: +64 MB


def _peak(folder: Path, rows: int) -> float:
    path = folder / f"events{rows}.csv"
    write_events_csv(path, rows, properties=False)
    peak = import_peak_mb(
        folder / f"p{rows}", path, rows, batch_rows=BATCH_ROWS, memory_limit=MEMORY_LIMIT
    )
    path.unlink()
    return peak


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small = _peak(tmp_path, SMALL)
    large = _peak(tmp_path, LARGE)
    sizes = f"peak {small:.0f} MB at {SMALL:,} rows, {large:.0f} MB at {LARGE:,}"
    assert large - small < MARGIN_MB, sizes
