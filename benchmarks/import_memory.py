"""Peak memory of ``cxloop import`` against file size, with pandas as the baseline, in one run.

For each size, a CSV of web events (six columns, about 120 bytes a row) is written, then
imported by the real CLI in a fresh process (``CXLOOP_IMPORT_BATCH_ROWS=20000``) twice: with
the default settings (DuckDB may keep buffers up to 80% of RAM) and with
``warehouse_memory_limit`` set (``--limit``, default 128MB); and read by ``pandas.read_csv`` in
another fresh process: the baseline, a reader that holds the whole file. The peak resident set
size of each process comes from ``wait4`` (:mod:`cxloop.bench.import_memory`, which
``tests/collect/test_importer_memory.py`` uses too). A streaming import should need about the
same memory whatever the file's size; the table shows how far it is from that.

    python -m benchmarks.import_memory [--quick] [--rows 100000,400000,1600000] [--limit 128MB]
        [--write-docs]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from cxloop.bench.import_memory import import_peak_mb, pandas_peak_mb, write_events_csv

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
BEGIN, END = "<!-- import-memory:begin -->", "<!-- import-memory:end -->"


def main(
    quick: bool = False,
    sizes: tuple[int, ...] = (100_000, 400_000, 1_600_000),
    limit: str = "128MB",
    write_docs: bool = False,
) -> None:
    if quick:
        sizes = (20_000, 80_000, 320_000)
    load_before = os.getloadavg()[0]
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for rows in sizes:
            path = Path(scratch) / f"events{rows}.csv"
            write_events_csv(path, rows)
            peaks = [
                import_peak_mb(Path(scratch) / f"p{rows}-{n}", path, rows, memory_limit=setting)
                for n, setting in enumerate((None, limit))
            ]
            pandas = pandas_peak_mb(path)
            results.append((rows, path.stat().st_size / 1e6, peaks[0], peaks[1], pandas))
            path.unlink()
    command = "python -m benchmarks.import_memory " + (
        "--quick" if quick else f"--rows {','.join(str(n) for n in sizes)}"
    )
    markdown = to_markdown(
        results, limit, (load_before, os.getloadavg()[0]), f"{command} --limit {limit}"
    )
    print(markdown)
    if write_docs:
        text = DOCS.read_text(encoding="utf-8")
        begin, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
        DOCS.write_text(text[:begin] + "\n" + markdown + "\n" + text[stop:], encoding="utf-8")


def to_markdown(
    results: list[tuple[int, float, float, float, float]],
    limit: str,
    load: tuple[float, float],
    command: str,
) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load[0]:.1f} before and "
        f"{load[1]:.1f} after (shared cores), with `{command}`.",
        "",
        f"| rows | file | cxloop import, defaults | cxloop import, `warehouse_memory_limit` "
        f"{limit} | pandas.read_csv | import ({limit}) vs pandas |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for rows, size, default, limited, pandas in results:
        lines.append(
            f"| {rows:,} | {size:.0f} MB | {default:.0f} MB | {limited:.0f} MB | {pandas:.0f} MB "
            f"| {limited / pandas:.2f}× |"
        )
    (r0, s0, d0, i0, p0), (r1, s1, d1, i1, p1) = results[0], results[-1]
    lines += [
        "",
        f"From {r0:,} to {r1:,} rows the import's peak grew by {d1 - d0:.0f} MB with the "
        f"defaults and {i1 - i0:.0f} MB with {limit}; pandas' by {p1 - p0:.0f} MB, for "
        f"{s1 - s0:.0f} MB more file.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", default="100000,400000,1600000")
    parser.add_argument("--limit", default="128MB", help="warehouse_memory_limit to compare")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    main(
        quick=args.quick,
        sizes=tuple(int(n) for n in args.rows.split(",")),
        limit=args.limit,
        write_docs=args.write_docs,
    )
