"""What ``cxloop bench`` measures and how hard: the one place of every option's default.

:class:`StageOptions` (the HTTP load and the baselines' sample sizes) travels to each stage's
process inside :class:`cxloop.bench.stages.StageContext`; :class:`BenchOptions` adds the
scale, the stages to report, the time limit and the folders. The ``cxloop bench`` command
takes its defaults from here and writes its own command line back with
:meth:`BenchOptions.command_line`. Plain data and no heavy imports, so that the CLI can read
the defaults without loading the suite.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from cxloop.errors import UsageError

#: the stages in the loop's order (:data:`cxloop.bench.runner.STAGES` runs them)
STAGE_NAMES = ("import", "collector", "resolve", "text", "kpi", "clv", "pages")
#: what each stage needs run before it on the same project
NEEDS = {"clv": ("import", "resolve")}
#: the options that size a baseline's sample
SAMPLE_OPTIONS = ("import_sample", "resolve_sample", "text_sample", "kpi_sample", "clv_sample")
#: each option's flag on ``cxloop bench``, in the order a command line gives them
FLAGS = {
    "customers": "--scale", "only": "--only", "clients": "--clients", "requests": "--requests",
    **{name: f"--{name.replace('_', '-')}" for name in SAMPLE_OPTIONS},
    "stage_timeout_s": "--stage-timeout", "data": "--data", "resume": "--resume",
}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class StageOptions:
    """The load and the baseline samples every stage runs with.

    Parameters
    ----------
    clients, requests, cap_s
        The HTTP stages' concurrent clients, requests per client and time cap per run.
    import_sample, resolve_sample, text_sample, kpi_sample, clv_sample
        The most rows each baseline works on: rows per file (pandas + insert), records
        (recordlinkage), texts (VADER), feedback rows (pandas ``groupby``) and customers
        (``lifetimes``). A baseline over more than that runs on a random sample and its cost
        is compared per row; cxloop always runs on everything.
    """

    clients: int = 8
    requests: int = 25
    cap_s: float = 30.0
    import_sample: int = 5_000_000
    resolve_sample: int = 100_000
    text_sample: int = 20_000
    kpi_sample: int = 5_000_000
    clv_sample: int = 50_000

    def stage_options(self) -> dict[str, Any]:
        """These options alone (not a subclass's own fields), by name."""
        return {f.name: getattr(self, f.name) for f in fields(StageOptions)}


@dataclass(frozen=True, kw_only=True)
class BenchOptions(StageOptions):
    """How big and what to measure.

    Parameters
    ----------
    customers
        Customers in the synthetic company (with 50 events and 5 feedback rows each).
    only
        The stages to report (default: all, in the loop's order).
    clients, requests, cap_s, import_sample, resolve_sample, text_sample, kpi_sample, clv_sample
        The stages' load and baseline samples (see :class:`StageOptions`).
    stage_timeout_s
        A stage that runs longer is stopped and reported as such.
    data
        A folder that keeps the synthetic data and the warehouse after the run (generated
        there once, reused by later runs of the same scale); default: a temporary folder.
    resume
        A results file (``FILE.jsonl``) of an earlier run on ``data``: its measured stages are
        not run again, and new figures are appended to it.
    """

    customers: int = 10_000
    only: tuple[str, ...] = ()
    stage_timeout_s: float = 3_600.0
    data: str | None = None
    resume: str | None = None

    def stages(self) -> list[str]:
        """The stages to run, prerequisites included, in the loop's order.

        Raises
        ------
        UsageError
            An option out of range, named by its flag.
        """
        unknown = [s for s in self.only if s not in STAGE_NAMES]
        if unknown:
            raise UsageError(
                f"--only {','.join(unknown)}: unknown stage "
                f"(expected some of: {', '.join(STAGE_NAMES)})"
            )
        if self.customers < 100:
            raise UsageError(f"--scale {self.customers}: give at least 100 customers")
        if self.clients < 1 or self.requests < 1:
            raise UsageError("--clients and --requests must be at least 1")
        for name in SAMPLE_OPTIONS:
            if getattr(self, name) < 1:
                raise UsageError(f"{FLAGS[name]}: give at least 1")
        if self.stage_timeout_s <= 0:
            raise UsageError(
                f"--stage-timeout {self.stage_timeout_s}: give a positive number of seconds"
            )
        chosen = set(self.only or STAGE_NAMES)
        wanted = set(chosen) | {"import"}
        for stage in chosen:
            wanted.update(NEEDS.get(stage, ()))
        return [s for s in STAGE_NAMES if s in wanted]

    def command_line(self, out: Path | None = None) -> str:
        """The ``cxloop bench`` command that gives these options: the scale, then each option
        not at its default, then ``--out``.

        Examples
        --------
        >>> BenchOptions(customers=500, only=("kpi", "clv"), clients=4).command_line()
        'cxloop bench --scale 500 --only kpi,clv --clients 4'
        """
        defaults = {f.name: f.default for f in fields(self)}
        parts: list[str] = []
        for name, flag in FLAGS.items():
            value = getattr(self, name)
            if name != "customers" and (value is None or value == defaults[name]):
                continue
            parts += [flag, ",".join(value) if name == "only" else str(value)]
        if out is not None:
            parts += ["--out", str(out)]
        return shlex.join(["cxloop", "bench", *parts])
