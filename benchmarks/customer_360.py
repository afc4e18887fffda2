"""Customer 360 speed: search, profiles and exports on a resolved demo company.

Builds the demo company (``--customers N``, seed 2) in a temporary project, or uses an existing
resolved project (``--project DIR``), resolves it, then times ``search_customers`` for names,
e-mail, phone and ids, ``customer_profile`` of the customer with the most events, and
``write_export`` of identities and customers in each format. Prints a Markdown table (median of
``--repeat`` runs). ``--quick`` uses 1,000 people.

    python -m benchmarks.customer_360 [--quick] [--customers N] [--project DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

QUERIES = ("", "garcía", "maria lopez", "王", "秀英", "wang", "@gmail.com", "+34 653 126 976")


def _median(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run(project: Path, repeat: int) -> list[tuple[str, str, str]]:
    from cxloop.config import Settings
    from cxloop.project import open_project_warehouse
    from cxloop.share.exports import write_export
    from cxloop.unify.profile import customer_profile
    from cxloop.unify.search import search_customers

    rows: list[tuple[str, str, str]] = []
    settings = Settings.load(project=project)
    with open_project_warehouse(settings) as wh:
        counts = wh.counts()
        print(
            f"{counts['source_records']:,} source records, {counts['customers']:,} customers, "
            f"{counts['events']:,} events"
        )
        for q in QUERIES:
            seconds, result = _median(lambda q=q: search_customers(wh, q, 25, 0), repeat)
            rows.append((f"search {q!r}", f"{result.total:,} found", f"{seconds * 1000:.0f} ms"))
        events = wh.table("events")
        known = events.filter(events.customer_id.notnull())
        per_customer = known.group_by("customer_id").aggregate(n=known.count())
        busiest = per_customer.order_by([per_customer.n.desc(), "customer_id"]).limit(1)
        top = wh.to_pyarrow(busiest).to_pylist()
        if top:
            customer_id = top[0]["customer_id"]
            seconds, profile = _median(
                lambda: customer_profile(wh, customer_id, timeline_limit=50), repeat
            )
            rows.append(
                (
                    "profile, timeline page of 50",
                    f"{profile.timeline.total:,} timeline rows",
                    f"{seconds * 1000:.0f} ms",
                )
            )
        for table in ("identities", "customers"):
            for fmt in ("csv", "json", "parquet"):
                seconds, n = _median(
                    lambda t=table, f=fmt: write_export(wh, t, f, io.BytesIO()), repeat
                )
                rows.append((f"export {table} {fmt}", f"{n:,} rows", f"{seconds:.2f} s"))
    return rows


def main(quick: bool = False, customers: int = 20_000, project: Path | None = None,
         repeat: int = 5) -> None:  # fmt: skip
    from cxloop.config import Settings
    from cxloop.demo.loading import run_demo
    from cxloop.project import open_project_warehouse
    from cxloop.unify import resolve

    size = 1_000 if quick else customers
    with tempfile.TemporaryDirectory() as scratch:
        if project is None:
            project = Path(scratch) / "demo"
            settings = Settings.load(project=project)
            run_demo(settings, customers=size, seed=2)
            with open_project_warehouse(settings) as wh:
                resolve(wh, settings)
        rows = run(project, repeat)
    print(f"\nCustomer 360 on {platform.processor() or platform.machine()}, median of {repeat}\n")
    print("| what | result | time |\n|---|---:|---:|")
    for what, result, seconds in rows:
        print(f"| {what} | {result} | {seconds} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--project", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    main(quick=args.quick, customers=args.customers, project=args.project, repeat=args.repeat)
