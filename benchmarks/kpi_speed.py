"""KPI speed: NPS by team × month over 10M feedback rows, against pandas in the same run.

Fills an in-memory DuckDB warehouse with synthetic feedback (40 teams, 24 months, 3 channels,
3 languages, 2 sources, NPS 0–10), then times ``kpi_report(wh, "nps", by="team",
period="month")`` end to end (query, intervals, month-over-month tests, Benjamini–Hochberg)
from the feedback rows (the raw path) and from the daily rollup, against a pandas baseline that
computes the same counts (n, promoters, detractors per team × month) with ``groupby`` on a
DataFrame already in memory (so pandas is not charged for reading). Best of ``repeats`` for
each. It also times what the rollup costs: a full build over every row, and the incremental
refresh after 100k more rows are appended (a later import). Both paths must give the same
report, and the cell counts must equal pandas'. Prints Markdown.

    python -m benchmarks.kpi_speed [--quick] [--rows N]
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

ROWS = 10_000_000
APPENDED = 100_000


def _best(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _insert(wh, first: int, rows: int, imported_at: str) -> None:  # type: ignore[no-untyped-def]
    wh.ibis.raw_sql(
        f"""
        INSERT INTO feedback (feedback_id, customer_id, ts, team_id, touchpoint, channel,
                              language, source, nps, imported_at)
        SELECT 'f' || i, 'c' || (i % 1000003),
               TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((hash(i) % 63072000)::BIGINT),
               'team_' || lpad(((hash(i * 7) % 40))::VARCHAR, 2, '0'),
               'web', ['email', 'chat', 'phone'][(1 + hash(i * 3) % 3)::BIGINT],
               ['en', 'es', 'zh'][(1 + hash(i * 5) % 3)::BIGINT],
               ['survey', 'app'][(1 + hash(i * 11) % 2)::BIGINT],
               (hash(i * 13) % 11)::INTEGER, TIMESTAMPTZ '{imported_at}'
        FROM range({first}, {first + rows}) t(i)
        """
    )


def build(rows: int):  # type: ignore[no-untyped-def]
    from cxloop.storage import open_warehouse

    wh = open_warehouse("duckdb:///:memory:")
    _insert(wh, 0, rows, "2026-12-01 00:00:00+00")
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


def _timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main(quick: bool = False, rows: int | None = None) -> None:
    from cxloop.understand.kpi import kpi_definition, kpi_report
    from cxloop.understand.kpi.report import answers_from_rollup, report_from
    from cxloop.understand.kpi.rollup import refresh_rollup, rollup_is_fresh

    rows = rows or (200_000 if quick else ROWS)
    appended = APPENDED if not quick else 2_000
    wh, frame = build(rows)
    query = {"by": "team", "period": "month"}
    raw = report_from(wh, "nps", source="raw", **query)  # type: ignore[arg-type]
    baseline = pandas_baseline(frame)
    ours = {(r.group, r.period_start): r.n for r in raw.results}
    theirs = {(t, m.start_time.date()): int(n) for (t, m), n in baseline["n"].items()}
    assert ours == theirs, "kpi_report and pandas disagree on the cell counts"
    build_run, t_build = _timed(lambda: refresh_rollup(wh, full=True))
    assert answers_from_rollup(wh, kpi_definition("nps"), "team")
    assert kpi_report(wh, "nps", **query) == raw, "the rollup and the rows disagree"  # type: ignore[arg-type]
    repeats = 3
    t_pandas = _best(lambda: pandas_baseline(frame), repeats)
    t_raw = _best(lambda: report_from(wh, "nps", source="raw", **query), repeats)  # type: ignore[arg-type]
    t_rollup = _best(lambda: kpi_report(wh, "nps", **query), repeats)  # type: ignore[arg-type]
    t_fresh = _best(lambda: rollup_is_fresh(wh), repeats)
    _insert(wh, rows, appended, "2026-12-02 00:00:00+00")
    stale = not rollup_is_fresh(wh)
    refresh, t_refresh = _timed(lambda: refresh_rollup(wh))
    assert stale and refresh.mode == "incremental" and refresh.rows_summed == appended
    after = report_from(wh, "nps", source="raw", **query)  # type: ignore[arg-type]
    assert kpi_report(wh, "nps", **query) == after, "the refreshed rollup and the rows disagree"  # type: ignore[arg-type]
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print("## KPI speed\n")
    print(
        f"NPS by team × month, {rows:,} feedback rows, {len(raw.results)} cells, "
        f"best of {repeats}; load average {load}\n"
    )
    print("| | seconds | vs pandas |\n|---|---|---|")
    print(f"| pandas groupby (data in memory) | {t_pandas:.3f} | 1.0× |")
    print(f"| `kpi_report` from the rows (DuckDB via Ibis, intervals, tests, BH) | {t_raw:.3f} | "
          f"{t_pandas / t_raw:.1f}× |")  # fmt: skip
    print(f"| `kpi_report` from the daily rollup (same report) | {t_rollup:.3f} | "
          f"{t_pandas / t_rollup:.1f}× |")  # fmt: skip
    print(f"| the freshness check alone (part of the line above) | {t_fresh:.3f} | |")
    print("\n| rollup upkeep | seconds | cells written |\n|---|---|---|")
    print(f"| full build over {rows:,} rows | {t_build:.3f} | {build_run.cells_written:,} |")
    print(f"| incremental refresh after {appended:,} appended rows | {t_refresh:.3f} | "
          f"{refresh.cells_written:,} |")  # fmt: skip
    wh.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int)
    args = parser.parse_args()
    main(quick=args.quick, rows=args.rows)
