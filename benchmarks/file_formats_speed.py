"""Reader speed: cxloop.collect.file_formats against pyarrow's plain readers, in one run.

Reads a 2M-row, 10-column CSV file (UTF-8, then the same text in Latin-1) and a 10M-row,
10-column Parquet file. cxloop sniffs, reads every CSV column as text, checks the header,
transcodes Latin-1 and regroups rows into 1M-row batches; the baseline is pyarrow's
``csv.read_csv`` (type inference on, UTF-8 only, transcoding through ``ReadOptions.encoding``)
and ``ParquetFile.iter_batches``. Figures are rows per second (best of ``--repeat`` runs) and
the ratio cxloop / baseline.

    python -m benchmarks.file_formats_speed [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
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


def best_rate(read: Callable[[Path], int], path: Path, repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = read(path)
        best = max(best, rows / (time.perf_counter() - start))
    return best


def main(*, quick: bool = False, repeat: int = 3) -> None:
    csv_rows, parquet_rows = (200_000, 1_000_000) if quick else (2_000_000, 10_000_000)
    with tempfile.TemporaryDirectory() as folder:
        files = make_files(Path(folder), csv_rows, parquet_rows)
        print(f"{'file':14} {'rows':>11} {'cxloop rows/s':>14} {'pyarrow rows/s':>15} {'ratio':>6}")
        for label, path in files.items():
            ours = best_rate(cxloop_rows, path, repeat)
            theirs = best_rate(baseline_rows, path, repeat)
            rows = parquet_rows if path.suffix == ".parquet" else csv_rows
            print(f"{label:14} {rows:>11,} {ours:>14,.0f} {theirs:>15,.0f} {ours / theirs:>6.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Small sizes (a smoke run).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per reader; the best counts.")
    args = parser.parse_args()
    main(quick=args.quick, repeat=args.repeat)
