"""KPI speed: NPS by team × month over 10M feedback rows, against pandas in the same run.

Fills an in-memory DuckDB warehouse with synthetic feedback (40 teams, 24 months, NPS 0–10),
then times ``kpi_report(wh, "nps", by="team", period="month")`` end to end (query, intervals,
month-over-month tests, Benjamini–Hochberg) against a pandas baseline that computes the same
counts (n, promoters, detractors per team × month) with ``groupby`` on a DataFrame already in
memory (so pandas is not charged for reading). Best of ``repeats`` for both. Prints Markdown.

    python -m benchmarks.kpi_speed [--quick] [--rows N]
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

ROWS = 10_000_000


def _best(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def build(rows: int):  # type: ignore[no-untyped-def]
    from cxloop.storage import open_warehouse

    wh = open_warehouse("duckdb:///:memory:")
    wh.ibis.raw_sql(
        f"""
        INSERT INTO feedback (feedback_id, customer_id, ts, team_id, touchpoint, nps)
        SELECT 'f' || i, 'c' || (i % 1000003),
               TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((hash(i) % 63072000)::BIGINT),
               'team_' || lpad(((hash(i * 7) % 40))::VARCHAR, 2, '0'),
               'web', (hash(i * 13) % 11)::INTEGER
        FROM range({rows}) t(i)
        """
    )
    frame = wh.to_pandas(wh.table("feedback").select("ts", "team_id", "nps"))
    return wh, frame


def pandas_baseline(frame: pd.DataFrame) -> pd.DataFrame:
    month = frame["ts"].dt.tz_localize(None).dt.to_period("M")
    scored = frame.assign(
        month=month,
        promoter=(frame["nps"] >= 9).astype("int64"),
        detractor=(frame["nps"] <= 6).astype("int64"),
    )
    return scored.groupby(["team_id", "month"], observed=True).agg(
        n=("nps", "size"), promoters=("promoter", "sum"), detractors=("detractor", "sum")
    )


def main(quick: bool = False, rows: int | None = None) -> None:
    from cxloop.understand.kpi import kpi_report

    rows = rows or (200_000 if quick else ROWS)
    wh, frame = build(rows)
    report = kpi_report(wh, "nps", by="team", period="month")
    baseline = pandas_baseline(frame)
    ours = {(r.group, r.period_start): r.n for r in report.results}
    theirs = {(t, m.start_time.date()): int(n) for (t, m), n in baseline["n"].items()}
    assert ours == theirs, "kpi_report and pandas disagree on the cell counts"
    repeats = 3
    t_kpi = _best(lambda: kpi_report(wh, "nps", by="team", period="month"), repeats)
    t_pandas = _best(lambda: pandas_baseline(frame), repeats)
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print("## KPI speed\n")
    print(
        f"NPS by team × month, {rows:,} feedback rows, {len(report.results)} cells, "
        f"best of {repeats}; load average {load}\n"
    )
    print("| | seconds | vs pandas |\n|---|---|---|")
    print(f"| pandas groupby (data in memory) | {t_pandas:.3f} | 1.0× |")
    print(f"| `kpi_report` (DuckDB via Ibis, with intervals, tests, BH) | {t_kpi:.3f} | "
          f"{t_pandas / t_kpi:.1f}× |")  # fmt: skip
    wh.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int)
    args = parser.parse_args()
    main(quick=args.quick, rows=args.rows)
