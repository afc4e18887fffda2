"""Import speed: cxloop's importer against a pandas read + insert baseline, in one run.

Both load the same files into a fresh DuckDB file. The baseline does no mapping, coercion,
validation or de-duplication; cxloop does all of them. Figures are rows per second and the
ratio cxloop / baseline. cxloop runs twice: with its fast paths (what ``cxloop import`` does)
and with ``fast=False``, the general path that gives the same rows (the importer before the fast
paths), so the gain is measured in the same run too. ``--repeat N`` keeps the best of N runs of
each loader (interleaved), which filters out most of the noise of a shared machine.

    python -m benchmarks.import_speed [--quick] [--repeat N] [--write-docs]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from cxloop.collect.importer import import_file
from cxloop.storage import open_warehouse

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- import-speed:begin -->", "<!-- import-speed:end -->"


def make_parquet(path: Path, rows: int) -> None:
    """Events with native types, as an app or CDP export would have them."""
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute(
        f"""COPY (
          SELECT 'ev' || i AS event_id,
                 'c' || (i % 1000003) AS customer_id,
                 'track' AS type,
                 ['Page Viewed','Order Placed','Order Delivered','App Opened'][1 + i % 4] AS name,
                 ['web','app','store','delivery','billing','call_centre'][1 + i % 6] AS touchpoint,
                 ['organic','email','paid'][1 + i % 3] AS channel,
                 TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(i % 40000000) AS ts
          FROM range({rows}) t(i)
        ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"""
    )
    con.close()


def make_csv(path: Path, rows: int) -> None:
    """Survey feedback as text, as a survey tool's CSV export has it."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (
          SELECT 'f' || i AS feedback_id,
                 'c' || (i % 500009) AS customer_id,
                 strftime(TIMESTAMP '2025-01-01' + to_seconds(i % 30000000), '%Y-%m-%dT%H:%M:%S')
                   || '+01:00' AS ts,
                 'survey' AS kind,
                 ['web','app','store','delivery','billing'][1 + i % 5] AS touchpoint,
                 CAST(i % 11 AS VARCHAR) AS nps,
                 CAST(1 + i % 5 AS VARCHAR) AS csat,
                 CAST(1 + i % 7 AS VARCHAR) AS ces,
                 ['Delivery was late again','El pedido llegó a tiempo','客服态度很好',
                  'Billing charged me twice'][1 + i % 4] AS text,
                 ['en','es','zh','en'][1 + i % 4] AS language
          FROM range({rows}) t(i)
        ) TO '{path}' (FORMAT csv, HEADER)"""
    )
    con.close()


def baseline(path: Path, table: str, db: Path) -> float:
    """pandas reads the file; DuckDB inserts the DataFrame as it is."""
    started = time.perf_counter()
    # DuckDB reads the DataFrame by its variable name
    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype=str)  # noqa: F841
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM df LIMIT 0")
    con.execute(f"INSERT INTO {table} SELECT * FROM df")
    con.close()
    return time.perf_counter() - started


def native(path: Path, table: str, db: Path) -> float:
    """The ceiling: DuckDB's own C++ reader straight into a table, no checks at all."""
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    reader = "read_parquet(?)" if path.suffix == ".parquet" else "read_csv(?, all_varchar = true)"
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader}", [str(path)])
    con.close()
    return time.perf_counter() - started


def cxloop_import(path: Path, kind: str, db: Path, *, fast: bool = True) -> tuple[float, int]:
    started = time.perf_counter()
    with open_warehouse(f"duckdb:///{db}") as wh:
        report = import_file(wh, kind, path, source="bench", fast=fast)
    return time.perf_counter() - started, report.rows_inserted


def _fresh(db: Path) -> Path:
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    return db


def run(quick: bool, repeat: int = 1) -> list[dict[str, object]]:
    parquet_rows, csv_rows = (200_000, 100_000) if quick else (10_000_000, 2_000_000)
    work = Path(tempfile.mkdtemp(prefix="cxloop-bench-"))
    results = []
    try:
        for fmt, rows, kind, maker in (
            ("Parquet", parquet_rows, "events", make_parquet),
            ("CSV", csv_rows, "feedback", make_csv),
        ):
            path = work / f"{kind}.{fmt.lower()}"
            maker(path, rows)
            base_s = native_s = cx_s = general_s = float("inf")
            for _ in range(max(1, repeat)):
                base_s = min(base_s, baseline(path, kind, _fresh(work / f"base-{kind}.duckdb")))
                native_s = min(native_s, native(path, kind, _fresh(work / f"nat-{kind}.duckdb")))
                for fast in (True, False):
                    db = _fresh(work / f"cx-{kind}-{fast}.duckdb")
                    seconds, inserted = cxloop_import(path, kind, db, fast=fast)
                    assert inserted == rows, f"cxloop inserted {inserted} of {rows}"
                    if fast:
                        cx_s = min(cx_s, seconds)
                    else:
                        general_s = min(general_s, seconds)
            results.append(
                {
                    "format": fmt,
                    "rows": rows,
                    "kind": kind,
                    "baseline_rps": rows / base_s,
                    "cxloop_rps": rows / cx_s,
                    "native_rps": rows / native_s,
                    "general_rps": rows / general_s,
                    "ratio": base_s / cx_s,
                    "size_mb": path.stat().st_size / 1e6,
                }
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def to_markdown(
    results: list[dict[str, object]], command: str, load: tuple[float, float], repeat: int
) -> str:
    best = f"best of {repeat} runs of each loader, " if repeat > 1 else ""
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, {best}"
        f"load average {load[0]:.1f} before and {load[1]:.1f} after (the cores were shared), "
        f"with `{command}`.",
        "",
        "| file | rows | size | pandas read + insert | DuckDB native, no checks "
        "| cxloop, general path | cxloop import | cxloop / pandas | cxloop / native "
        "| fast / general path |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cx, native_rps, general = (float(r[k]) for k in ("cxloop_rps", "native_rps", "general_rps"))
        lines.append(
            f"| {r['format']} ({r['kind']}) | {r['rows']:,} | {r['size_mb']:.0f} MB "
            f"| {r['baseline_rps']:,.0f} rows/s | {native_rps:,.0f} rows/s "
            f"| {general:,.0f} rows/s | {cx:,.0f} rows/s | {r['ratio']:.2f}× "
            f"| {cx / native_rps:.2f}× | {cx / general:.2f}× |"
        )
    return "\n".join(lines)


TARGETS = {"Parquet": 1_000_000, "CSV": 300_000}  # rows/s, issue 2


def verdicts(results: list[dict[str, object]]) -> list[str]:
    """One line per file: cxloop's rows/s against its target, met or not."""
    lines = []
    for r in results:
        target, rps = TARGETS[str(r["format"])], float(r["cxloop_rps"])  # type: ignore[arg-type]
        verdict = "met" if rps >= target else "NOT met"
        lines.append(
            f"target {r['format']}: {rps:,.0f} rows/s against >= {target:,} rows/s: {verdict} "
            f"({float(r['cxloop_rps']) / float(r['native_rps']):.2f}x DuckDB native in this run)"  # type: ignore[arg-type]
        )
    return lines


def update_docs(markdown: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOCS.write_text(text[:start] + "\n" + markdown + "\n" + text[end:], encoding="utf-8")


def main(quick: bool = False, write_docs: bool = False, repeat: int = 1) -> None:
    command = "make bench" if not quick else "python -m benchmarks --quick"
    if repeat > 1:
        command = f"python -m benchmarks.import_speed --repeat {repeat}" + (
            " --quick" if quick else ""
        )
    load_before = os.getloadavg()[0]
    results = run(quick, repeat)
    markdown = to_markdown(results, command, (load_before, os.getloadavg()[0]), repeat)
    print(markdown)
    print()
    print("\n".join(verdicts(results)))
    if write_docs:
        update_docs(markdown)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="Best of N runs of each loader.")
    a = parser.parse_args()
    main(quick=a.quick, write_docs=a.write_docs, repeat=a.repeat)
