"""Where ``resolve`` holds its memory: resident memory per phase, and pairs per blocking rule.

Runs a full ``resolve`` on a project's warehouse (for example the one ``cxloop bench --scale N
--data DIR`` leaves in ``DIR/project``) while a thread samples the process's resident memory
(``VmRSS``) every 20 ms, and reports for each phase (the functions ``resolve`` calls: reading,
normalising, deterministic keys, Splink's set-up, training and scoring, clustering, methods,
writes, golden records) its wall time, the memory when it began and ended, and the highest
sample while it ran. With ``--rules`` it prints instead, for each of Splink's blocking rules,
the pairs the rule admits and its largest block (one ``GROUP BY`` per rule on the normalised
records, so the count costs no pairs): a rule whose blocks grow with the data makes the pairs
grow with its square.

    python -m benchmarks.resolve_memory /var/tmp/cap-100k/project
    python -m benchmarks.resolve_memory /var/tmp/cap-100k/project --rules

The resolve run rewrites the warehouse's identities and customers (a full run, as the bench's).
"""

from __future__ import annotations

import argparse
import functools
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: ``resolve``'s phases: (module, function or ``Class.method``) wrapped to time them
PHASES = (
    ("cxloop.unify.resolve", "_read_records"),
    ("cxloop.unify.resolve", "record_features"),
    ("cxloop.unify.resolve", "deterministic_edges"),
    ("cxloop.unify.probabilistic", "model_frame"),
    ("cxloop.unify.probabilistic", "_trained_linker"),
    (
        "splink.internals.linker_components.training",
        "LinkerTraining.estimate_u_using_random_sampling",
    ),
    (
        "splink.internals.linker_components.training",
        "LinkerTraining.estimate_parameters_using_expectation_maximisation",
    ),
    ("splink.internals.linker_components.inference", "LinkerInference.predict"),
    ("splink.internals.splink_dataframe", "SplinkDataFrame.as_pandas_dataframe"),
    ("cxloop.unify.resolve", "cluster_records"),
    ("cxloop.unify.resolve", "assign_ids"),
    ("cxloop.unify.resolve", "_methods"),
    ("cxloop.unify.resolve", "link_activity"),
    ("cxloop.unify.resolve", "activity_span"),
    ("cxloop.unify.resolve", "golden_records"),
)


def rss_mb() -> float:
    """The process's resident memory now (``VmRSS``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler:
    """A thread that samples :func:`rss_mb` every ``every`` seconds."""

    def __init__(self, every: float = 0.02) -> None:
        self.every = every
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), rss_mb()))
            self._stop.wait(self.every)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, began: float, ended: float) -> float:
        inside = [mb for t, mb in self.samples if began <= t <= ended]
        return max(inside, default=rss_mb())


@contextmanager
def phases_timed(log: list[dict[str, Any]]) -> Iterator[None]:
    """Wrap each of :data:`PHASES` to append (name, start, end, memory) to ``log``."""
    import importlib

    saved = []
    for module_name, name in PHASES:
        owner: Any = importlib.import_module(module_name)
        *classes, attribute = name.split(".")
        for part in classes:
            owner = getattr(owner, part)
        original = getattr(owner, attribute, None)
        if original is None:  # a phase this version of resolve does not have
            continue

        def wrapped(*args: Any, __f: Callable[..., Any] = original, __n: str = name,
                    **kwargs: Any) -> Any:  # fmt: skip
            entry = {"phase": __n, "began": time.perf_counter(), "rss_before": rss_mb()}
            try:
                return __f(*args, **kwargs)
            finally:
                entry["ended"] = time.perf_counter()
                entry["rss_after"] = rss_mb()
                log.append(entry)

        setattr(owner, attribute, functools.wraps(original)(wrapped))
        saved.append((owner, attribute, original))
    try:
        yield
    finally:
        for owner, attribute, original in saved:
            setattr(owner, attribute, original)


def profile(project: Path) -> list[dict[str, Any]]:
    """Run a full ``resolve`` on ``project``'s warehouse; each phase's time and memory."""
    from cxloop.config import Settings
    from cxloop.project import open_project_warehouse
    from cxloop.unify import resolve

    log: list[dict[str, Any]] = []
    with Sampler() as sampler, phases_timed(log):
        began = time.perf_counter()
        with open_project_warehouse(Settings.load(project=project)) as wh:
            report = resolve(wh, full=True)
        ended = time.perf_counter()
    rows = [
        {"phase": e["phase"], "seconds": e["ended"] - e["began"], "rss_before": e["rss_before"],
         "peak": sampler.peak(e["began"], e["ended"]), "rss_after": e["rss_after"]}
        for e in sorted(log, key=lambda e: e["began"])
    ]  # fmt: skip
    rows.append({"phase": f"whole resolve ({report.source_records:,} records)",
                 "seconds": ended - began, "rss_before": sampler.samples[0][1],
                 "peak": sampler.peak(began, ended), "rss_after": rss_mb()})  # fmt: skip
    return rows


def rule_columns(rule: str) -> list[str]:
    """The columns of a blocking rule made of ``l.x = r.x`` conditions joined by ``AND``."""
    columns = []
    for condition in re.split(r"\s+AND\s+", rule.strip(), flags=re.IGNORECASE):
        found = re.fullmatch(r"l\.(\w+)\s*=\s*r\.(\w+)", condition.strip())
        if not found or found.group(1) != found.group(2):
            raise ValueError(f"blocking rule {rule!r}: not a conjunction of l.x = r.x")
        columns.append(found.group(1))
    return columns


def rule_pairs(frame: Any, rules: list[str]) -> list[dict[str, Any]]:
    """Pairs each rule admits in ``frame`` (the model's columns) and its largest block."""
    import duckdb

    con = duckdb.connect()
    con.register("records", frame)
    out = []
    for rule in rules:
        columns = rule_columns(rule)
        keys = ", ".join(columns)
        present = " AND ".join(f"{c} IS NOT NULL" for c in columns)
        pairs, largest, blocks = con.execute(
            f"SELECT coalesce(sum(n * (n - 1) / 2), 0), coalesce(max(n), 0), count(*) FROM "
            f"(SELECT count(*) AS n FROM records WHERE {present} GROUP BY {keys})"
        ).fetchone()
        out.append({"rule": rule, "pairs": int(pairs), "largest": int(largest),
                    "blocks": int(blocks)})  # fmt: skip
    return out


def rules_report(project: Path) -> tuple[int, list[dict[str, Any]]]:
    """Records, and the pairs per blocking rule, in ``project``'s source records."""
    from cxloop.config import Settings
    from cxloop.project import open_project_warehouse
    from cxloop.unify.comparisons import prediction_rules
    from cxloop.unify.features import record_features
    from cxloop.unify.options import ResolveOptions
    from cxloop.unify.probabilistic import model_frame
    from cxloop.unify.resolve import _read_records

    settings = Settings.load(project=project)
    with open_project_warehouse(settings) as wh:
        records = _read_records(wh)
    opts = ResolveOptions.coerce(settings)
    frame = model_frame(record_features(records, opts), None)
    ids = [c for c in frame.columns if c.startswith("id_")]
    return len(frame), rule_pairs(frame.drop(columns=["pending"]), prediction_rules(ids))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project folder (with its warehouse)")
    parser.add_argument("--rules", action="store_true", help="pairs per blocking rule instead")
    parser.add_argument("--activity-batch-rows", type=int, help="activity rows written at once")
    args = parser.parse_args()
    if args.activity_batch_rows:
        from cxloop.unify import activity

        activity.BATCH_ROWS = args.activity_batch_rows
    if args.rules:
        records, rows = rules_report(args.project)
        print(f"{records:,} records\n\n| blocking rule | pairs | largest block | blocks |")
        print("|---|---:|---:|---:|")
        for r in rows:
            print(f"| `{r['rule']}` | {r['pairs']:,} | {r['largest']:,} | {r['blocks']:,} |")
        return
    print("| phase | wall s | RSS before (MB) | peak (MB) | RSS after (MB) |")
    print("|---|---:|---:|---:|---:|")
    for r in profile(args.project):
        print(f"| {r['phase']} | {r['seconds']:.1f} | {r['rss_before']:,.0f} | {r['peak']:,.0f} "
              f"| {r['rss_after']:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
