"""``cxloop bench``: the benchmark suite at a chosen scale, each stage against a baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cxloop.bench.options import BenchOptions
from cxloop.cli.output import console, print_json
from cxloop.errors import DataError, UsageError

#: every option's default comes from here
DEFAULTS = BenchOptions()


def bench_command(
    scale: Annotated[
        int | None,
        typer.Option(
            "--scale",
            help="Customers (with 50 events and 5 feedback rows each; default "
            f"{DEFAULTS.customers:,}, or the resumed run's).",
        ),
    ] = None,
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
            "--out",
            dir_okay=False,
            help="Write the results here: FILE.jsonl as each stage ends, FILE.md and FILE.json "
            "at the end (default with --data: DIR/results).",
        ),
    ] = None,
    clients: Annotated[
        int, typer.Option("--clients", help="Concurrent HTTP clients (collector, pages).")
    ] = DEFAULTS.clients,
    requests: Annotated[
        int, typer.Option("--requests", help="Requests per HTTP client in each run.")
    ] = DEFAULTS.requests,
    workdir: Annotated[
        Path | None,
        typer.Option("--workdir", file_okay=False, help="Where the data go (default: /tmp)."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            file_okay=False,
            help="Keep the synthetic data and the warehouse in this folder (reused by a later "
            "run of the same --scale; needed to --resume).",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            dir_okay=False,
            help="Go on with the run whose results are in FILE.jsonl: skip the stages it holds.",
        ),
    ] = None,
    import_sample: Annotated[
        int, typer.Option("--import-sample", help="Most rows per file the import baseline reads.")
    ] = DEFAULTS.import_sample,
    resolve_sample: Annotated[
        int, typer.Option("--resolve-sample", help="Most records recordlinkage links.")
    ] = DEFAULTS.resolve_sample,
    text_sample: Annotated[
        int, typer.Option("--text-sample", help="Most texts VADER scores.")
    ] = DEFAULTS.text_sample,
    kpi_sample: Annotated[
        int, typer.Option("--kpi-sample", help="Most feedback rows the pandas groupby reads.")
    ] = DEFAULTS.kpi_sample,
    clv_sample: Annotated[
        int, typer.Option("--clv-sample", help="Most customers lifetimes fits.")
    ] = DEFAULTS.clv_sample,
    stage_timeout: Annotated[
        float, typer.Option("--stage-timeout", help="Stop a stage after this many seconds.")
    ] = DEFAULTS.stage_timeout_s,
    json_output: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Generate a synthetic company of --scale customers and measure import, collector,
    resolve, text, KPIs, CLV and dashboard pages, each against a baseline in the same run, with
    the peak memory of each stage."""
    from cxloop.bench import run_bench
    from cxloop.bench.results import ResultsLog, results_path

    if scale is None and resume is not None:
        scale = ResultsLog.read(results_path(resume)).header["customers"]
    options = BenchOptions(
        customers=DEFAULTS.customers if scale is None else scale,
        only=tuple(s.strip() for s in only.split(",") if s.strip()) if only else (),
        clients=clients, requests=requests, import_sample=import_sample,
        resolve_sample=resolve_sample, text_sample=text_sample, kpi_sample=kpi_sample,
        clv_sample=clv_sample, stage_timeout_s=stage_timeout,
        data=str(data) if data else None, resume=str(resume) if resume else None,
    )  # fmt: skip
    options.stages()  # a bad option fails before any data is generated
    if workdir is not None and not workdir.is_dir():
        raise UsageError(f"--workdir {workdir}: not a folder")
    command = options.command_line(out)
    if out is None and resume is not None:  # the resumed run's report goes beside its results
        out = resume.with_suffix("")
    elif out is None and data is not None:
        out = data / "results"
    say = None if json_output else (lambda line: console.print(f"[dim]{line}[/]"))
    report = run_bench(options, command=command, workdir=workdir, out=out, progress=say)
    if out is not None:
        out.with_suffix(".md").write_text(report.to_markdown() + "\n", encoding="utf-8")
        out.with_suffix(".json").write_text(report.to_json() + "\n", encoding="utf-8")
    if json_output:
        print_json(json.loads(report.to_json()))
    else:
        console.print(report.to_markdown(), markup=False, highlight=False)
    if report.failed:
        raise DataError("stages failed: " + "; ".join(report.failed))
