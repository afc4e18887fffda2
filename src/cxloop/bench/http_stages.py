"""The HTTP stages of ``cxloop bench``: the collector and the dashboard pages, on loopback.

Both start the real app on the benchmark's project in a child process (as ``cxloop serve``
does) and drive it with ``clients`` concurrent keep-alive connections, ``requests`` each, capped
at ``cap_s`` seconds. Their peak memory is the server's (the runner reads the children's high
water mark).
"""

from __future__ import annotations

from pathlib import Path

from cxloop.access.keys import add_key
from cxloop.bench.loopback import get_pages, post_batches, start_server
from cxloop.bench.stages import StageContext, StageFigure
from cxloop.project import open_project_warehouse

PAGES = ("/", "/feedback", "/scorecard")
EVENTS_PER_BATCH = 20
SOURCE = "bench-collector"


def _stored_events(ctx: StageContext) -> int:
    with open_project_warehouse(ctx.settings(), read_only=True) as wh:
        events = wh.table("events")
        return int(wh.to_pandas(events.filter(events.source == SOURCE).count()))


def collector_stage(ctx: StageContext) -> StageFigure:
    """Segment ``/v1/batch`` of 20 events into the real collector (validated, de-duplicated,
    group-committed) against a FastAPI route that parses the JSON and stores nothing. Every
    acknowledged event must be in the warehouse afterwards."""
    with open_project_warehouse(ctx.settings()) as wh:
        _, key = add_key(wh, "write", source=SOURCE)
    load = {"clients": ctx.clients, "requests": ctx.requests, "cap_s": ctx.cap_s,
            "events": EVENTS_PER_BATCH}  # fmt: skip
    before = _stored_events(ctx)
    server = start_server("cxloop", Path(ctx.project))
    try:
        ours = post_batches(server, key, **load)  # type: ignore[arg-type]
    finally:
        server.stop()
    stored = _stored_events(ctx) - before
    acknowledged = int(ours["events"]) + ctx.clients * EVENTS_PER_BATCH  # + the warm-up batches
    if stored < acknowledged:
        raise AssertionError(f"{acknowledged - stored} acknowledged events are not stored")
    echo = start_server("echo", None)
    try:
        theirs = post_batches(echo, key, **load)  # type: ignore[arg-type]
    finally:
        echo.stop()
    return StageFigure(
        "collector", "events", int(ours["events"]), float(ours["seconds"]), 0.0,
        f"FastAPI route that parses the batch, no writes ({ctx.clients} clients)",
        int(theirs["events"]), float(theirs["seconds"]),
        extra={"events_per_s": ours["events_per_s"], "p50_ms": ours["p50_ms"],
               "p95_ms": ours["p95_ms"], "baseline_events_per_s": theirs["events_per_s"]},
    )  # fmt: skip


def pages_stage(ctx: StageContext) -> StageFigure:
    """The dashboard pages ``/``, ``/feedback`` and ``/scorecard`` (a viewer's API key), against
    ``/healthz`` on the same server: p50 and p95 latency, ``clients`` readers at once. The
    figure's seconds are the p50 latencies, one request each."""
    with open_project_warehouse(ctx.settings()) as wh:
        _, key = add_key(wh, "api", role="viewer")
    load = {"clients": ctx.clients, "requests": ctx.requests, "cap_s": ctx.cap_s}
    server = start_server("cxloop", Path(ctx.project))
    try:
        floor = get_pages(server, key, ("/healthz",), **load)  # type: ignore[arg-type]
        pages = get_pages(server, key, PAGES, **load)  # type: ignore[arg-type]
    finally:
        server.stop()
    return StageFigure(
        "pages", "requests", 1, pages["p50_ms"] / 1000, 0.0,
        f"/healthz on the same server ({ctx.clients} clients)", 1, floor["p50_ms"] / 1000,
        extra={"p50_ms": pages["p50_ms"], "p95_ms": pages["p95_ms"], "per_s": pages["per_s"],
               "requests": pages["requests"], "baseline_p50_ms": floor["p50_ms"],
               "baseline_p95_ms": floor["p95_ms"]},
    )  # fmt: skip
