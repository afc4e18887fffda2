"""Run the benchmark suite: synthetic data, then every stage in its own child process.

A child process per stage gives each its own peak memory (the high-water mark of its resident
set, ``ru_maxrss``, and of the servers it started) and keeps one stage's caches from helping
the next. Stages run in the loop's order on one project: import fills the warehouse the others
read, resolve links the orders CLV needs. With ``only``, the stages a chosen one needs still
run but are not reported.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from cxloop.bench import http_stages, stages
from cxloop.bench.report import BenchReport, machine
from cxloop.bench.synthetic import Scale, write_company
from cxloop.errors import UsageError

STAGES: dict[str, Callable[[stages.StageContext], stages.StageFigure]] = {
    "import": stages.import_stage,
    "collector": http_stages.collector_stage,
    "resolve": stages.resolve_stage,
    "text": stages.text_stage,
    "kpi": stages.kpi_stage,
    "clv": stages.clv_stage,
    "pages": http_stages.pages_stage,
}
#: what each stage needs run before it on the same project
NEEDS = {"clv": ("import", "resolve")}
MARK = "BENCH-FIGURE "


@dataclass(frozen=True)
class BenchOptions:
    """How big and what to measure.

    Parameters
    ----------
    customers
        Customers in the synthetic company (with 50 events and 5 feedback rows each).
    only
        The stages to report (default: all, in the loop's order).
    clients, requests, cap_s
        The HTTP stages' concurrent clients, requests per client and time cap per run.
    text_sample
        How many of the comments the text baseline (VADER) scores.
    stage_timeout_s
        A stage that runs longer is stopped and reported as such.
    """

    customers: int = 10_000
    only: tuple[str, ...] = ()
    clients: int = 8
    requests: int = 25
    cap_s: float = 30.0
    text_sample: int = 20_000
    stage_timeout_s: float = 3_600.0

    def stages(self) -> list[str]:
        """The stages to run, prerequisites included, in the loop's order."""
        unknown = [s for s in self.only if s not in STAGES]
        if unknown:
            raise UsageError(
                f"--only {','.join(unknown)}: unknown stage (expected some of: {', '.join(STAGES)})"
            )
        if self.customers < 100:
            raise UsageError(f"--scale {self.customers}: give at least 100 customers")
        chosen = set(self.only or STAGES)
        wanted = set(chosen) | {"import"}
        for stage in chosen:
            wanted.update(NEEDS.get(stage, ()))
        return [s for s in STAGES if s in wanted]


def _child_peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # kilobytes on Linux


def run_stage_child(stage: str, context: str) -> None:
    """The child side: run one stage, print its figure with its peak memory as JSON."""
    figure = STAGES[stage](stages.StageContext(**json.loads(context)))
    figure.peak_mb = _child_peak_mb()
    print(MARK + json.dumps(figure.as_dict()), flush=True)


def run_stage(stage: str, ctx: stages.StageContext, timeout_s: float) -> dict[str, object]:
    """Run ``stage`` in a child process; its figure as a dict (``error`` set when it failed)."""
    code = "import sys; from cxloop.bench.runner import main; main(sys.argv[1:])"
    command = [sys.executable, "-c", code, stage, json.dumps(asdict(ctx))]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return {"stage": stage, "error": f"did not finish within {timeout_s:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"stage": stage, "error": f"exit {done.returncode}: {tail[0]}"}
    return dict(json.loads(lines[-1][len(MARK) :]))


def run_bench(
    options: BenchOptions,
    *,
    command: str = "cxloop bench",
    workdir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BenchReport:
    """Generate a company of ``options.customers`` and measure every chosen stage.

    Parameters
    ----------
    options
        Scale, stages and load (see :class:`BenchOptions`).
    command
        The command line, written into the report.
    workdir
        Where the data and the project go (default: a temporary folder, removed afterwards).
    progress
        Called with a line before each step.

    Returns
    -------
    BenchReport
        One figure per reported stage, the machine and the load.
    """
    from cxloop.project import init_project

    say = progress or (lambda line: None)
    todo = options.stages()
    reported = [s for s in todo if not options.only or s in options.only]
    load_before = os.getloadavg()
    scratch = Path(tempfile.mkdtemp(prefix="cxloop-bench-", dir=workdir))
    try:
        scale = Scale(options.customers)
        say(f"generating {scale.customers:,} customers, {scale.events:,} events, "
            f"{scale.feedback:,} feedback rows")  # fmt: skip
        began = time.perf_counter()
        files = write_company(scratch / "data", scale)
        generated_s = time.perf_counter() - began
        project = scratch / "project"
        init_project(project)
        ctx = stages.StageContext(
            project=str(project), data=str(files.folder), clients=options.clients,
            requests=options.requests, cap_s=options.cap_s, text_sample=options.text_sample,
        )  # fmt: skip
        figures = []
        for stage in todo:
            say(f"stage {stage}" + ("" if stage in reported else " (needed by a chosen stage)"))
            figure = run_stage(stage, ctx, options.stage_timeout_s)
            if stage in reported:
                figures.append(figure)
            elif "error" in figure:
                figures.append(figure)
                break
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return BenchReport(
        command=command, scale={"customers": scale.customers, "events": scale.events,
               "feedback": scale.feedback, "orders": files.rows["orders"]},
        generated_s=generated_s, figures=figures, machine=machine(),
        load_before=load_before, load_after=os.getloadavg(),
    )  # fmt: skip


def main(argv: Sequence[str]) -> None:
    run_stage_child(argv[0], argv[1])
