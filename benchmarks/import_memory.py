"""Peak memory of ``cxloop import`` against file size, with pandas as the baseline, in one run.

For each size, a CSV of web events (six columns, about 120 bytes a row) is written, then
imported by the real CLI in a fresh process (``CXLOOP_IMPORT_BATCH_ROWS=20000``), and read by
``pandas.read_csv`` in another fresh process: the baseline, a reader that holds the whole file.
The peak resident set size of each process comes from ``wait4``. A streaming import should
need about the same memory whatever the file's size; the table shows how far it is from that.

    python -m benchmarks.import_memory [--quick] [--rows 100000,400000,1600000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cxloop.project import init_project

PANDAS = "import sys, pandas; pandas.read_csv(sys.argv[1])"


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


def peak_rss_mb(command: list[str], env: dict[str, str] | None = None) -> float:
    """Run ``command``; its peak resident set size in MB."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{command[:4]} failed with status {status}")
    return usage.ru_maxrss / 1024


def main(quick: bool = False, sizes: tuple[int, ...] = (100_000, 400_000, 1_600_000)) -> None:
    if quick:
        sizes = (20_000, 80_000, 320_000)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for rows in sizes:
            path = Path(scratch) / f"events{rows}.csv"
            write_events(path, rows)
            project = Path(scratch) / f"p{rows}"
            init_project(project)
            env = os.environ | {"CXLOOP_IMPORT_BATCH_ROWS": "20000"}
            cxloop = [sys.executable, "-m", "cxloop", "--project", str(project), "import"]
            imported = peak_rss_mb([*cxloop, "events", str(path), "--source", "web"], env)
            pandas = peak_rss_mb([sys.executable, "-c", PANDAS, str(path)])
            results.append((rows, path.stat().st_size / 1e6, imported, pandas))
            path.unlink()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nPeak RSS of an import against file size; load average {load}\n")
    print("| rows | file | cxloop import | pandas.read_csv | import vs pandas |")
    print("|---:|---:|---:|---:|---:|")
    for rows, size, imported, pandas in results:
        print(
            f"| {rows:,} | {size:.0f} MB | {imported:.0f} MB | {pandas:.0f} MB "
            f"| {imported / pandas:.2f}× |"
        )
    (r0, s0, i0, p0), (r1, s1, i1, p1) = results[0], results[-1]
    print(
        f"\nGrowth from {r0:,} to {r1:,} rows: import +{i1 - i0:.0f} MB, pandas "
        f"+{p1 - p0:.0f} MB, for +{s1 - s0:.0f} MB of file."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", default="100000,400000,1600000")
    args = parser.parse_args()
    main(quick=args.quick, sizes=tuple(int(n) for n in args.rows.split(",")))
