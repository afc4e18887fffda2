"""Run the benchmark suite: synthetic data, then every stage in its own child process.

A child process per stage gives each its own peak memory (the high-water mark of its resident
set, ``ru_maxrss``, and of the servers it started) and keeps one stage's caches from helping
the next. Stages run in the loop's order on one project: import fills the warehouse the others
read, resolve links the orders CLV needs. With ``only``, the stages a chosen one needs still
run but are not reported.

A run at full scale takes most of an hour, so it is built to be stopped and resumed: with
``data`` the synthetic files and the warehouse stay in a folder, every stage's figure is
appended to a results file the moment its process exits (:mod:`cxloop.bench.results`), and
``resume`` skips the stages that file already holds. A line with the elapsed time goes to
``progress`` before and after each stage.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from cxloop.bench import http_stages, stages
from cxloop.bench.options import BenchOptions
from cxloop.bench.report import BenchReport, machine
from cxloop.bench.results import ResultsLog, results_path
from cxloop.bench.synthetic import Scale, SyntheticFiles, write_company
from cxloop.errors import DataError, UsageError

#: each stage's function, in the loop's order (:data:`cxloop.bench.options.STAGE_NAMES`)
STAGES: dict[str, Callable[[stages.StageContext], stages.StageFigure]] = {
    "import": stages.import_stage,
    "collector": http_stages.collector_stage,
    "resolve": stages.resolve_stage,
    "text": stages.text_stage,
    "kpi": stages.kpi_stage,
    "clv": stages.clv_stage,
    "pages": http_stages.pages_stage,
}
MARK = "BENCH-FIGURE "
#: seconds between "still running" lines while a stage runs
HEARTBEAT_S = 300.0


def _child_peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # kilobytes on Linux


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_stage_child(stage: str, context: str) -> None:
    """The child side: run one stage, print its figure with its peak memory as JSON."""
    figure = STAGES[stage](stages.StageContext(**json.loads(context)))
    figure.peak_mb = _child_peak_mb()
    if "mb" in stages.PEAK_BEFORE_BASELINE:
        figure.extra["peak_before_baseline_mb"] = stages.PEAK_BEFORE_BASELINE["mb"]
    print(MARK + json.dumps(figure.as_dict()), flush=True)


def generate_child(folder: str, customers: str) -> None:
    """The child side of generating the data: write them, print the row counts as JSON."""
    files = write_company(Path(folder), Scale(int(customers)))
    print(MARK + json.dumps({"rows": files.rows, "peak_mb": _child_peak_mb()}), flush=True)


def _run_child(
    args: list[str], timeout_s: float, heartbeat: Callable[[float], None] | None = None
) -> tuple[dict[str, Any], float, float]:
    """Run ``main(args)`` in a child process: its marked JSON (``error`` set when it failed),
    its wall seconds and the CPU seconds of it and the processes it waited for.

    The child leads its own process group, so that a stage stopped at ``timeout_s`` takes the
    servers it started with it (one left behind would hold the warehouse's lock). ``heartbeat``
    is called with the seconds so far every :data:`HEARTBEAT_S` while the child runs."""
    code = "import sys; from cxloop.bench.runner import main; main(sys.argv[1:])"
    wall, cpu = time.perf_counter(), _children_cpu_s()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    result: dict[str, Any] | None = None
    while True:
        waited = time.perf_counter() - wall
        try:
            stdout, stderr = child.communicate(
                timeout=max(0.1, min(HEARTBEAT_S, timeout_s - waited))
            )
            break
        except subprocess.TimeoutExpired:
            if time.perf_counter() - wall >= timeout_s:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
                result = {"error": f"did not finish within {timeout_s:.0f} s"}
                break
            if heartbeat is not None:
                heartbeat(time.perf_counter() - wall)
    if result is None:
        lines = [line for line in stdout.splitlines() if line.startswith(MARK)]
        if child.returncode != 0 or not lines:
            tail = (stderr or stdout).strip().splitlines()[-1:] or ["no output"]
            result = {"error": f"exit {child.returncode}: {tail[0]}"}
        else:
            result = dict(json.loads(lines[-1][len(MARK) :]))
    return result, time.perf_counter() - wall, _children_cpu_s() - cpu


def run_stage(
    stage: str,
    ctx: stages.StageContext,
    timeout_s: float,
    heartbeat: Callable[[float], None] | None = None,
) -> dict[str, object]:
    """Run ``stage`` in a child process; its figure as a dict (``error`` set when it failed),
    with the whole process's wall and CPU seconds (baseline and set-up included)."""
    figure, wall, cpu = _run_child([stage, json.dumps(asdict(ctx))], timeout_s, heartbeat)
    return {"stage": stage, **figure, "stage_s": wall, "stage_cpu_s": cpu}


def prepare_company(
    folder: Path, scale: Scale, say: Callable[[str], None], timeout_s: float
) -> tuple[SyntheticFiles, dict[str, Any]]:
    """The synthetic data in ``folder``: generated in a child process (its time and peak
    memory recorded in ``company.json``), or reused when an earlier run left them there."""
    manifest = folder / "company.json"
    if manifest.is_file():
        made = json.loads(manifest.read_text(encoding="utf-8"))
        if made["customers"] != scale.customers:
            raise UsageError(
                f"--data {folder.parent}: holds a company of {made['customers']:,} customers, "
                f"not --scale {scale.customers:,} (give another folder)"
            )
        say(f"reusing the {scale.customers:,}-customer company in {folder}")
        return SyntheticFiles(folder, made["rows"]), made
    say(f"generating {scale.customers:,} customers, {scale.events:,} events, "
        f"{scale.feedback:,} feedback rows in {folder}")  # fmt: skip
    result, wall, cpu = _run_child(["generate", str(folder), str(scale.customers)], timeout_s)
    if "error" in result:
        raise DataError(f"generating the synthetic data failed: {result['error']}")
    made = {"customers": scale.customers, "rows": result["rows"], "generated_s": wall,
            "generated_cpu_s": cpu, "peak_mb": result["peak_mb"]}  # fmt: skip
    manifest.write_text(json.dumps(made, indent=2) + "\n", encoding="utf-8")
    return SyntheticFiles(folder, made["rows"]), made


def prepare_project(project: Path, resuming: bool, say: Callable[[str], None]) -> Path:
    """The run's project: kept when resuming, else made afresh (a new run on kept data must
    not import into a warehouse an earlier run filled)."""
    from cxloop.project import init_project

    if not resuming and project.exists():
        say(f"a new run: the warehouse in {project} is made afresh")
        shutil.rmtree(project)
    if not (project / "cxloop.toml").is_file():
        init_project(project)
    return project


def _open_log(
    options: BenchOptions, resumed: ResultsLog | None, out: Path | None, command: str, data: Path
) -> ResultsLog | None:
    """The results log: the resumed run's (checked against the options) or a new one."""
    if resumed is not None:
        log = resumed
        run = log.header
        if run["customers"] != options.customers:
            raise UsageError(f"--resume {options.resume}: a run of --scale {run['customers']}, "
                             f"not {options.customers}")  # fmt: skip
        return log
    if out is None:
        return None
    header = {"command": command, "customers": options.customers, "data": str(data),
              "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}  # fmt: skip
    return ResultsLog.start(results_path(out), header)


def _elapsed(began: float) -> str:
    seconds = int(time.perf_counter() - began)
    return f"[{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}]"


def _beat(say: Callable[[str], None], began: float, stage: str, seconds: float) -> None:
    say(f"{_elapsed(began)} stage {stage} still running ({seconds / 60:.0f} min so far)")


def _finished(stage: str, figure: dict[str, Any]) -> str:
    if "error" in figure:
        return f"stage {stage} failed after {figure['stage_s']:.0f} s: {figure['error']}"
    return (f"stage {stage} done in {figure['stage_s']:.0f} s "
            f"({figure['stage_cpu_s']:.0f} CPU-s, peak {figure['peak_mb']:,.0f} MB)")  # fmt: skip


def run_bench(
    options: BenchOptions,
    *,
    command: str = "cxloop bench",
    workdir: Path | None = None,
    out: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BenchReport:
    """Generate a company of ``options.customers`` and measure every chosen stage.

    Parameters
    ----------
    options
        Scale, stages, load, baseline samples, the data folder and the run to resume (see
        :class:`BenchOptions`).
    command
        The command line, written into the report.
    workdir
        Where a temporary data folder goes when ``options.data`` is not given.
    out
        Results file: each stage's figure is appended to ``out.jsonl`` as soon as measured.
    progress
        Called with a line (elapsed time first) before and after each step.

    Returns
    -------
    BenchReport
        One figure per reported stage, the machine and the load.
    """
    began = time.perf_counter()
    say = progress or (lambda line: None)
    todo = options.stages()
    reported = [s for s in todo if not options.only or s in options.only]
    load_before = os.getloadavg()
    resumed = ResultsLog.read(results_path(Path(options.resume))) if options.resume else None
    data = options.data or (resumed.header["data"] if resumed else None)
    if options.resume and not data:
        raise UsageError(f"--resume {options.resume}: give --data, the folder of the run's data")
    if data and not options.resume and out is None:
        out = Path(data) / "results"
    if resumed is not None and str(Path(str(data)).resolve()) != resumed.header["data"]:
        raise UsageError(f"--data {data}: the resumed run's data are in {resumed.header['data']}")
    scratch = Path(data) if data else Path(tempfile.mkdtemp(prefix="cxloop-bench-", dir=workdir))
    scratch.mkdir(parents=True, exist_ok=True)
    scratch = scratch.resolve()
    try:
        log = _open_log(options, resumed, out, command, scratch)
        scale = Scale(options.customers)
        files, made = prepare_company(
            scratch / "data", scale, lambda line: say(f"{_elapsed(began)} {line}"),
            options.stage_timeout_s,
        )  # fmt: skip
        if log is not None:
            log.note_company(made)
        project = prepare_project(
            scratch / "project", resumed is not None, lambda line: say(f"{_elapsed(began)} {line}")
        )
        ctx = stages.StageContext(
            project=str(project), data=str(files.folder), **options.stage_options()
        )
        done = log.measured() if log is not None else {}
        figures = []
        for stage in todo:
            if stage in done:
                say(f"{_elapsed(began)} stage {stage}: measured earlier, in {log.path}")  # type: ignore[union-attr]
                figure = done[stage]
            else:
                say(f"{_elapsed(began)} stage {stage}"
                    + ("" if stage in reported else " (needed by a chosen stage)"))  # fmt: skip
                figure = run_stage(
                    stage, ctx, options.stage_timeout_s, partial(_beat, say, began, stage)
                )
                if log is not None:
                    log.append(figure)
                say(f"{_elapsed(began)} {_finished(stage, figure)}")
            if stage in reported:
                figures.append(figure)
            elif "error" in figure:
                figures.append(figure)
                break
    finally:
        if not data:
            shutil.rmtree(scratch, ignore_errors=True)
    return BenchReport(
        command=command, scale={"customers": scale.customers, "events": scale.events,
               "feedback": scale.feedback, "orders": files.rows["orders"]},
        generated_s=float(made["generated_s"]), figures=figures, machine=machine(),
        load_before=load_before, load_after=os.getloadavg(),
    )  # fmt: skip


def main(argv: Sequence[str]) -> None:
    if argv[0] == "generate":
        generate_child(argv[1], argv[2])
    else:
        run_stage_child(argv[0], argv[1])
