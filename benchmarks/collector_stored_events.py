"""Collector cost against the events already stored, on kept warehouses (issue 11).

Two figures per project, with the code on ``PYTHONPATH`` (run it once with main's code and
once with the branch's for a before/after, on copies of the same projects):

- **commit**: one group commit, in-process, as the collector's writer makes it: 12 requests of
  20 new ``track`` events (``write_requests``), the median of ``--reps``; then the same group
  again (a retry: it must add nothing). The first commit of a new source is timed apart (on
  DuckDB it seeds the source's recent ids once).
- **http** (``--http``): the bench suite's collector stage (``cxloop.bench.loopback``: 8
  clients, 25 batches of 20 events each, 30 s cap) against the project's server, with a fresh
  write-key source, so that a second run on the same project sends new ids. Every
  acknowledged event must be stored.

It writes into the projects: run it on copies.

    python -m benchmarks.collector_stored_events PROJECT [PROJECT…] [--reps 20] [--http]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cxloop.collect.event_rows import PreparedRequest, prepare_request
from cxloop.collect.event_writer import write_requests
from cxloop.collect.segment_messages import parse_messages
from cxloop.config import Settings
from cxloop.project import open_project_warehouse


def group(source: str, n: int) -> list[PreparedRequest]:
    now = datetime.now(UTC)
    requests = []
    for r in range(12):
        body = {"batch": [{"type": "track", "userId": f"u{r}", "event": "Clicked",
                           "messageId": f"{n}-{r}-{e}"} for e in range(20)]}  # fmt: skip
        requests.append(prepare_request(parse_messages("batch", body, now).messages, source, now))
    return requests


def commit_cost(project: Path, reps: int) -> dict[str, object]:
    source = f"cost-{uuid.uuid4().hex[:8]}"
    with open_project_warehouse(Settings.load(project=project)) as wh:
        stored = wh.backend.count("events")
        began = time.perf_counter()
        write_requests(wh, group(source, -1))
        first = time.perf_counter() - began
        times = []
        for n in range(reps):
            requests = group(source, n)
            began = time.perf_counter()
            summary = write_requests(wh, requests)
            times.append(time.perf_counter() - began)
            assert summary.events_inserted == 240, summary
        began = time.perf_counter()
        retry = write_requests(wh, group(source, 0))
        retry_s = time.perf_counter() - began
        assert retry.events_inserted == 0, retry
    return {"project": str(project), "events_stored": stored, "first_commit_s": first,
            "commit_p50_ms": 1000 * statistics.median(times), "retry_ms": 1000 * retry_s,
            "reps": reps}  # fmt: skip


def http_load(project: Path) -> dict[str, object]:
    from cxloop.access.keys import add_key
    from cxloop.bench.loopback import post_batches, start_server

    source = f"http-{uuid.uuid4().hex[:8]}"
    settings = Settings.load(project=project)
    with open_project_warehouse(settings) as wh:
        _, key = add_key(wh, "write", source=source)
    server = start_server("cxloop", project)
    try:
        result = post_batches(server, key, clients=8, requests=25, events=20, cap_s=30.0)
    finally:
        server.stop()
    with open_project_warehouse(settings, read_only=True) as wh:
        events = wh.table("events")
        stored = int(wh.to_pandas(events.filter(events.source == source).count()))
    if stored < result["events"] + 8 * 20:  # + the warm-up batches
        raise AssertionError(f"{project}: acknowledged events are missing")
    return {"project": str(project), "events_per_s": result["events_per_s"],
            "p50_ms": result["p50_ms"], "p95_ms": result["p95_ms"]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("projects", nargs="+", type=Path)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--http", action="store_true", help="Also the HTTP load.")
    args = parser.parse_args()
    for project in args.projects:
        figure = commit_cost(project, args.reps)
        if args.http:
            figure.update(http_load(project))
        figure["load_average"] = os.getloadavg()
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
