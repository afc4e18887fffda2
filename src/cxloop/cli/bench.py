"""``cxloop bench``: the benchmark suite at a chosen scale, each stage against a baseline."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Annotated

import typer

from cxloop.cli.output import console, print_json
from cxloop.errors import DataError, UsageError


def bench_command(
    scale: Annotated[
        int,
        typer.Option("--scale", help="Customers (with 50 events and 5 feedback rows each)."),
    ] = 10_000,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Stages to report, comma-separated: import, collector, resolve, text, kpi, "
            "clv, pages (default: all).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", dir_okay=False, help="Write the results here: FILE.md and FILE.json."
        ),
    ] = None,
    clients: Annotated[
        int, typer.Option("--clients", help="Concurrent HTTP clients (collector, pages).")
    ] = 8,
    requests: Annotated[
        int, typer.Option("--requests", help="Requests per HTTP client in each run.")
    ] = 25,
    workdir: Annotated[
        Path | None,
        typer.Option("--workdir", file_okay=False, help="Where the data go (default: /tmp)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Generate a synthetic company of --scale customers and measure import, collector,
    resolve, text, KPIs, CLV and dashboard pages, each against a baseline in the same run, with
    the peak memory of each stage."""
    from cxloop.bench import BenchOptions, run_bench

    if clients < 1 or requests < 1:
        raise UsageError("--clients and --requests must be at least 1")
    stages = tuple(s.strip() for s in only.split(",") if s.strip()) if only else ()
    options = BenchOptions(customers=scale, only=stages, clients=clients, requests=requests)
    options.stages()  # a bad --scale or --only fails before any data is generated
    if workdir is not None and not workdir.is_dir():
        raise UsageError(f"--workdir {workdir}: not a folder")
    given = [("--scale", scale), ("--only", only), ("--clients", clients if clients != 8 else None),
             ("--requests", requests if requests != 25 else None), ("--out", out)]  # fmt: skip
    command = "cxloop bench " + shlex.join(
        [part for name, value in given if value is not None for part in (name, str(value))]
    )
    say = None if json_output else (lambda line: console.print(f"[dim]{line}[/]"))
    report = run_bench(options, command=command, workdir=workdir, progress=say)
    if out is not None:
        out.with_suffix(".md").write_text(report.to_markdown() + "\n", encoding="utf-8")
        out.with_suffix(".json").write_text(report.to_json() + "\n", encoding="utf-8")
    if json_output:
        print_json(json.loads(report.to_json()))
    else:
        console.print(report.to_markdown(), markup=False, highlight=False)
    if report.failed:
        raise DataError("stages failed: " + "; ".join(report.failed))
