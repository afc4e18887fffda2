"""An import's memory does not grow with the file: two sizes, a fresh process each, peak RSS.

Before the fix an import held every batch it had inserted until its transaction committed
(about 145 bytes a row of these events), so the larger file below would peak some 90 MB
higher than the smaller one; now the two peaks are within the margin of each other.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxloop.project import init_project

# past the small size, pyarrow's read-ahead (32 blocks of 1 MB) and DuckDB's buffers (the limit
# below) are full: what grows after it is what the import accumulates
SMALL, LARGE = 200_000, 800_000
MARGIN_MB = 50  # the leak held ~145 bytes a row: ~87 MB more; measured now: ~20 MB, noise ~10


def write_events(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_id", "customer_id", "name", "ts", "channel", "properties"])
        for i in range(rows):
            writer.writerow(
                [f"e{i:09d}", f"c{i % 5000}", "Page Viewed",
                 f"2026-01-{1 + i % 28:02d}T10:{i % 60:02d}:00Z", "web",
                 json.dumps({"path": f"/p/{i}", "ref": f"newsletter-campaign-{i % 97}"})]
            )  # fmt: skip


def import_peak_mb(folder: Path, rows: int) -> float:
    """Import ``rows`` events with the real CLI in a fresh process; its peak RSS in MB."""
    path = folder / f"events{rows}.csv"
    write_events(path, rows)
    project = folder / f"p{rows}"
    init_project(project)
    env = os.environ | {
        "CXLOOP_IMPORT_BATCH_ROWS": "10000",
        "CXLOOP_WAREHOUSE_MEMORY_LIMIT": "24MB",
    }
    command = [sys.executable, "-m", "cxloop", "--project", str(project), "import", "events"]
    process = subprocess.Popen(
        [*command, str(path), "--source", "web", "--json"], env=env, stdout=subprocess.PIPE
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    assert status == 0, output
    assert json.loads(output)["rows_inserted"] == rows
    return usage.ru_maxrss / 1024


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small = import_peak_mb(tmp_path, SMALL)
    large = import_peak_mb(tmp_path, LARGE)
    sizes = f"peak {small:.0f} MB at {SMALL:,} rows, {large:.0f} MB at {LARGE:,}"
    assert large - small < MARGIN_MB, sizes
