"""Reader speed: cxloop.collect.file_formats against pyarrow's plain readers, in one run.

Reads a 2M-row, 10-column CSV file (UTF-8, then the same text in Latin-1) and a 10M-row,
10-column Parquet file. cxloop sniffs, reads every CSV column as text, checks the header,
transcodes Latin-1 and regroups rows into 1M-row batches; the baseline is pyarrow's
``csv.read_csv`` (type inference on, UTF-8 only, transcoding through ``ReadOptions.encoding``)
and ``ParquetFile.iter_batches``. Prints a Markdown table of rows per second (best of
``--repeat`` runs) and the ratio cxloop / pyarrow; ``--quick`` reads 100k-row CSV and 200k-row
Parquet files instead.

    python -m benchmarks.file_formats_speed [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from cxloop.collect.file_formats import open_source_file

COLUMNS = """
    i AS id,
    ['José', 'María', 'Ángel', 'Inés', 'Ann', 'Bob'][1 + i % 6] AS first_name,
    ['Núñez', 'Peña', 'Güemes', 'Smith', 'Brown'][1 + i % 5] AS last_name,
    'user' || i || '@example.com' AS email,
    ['Madrid', 'A Coruña', 'Cádiz', 'London'][1 + i % 4] AS city,
    round((i % 100000) / 7.0, 2) AS amount,
    TIMESTAMP '2025-01-01' + to_seconds(i % 30000000) AS created_at,
    ['open', 'closed', 'pending'][1 + i % 3] AS status,
    i % 11 AS score,
    ['Muy buen servicio, gracias', '', 'The parcel was late; "again"', 'Atención rápida'][1 + i % 4]
        AS comment
"""


def make_files(folder: Path, csv_rows: int, parquet_rows: int) -> dict[str, Path]:
    utf8, latin1, parquet = folder / "utf8.csv", folder / "latin1.csv", folder / "events.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT {COLUMNS} FROM range({csv_rows}) t(i)) TO '{utf8}' (HEADER)")
    con.execute(
        f"COPY (SELECT {COLUMNS} FROM range({parquet_rows}) t(i)) TO '{parquet}' "
        "(FORMAT parquet, ROW_GROUP_SIZE 1000000)"
    )
    con.close()
    latin1.write_bytes(utf8.read_bytes().decode("utf-8").encode("latin-1"))
    return {"CSV, UTF-8": utf8, "CSV, Latin-1": latin1, "Parquet": parquet}


def cxloop_rows(path: Path) -> int:
    source = open_source_file(path)
    return sum(batch.num_rows for batch, _ in source.iter_batches(1_000_000))


def baseline_rows(path: Path) -> int:
    if path.suffix == ".parquet":
        with pq.ParquetFile(path) as parquet:
            return sum(batch.num_rows for batch in parquet.iter_batches(1_000_000))
    encoding = "latin-1" if "latin1" in path.name else "utf8"
    read_options = pa_csv.ReadOptions(encoding=encoding)
    return pa_csv.read_csv(path, read_options=read_options).num_rows


def best_rate(read: Callable[[Path], int], path: Path, rows: int, repeat: int) -> float:
    """The best rows per second of ``repeat`` runs of ``read``, which must read all ``rows``."""
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        read_rows = read(path)
        elapsed = time.perf_counter() - start
        assert read_rows == rows, f"{read.__name__} read {read_rows} of {rows} rows of {path.name}"
        best = max(best, rows / elapsed)
    return best


def run(quick: bool, repeat: int) -> list[dict[str, object]]:
    csv_rows, parquet_rows = (100_000, 200_000) if quick else (2_000_000, 10_000_000)
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="cxloop-bench-") as folder:
        files = make_files(Path(folder), csv_rows, parquet_rows)
        for label, path in files.items():
            rows = parquet_rows if path.suffix == ".parquet" else csv_rows
            ours = best_rate(cxloop_rows, path, rows, repeat)
            theirs = best_rate(baseline_rows, path, rows, repeat)
            results.append(
                {
                    "file": label,
                    "rows": rows,
                    "size_mb": path.stat().st_size / 1e6,
                    "pyarrow_rps": theirs,
                    "cxloop_rps": ours,
                    "ratio": ours / theirs,
                }
            )
    return results


def to_markdown(results: list[dict[str, object]], command: str, repeat: int) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, pyarrow {pa.__version__}, best of {repeat} runs, "
        f"with `{command}`.",
        "",
        "| file | rows | size | pyarrow reader | cxloop reader | cxloop / pyarrow |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['file']} | {r['rows']:,} | {r['size_mb']:.0f} MB "
            f"| {r['pyarrow_rps']:,.0f} rows/s | {r['cxloop_rps']:,.0f} rows/s "
            f"| {r['ratio']:.2f}× |"
        )
    return "\n".join(lines)


def main(*, quick: bool = False, repeat: int = 3, command: str | None = None) -> None:
    if command is None:
        command = "python -m benchmarks --quick" if quick else "make bench"
    print(to_markdown(run(quick, repeat), command, repeat))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Small sizes (a smoke run).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per reader; the best counts.")
    args = parser.parse_args()
    flags = " --quick" if args.quick else ""
    if args.repeat != 3:
        flags += f" --repeat {args.repeat}"
    main(
        quick=args.quick,
        repeat=args.repeat,
        command=f"python -m benchmarks.file_formats_speed{flags}",
    )
