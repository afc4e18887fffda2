"""The stages ``cxloop bench`` measures, each against its baseline in the same run.

A stage function takes a :class:`StageContext` (the project, the synthetic files, the load
settings) and returns a :class:`StageFigure`: how much work (``units``), how long cxloop took
(wall and CPU seconds of the process, DuckDB's threads included) and how long the baseline
took for its own amount of work. The cost ratio compares time per unit, so a baseline run on a
sample is still comparable: below 1 cxloop is cheaper. The runner runs each stage in a child
process and adds its peak memory.
"""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cxloop.bench import baselines
from cxloop.bench.options import StageOptions
from cxloop.config import Settings
from cxloop.project import open_project_warehouse

#: the files the import stage loads, in order: (synthetic file, import kind, source)
IMPORTS = (
    ("customers_crm", "customers", "crm"),
    ("customers_shop", "customers", "shop"),
    ("orders", "orders", "crm"),
    ("feedback", "feedback", "crm"),
    ("events", "events", "crm"),
)
#: the seed of every baseline's random sample, so that a rerun draws the same rows
SAMPLE_SEED = 11
#: lifetimes' penalty when its plain fit does not converge on the synthetic data
LIFETIMES_PENALIZER = 0.001


@dataclass(frozen=True, kw_only=True)
class StageContext(StageOptions):
    """What every stage needs: the project, the synthetic data's folder and the load and
    samples of :class:`~cxloop.bench.options.StageOptions`; plain values so that it crosses
    into a child process as JSON."""

    project: str
    data: str

    def settings(self) -> Settings:
        return Settings.load(project=self.project)


@dataclass
class StageFigure:
    """One stage's measurement. Seconds are wall-clock unless named ``cpu``."""

    stage: str
    unit: str
    units: int
    cxloop_s: float
    cxloop_cpu_s: float
    baseline: str
    baseline_units: int | None = None
    baseline_s: float | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    peak_mb: float | None = None

    @property
    def ratio(self) -> float | None:
        """cxloop's time per unit over the baseline's (below 1: cxloop is cheaper)."""
        if not self.baseline_s or not self.baseline_units or not self.units:
            return None
        return (self.cxloop_s / self.units) / (self.baseline_s / self.baseline_units)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


class Clock:
    """Wall and CPU seconds (this process, all threads) of the block it times."""

    wall = cpu = 0.0

    @staticmethod
    def _cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime


@contextmanager
def timed() -> Iterator[Clock]:
    clock = Clock()
    wall, cpu = time.perf_counter(), Clock._cpu()
    yield clock
    clock.wall, clock.cpu = time.perf_counter() - wall, Clock._cpu() - cpu


#: the process's peak resident memory (MB) when its baseline started: a stage process runs
#: one stage, so this is cxloop's share of the stage's peak (set-up included)
PEAK_BEFORE_BASELINE: dict[str, float] = {}


def _baseline(name: str, run: Callable[[], int]) -> tuple[int | None, float | None, str]:
    """Run a baseline; a missing package gives no figure and says how to install it."""
    PEAK_BEFORE_BASELINE["mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with timed() as clock:
            units = run()
    except baselines.MissingBaseline as exc:
        return None, None, f"{name}: {exc}"
    except Exception as exc:  # a baseline that fails on this data gives no figure, and says why
        reason = " ".join(str(exc).split())
        return None, None, f"{name} failed: {type(exc).__name__}: {reason}"
    return units, clock.wall, ""


def import_stage(ctx: StageContext) -> StageFigure:
    """``import_file`` of every synthetic file into the project, then the daily KPI rollup's
    refresh that ``cxloop import`` runs after feedback (the pages and KPI stages read it),
    against pandas + insert."""
    from cxloop.collect.importer import import_file
    from cxloop.understand.kpi.rollup import refresh_rollup

    data = Path(ctx.data)
    rows = 0
    with open_project_warehouse(ctx.settings()) as wh, timed() as clock:
        for name, kind, source in IMPORTS:
            report = import_file(wh, kind, data / f"{name}.parquet", source=source)
            rows += report.rows_inserted
        rollup = refresh_rollup(wh)
    with tempfile.TemporaryDirectory() as scratch:
        files, sampled = baselines.sample_files(
            {name: data / f"{name}.parquet" for name, _, _ in IMPORTS},
            ctx.import_sample, Path(scratch),
        )  # fmt: skip
        units, seconds, note = _baseline(
            "pandas", lambda: baselines.pandas_insert(files, Path(scratch) / "baseline.duckdb")
        )
    baseline = "pandas read_parquet + DuckDB insert, no checks"
    if sampled:
        baseline += f" (baseline on {units or 0:,} rows: a random sample of "
        baseline += f"{ctx.import_sample:,} rows of {', '.join(sampled)})"
    return StageFigure(
        "import", "rows", rows, clock.wall, clock.cpu, baseline, units, seconds, note,
        {"rollup_feedback_rows": float(rollup.feedback_rows)},
    )  # fmt: skip


def resolve_stage(ctx: StageContext) -> StageFigure:
    """``resolve`` (Splink) on the CRM and shop records, against recordlinkage; F1 of both."""
    from cxloop.unify import resolve

    truth_table = pd.read_parquet(Path(ctx.data) / "truth.parquet")
    truth = dict(zip(truth_table["record_id"], truth_table["person"].astype(str), strict=True))
    with open_project_warehouse(ctx.settings()) as wh:
        with timed() as clock:
            report = resolve(wh)
        ids = wh.to_pandas(wh.table("identities").select("record_id", "customer_id"))
        records = wh.to_pandas(
            wh.table("source_records").select(
                "record_id", "first_name", "last_name", "email", "phone", "birth_date", "postcode"
            )
        )
    extra = {
        "customers": float(report.customers),
        "f1": baselines.pairwise_f1(dict(zip(ids.record_id, ids.customer_id, strict=True)), truth),
    }
    sample = baselines.sample_people(records, truth, ctx.resolve_sample)
    found: dict[str, str] = {}

    def run() -> int:
        found.update(baselines.recordlinkage_clusters(sample).clusters)
        return len(sample)

    units, seconds, note = _baseline("recordlinkage", run)
    if found:
        extra["baseline_f1"] = baselines.pairwise_f1(found, truth)
    baseline = "recordlinkage 0.16 (blocking, Jaro–Winkler, ECM)"
    if len(sample) < len(records):
        baseline += f" (baseline on {len(sample):,} records: every record of a random sample "
        baseline += "of people)"
    return StageFigure("resolve", "records", len(records), clock.wall, clock.cpu, baseline,
                       units, seconds, note, extra)  # fmt: skip


def text_stage(ctx: StageContext) -> StageFigure:
    """``analyse_feedback`` with the default analyser on every comment, against VADER on a
    sample of the same comments."""
    from cxloop.understand.text.analyse_feedback import analyse_feedback
    from cxloop.understand.text.analyser import default_analyser

    settings = ctx.settings()
    with open_project_warehouse(settings) as wh:
        feedback = wh.table("feedback")
        texts = wh.to_pandas(
            feedback.filter(feedback.text.notnull()).select("text").limit(ctx.text_sample)
        )["text"].tolist()
        analyser = default_analyser(settings, Path(ctx.project))
        earlier = int(wh.to_pandas(wh.table("feedback_insights").count()))
        with timed() as clock:
            report = analyse_feedback(wh, analyser)
    units, seconds, note = _baseline("VADER", lambda: baselines.vader_scores(texts))
    if earlier:  # a stopped run's batches were committed: the rest is measured
        note = "; ".join(filter(None, [note, f"{earlier:,} texts analysed by a stopped run"]))
    return StageFigure("text", "texts", report.analysed, clock.wall, clock.cpu,
                       f"VADER 3.3.2 on {len(texts):,} of the same texts", units, seconds,
                       note)  # fmt: skip


def kpi_stage(ctx: StageContext) -> StageFigure:
    """``kpi_report`` NPS by team × month (intervals, tests), against a pandas ``groupby`` of
    the same cells on the rows already in memory."""
    from cxloop.understand.kpi import kpi_report

    with open_project_warehouse(ctx.settings()) as wh:
        feedback = wh.table("feedback")
        rows = int(wh.to_pandas(feedback.count()))
        frame = wh.to_pandas(feedback.select("ts", "team_id", "nps"))
        with timed() as clock:
            report = kpi_report(wh, "nps", by="team", period="month")
    sampled = len(frame) > ctx.kpi_sample
    if sampled:
        frame = frame.sample(n=ctx.kpi_sample, random_state=SAMPLE_SEED)
    cells: list[pd.DataFrame] = []

    def run() -> int:
        cells.append(baselines.pandas_nps_cells(frame))
        return len(frame)

    units, seconds, note = _baseline("pandas", run)
    ours = sum(r.n for r in report.results)
    if cells and not sampled and ours != int(cells[0]["n"].sum()):
        raise AssertionError(f"kpi_report counts {ours} answers, pandas {int(cells[0]['n'].sum())}")
    baseline = "pandas groupby, data already in memory"
    if sampled:
        baseline += f" (baseline on {len(frame):,} rows: a random sample)"
    return StageFigure("kpi", "feedback rows", int(rows), clock.wall, clock.cpu, baseline,
                       units, seconds, note, {"cells": float(len(report.results))})  # fmt: skip


def clv_stage(ctx: StageContext) -> StageFigure:
    """BG/NBD + Gamma-Gamma fits on the warehouse's customer summary, against ``lifetimes`` on
    the same summary; ``score_clv`` end to end (summary, fits, scores, writes) as an extra."""
    from cxloop.understand.clv import BetaGeoModel, GammaGammaModel
    from cxloop.understand.clv.scoring import last_order_day, score_clv, warehouse_summary

    with open_project_warehouse(ctx.settings()) as wh:
        end = last_order_day(wh)
        if end is None:
            raise RuntimeError("no orders of resolved customers: the resolve stage runs first")
        summary = warehouse_summary(wh, end, "D")
        with timed() as clock:
            BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
            repeat = summary[summary["frequency"] > 0]
            GammaGammaModel().fit(repeat["frequency"], repeat["monetary_value"])
        with timed() as whole:
            score_clv(wh)
    sample = summary
    baseline = "lifetimes 0.11.3 fits on the same summary"
    if len(summary) > ctx.clv_sample:
        sample = summary.sample(n=ctx.clv_sample, random_state=SAMPLE_SEED)
        baseline += f" (baseline on {len(sample):,} customers: a random sample)"
    units, seconds, note = _baseline(
        "lifetimes", lambda: len(sample) if baselines.lifetimes_fit(sample) else 0
    )
    if seconds is None and "ConvergenceError" in note:
        # no synthetic customer drops out, so BG/NBD's a and b run to 0, where lifetimes'
        # BFGS stops short; a small penalty keeps them off that edge: the same fits, timed
        units, seconds, note = _baseline(
            "lifetimes",
            lambda: len(sample) if baselines.lifetimes_fit(sample, LIFETIMES_PENALIZER) else 0,
        )
        note = note or (
            "lifetimes did not converge without a penalty on this data (no customer drops "
            f"out): timed with penalizer_coef {LIFETIMES_PENALIZER}"
        )
    return StageFigure("clv", "customers", len(summary), clock.wall, clock.cpu, baseline,
                       units, seconds, note, {"score_clv_s": whole.wall})  # fmt: skip
