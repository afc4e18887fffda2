"""Identity resolution speed: ``cxloop resolve`` against a plain recordlinkage (pandas)
pipeline, on the same source records from the demo generator, in one run.

The demo company is generated once (cached under ``.bench/resolve/``) and its four customer
files (CRM, web shop, support desk, app) imported into a staging warehouse. Each size takes the
records of the first people in the planted truth, so every duplicate cluster is whole. For each
size, in a fresh process:

- **cxloop**: a new warehouse holding just those source records; ``resolve`` end to end
  (normalise, deterministic keys, Splink training and prediction, clustering, golden records,
  writes), timed from the call to its return.
- **recordlinkage**: the same records read from Parquet; light pandas cleaning; an index that
  is the union of blocks on e-mail, phone, surname + birth date and surname + postcode;
  Jaro–Winkler / exact comparisons; the unsupervised ECM classifier; connected components.

Both report pairwise precision, recall and F1 against the planted duplicates, wall time and
peak memory (max RSS of the process). The baseline runs up to the largest size it finishes
within the time limit.

    python -m benchmarks.resolve_speed [--quick] [--write-docs] [--sizes 25000,100000,...]

recordlinkage 0.16 declares ``pandas<3`` but runs on pandas 3 for what this script uses; it is
installed without its dependencies (``make bench`` does this, see ``benchmarks/requirements.txt``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
CACHE = ROOT / ".bench" / "resolve"
BEGIN, END = "<!-- resolve-speed:begin -->", "<!-- resolve-speed:end -->"
#: records per person in the customer files of a 3-month demo company (measured: 1.87)
RECORDS_PER_PERSON = 1.85
SIZES = (25_000, 100_000, 300_000, 1_000_000)
QUICK_SIZES = (5_000, 20_000)
TIME_LIMIT = 900.0


# -- data ----------------------------------------------------------------------------------------
def company(people: int, seed: int) -> Path:
    """The demo company's files for ``people`` people (generated once, then cached)."""
    from cxloop.demo import generate_demo_company

    directory = CACHE / f"company-{people}-{seed}"
    if not (directory / "manifest.json").is_file():
        print(f"generating a demo company of {people:,} people…", flush=True)
        generate_demo_company(directory, customers=people, seed=seed, months=3)
    return directory


def cached_people(wanted: int, seed: int) -> int:
    """The people of the largest company already generated with ``seed`` if it holds at least
    ``wanted``, so that every size is cut from the same company (and none is generated again);
    else ``wanted``."""
    sizes = []
    for directory in CACHE.glob(f"company-*-{seed}"):
        people = directory.name.split("-")[1]
        if people.isdigit() and (directory / "manifest.json").is_file():
            sizes.append(int(people))
    return max(sizes) if sizes and max(sizes) >= wanted else wanted


def staging(directory: Path) -> Path:
    """Every source record of the company as one Parquet file, with its person id."""
    from cxloop.collect.importer import import_file
    from cxloop.storage import open_warehouse

    out = directory / "source_records.parquet"
    if out.is_file():
        return out
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, open_warehouse(f"duckdb:///{tmp}/s.duckdb") as wh:
        for item in manifest["files"]:
            if item["kind"] == "customers":
                mapping = directory / item["mapping"] if item["mapping"] else None
                import_file(
                    wh, "customers", directory / item["path"], source=item["source"],
                    mapping=mapping, id_column=item["id_column"],
                )  # fmt: skip
        records = wh.to_pyarrow(wh.table("source_records"))
    truth = pd.read_csv(directory / "ground_truth" / "duplicate_clusters.csv", dtype=str)
    person = dict(zip(truth["source"] + ":" + truth["source_id"], truth["person_id"], strict=True))
    ids = records.column("record_id").to_pylist()
    records = records.append_column("person_id", pa.array([person.get(r) for r in ids]))
    pq.write_table(records, out)
    return out


def subset(records: Path, size: int, out: Path) -> int:
    """The records of the first people (by id) that together hold about ``size`` records."""
    table = pq.read_table(records)
    persons = pd.Series(table.column("person_id").to_pylist())
    order = pd.Series(sorted(persons.dropna().unique(), key=_person_key))
    per_person = persons.value_counts()
    cumulative = per_person.reindex(order).fillna(0).cumsum().to_numpy()
    keep = set(order[: int((cumulative < size).sum()) + 1])
    mask = pa.array(persons.isin(keep).to_numpy())
    chosen = table.filter(mask)
    pq.write_table(chosen, out)
    return chosen.num_rows


def _person_key(person: str) -> tuple[int, str]:
    digits = "".join(ch for ch in person if ch.isdigit())
    return (int(digits) if digits else 0, person)


# -- quality -------------------------------------------------------------------------------------
def pairwise(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of two clusterings (record → label)."""
    common = predicted.keys() & truth.keys()

    def pairs(counts: object) -> int:
        return sum(n * (n - 1) // 2 for n in counts)  # type: ignore[attr-defined]

    found = pairs(Counter(predicted[r] for r in common).values())
    true = pairs(Counter(truth[r] for r in common).values())
    both = pairs(Counter((predicted[r], truth[r]) for r in common).values())
    p = both / found if found else 1.0
    r = both / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# -- the two pipelines (each runs in its own process) --------------------------------------------
def run_cxloop(records: Path, workdir: Path) -> dict[str, object]:
    from cxloop.storage import open_warehouse
    from cxloop.unify import resolve

    table = pq.read_table(records)
    truth = dict(
        zip(table.column("record_id").to_pylist(), table.column("person_id").to_pylist(),
            strict=True)
    )  # fmt: skip
    url = f"duckdb:///{workdir}/bench.duckdb"
    with open_warehouse(url) as wh:
        wh.append("source_records", table.drop_columns(["person_id"]))
    with open_warehouse(url) as wh:
        started = time.perf_counter()
        report = resolve(wh)
        seconds = time.perf_counter() - started
        ids = wh.to_pyarrow(wh.table("identities").select("record_id", "customer_id"))
    predicted = dict(zip(ids.column(0).to_pylist(), ids.column(1).to_pylist(), strict=True))
    precision, recall, f1 = pairwise(predicted, truth)
    return {
        "seconds": seconds,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "customers": report.customers,
        "timings": report.timings,
    }


def run_recordlinkage(records: Path) -> dict[str, object]:
    from cxloop.bench.baselines import SPEED_BLOCKS, SPEED_EXACT, recordlinkage_clusters

    started = time.perf_counter()
    frame = pd.read_parquet(
        records,
        columns=["record_id", "first_name", "last_name", "name", "email", "phone",
                 "birth_date", "city", "postcode", "person_id"],
    )  # fmt: skip
    truth = dict(zip(frame["record_id"], frame["person_id"], strict=True))
    found = recordlinkage_clusters(
        frame.drop(columns=["person_id"]), blocks=SPEED_BLOCKS, exact=SPEED_EXACT
    )
    seconds = time.perf_counter() - started
    precision, recall, f1 = pairwise(found.clusters, truth)
    return {
        "seconds": seconds,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pairs": found.pairs,
        "customers": len(set(found.clusters.values())),
    }


def _child(args: argparse.Namespace) -> None:
    records = Path(args.records)
    if args.child == "cxloop":
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            result = run_cxloop(records, Path(tmp))
    else:
        result = run_recordlinkage(records)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def measure(which: str, records: Path, limit: float) -> dict[str, object] | None:
    """Run one pipeline in a fresh process; ``None`` if it fails or runs past ``limit``."""
    command = [sys.executable, "-m", "benchmarks.resolve_speed", "--child", which, str(records)]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=limit, check=False
        )
    except subprocess.TimeoutExpired:
        print(f"  {which}: did not finish within {limit:.0f} s", flush=True)
        return None
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        print(f"  {which}: failed ({done.returncode}): {' | '.join(tail)}", flush=True)
        return None
    return json.loads(lines[-1][len("RESULT ") :])


# -- the run -------------------------------------------------------------------------------------
def run(sizes: tuple[int, ...], seed: int, limit: float) -> list[dict[str, object]]:
    CACHE.mkdir(parents=True, exist_ok=True)
    people = cached_people(int(max(sizes) / RECORDS_PER_PERSON) + 1_000, seed)
    records = staging(company(people, seed))
    results = []
    baseline_alive = True
    for size in sizes:
        part = CACHE / f"records-{people}-{seed}-{size}.parquet"
        rows = subset(records, size, part)
        print(f"{rows:,} source records:", flush=True)
        cx = measure("cxloop", part, limit)
        if cx:
            print(f"  cxloop: {cx['seconds']:.1f} s, F1 {cx['f1']:.4f}, "
                  f"{cx['peak_mb']:.0f} MB", flush=True)  # fmt: skip
            print(f"  cxloop phases (s): {cx['timings']}", flush=True)
        rl_result = measure("recordlinkage", part, limit) if baseline_alive else None
        if rl_result:
            print(f"  recordlinkage: {rl_result['seconds']:.1f} s, F1 {rl_result['f1']:.4f}, "
                  f"{rl_result['peak_mb']:.0f} MB", flush=True)  # fmt: skip
        else:
            baseline_alive = False
        results.append({"records": rows, "cxloop": cx, "recordlinkage": rl_result})
    return results


def to_markdown(results: list[dict[str, object]], command: str) -> str:
    load = os.getloadavg()[0]
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {load:.1f} at the end, with `{command}`.",
        "",
        "| source records | cxloop resolve | cxloop F1 | cxloop peak | recordlinkage | "
        "recordlinkage F1 | recordlinkage peak | recordlinkage time / cxloop time |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        cx, rl_result = row["cxloop"], row["recordlinkage"]

        def cells(r: object) -> list[str]:
            if not isinstance(r, dict):
                return ["did not finish", "–", "–"]
            return [f"{r['seconds']:.1f} s", f"{r['f1']:.4f}", f"{r['peak_mb']:,.0f} MB"]

        ratio = (
            f"{rl_result['seconds'] / cx['seconds']:.2f}×"
            if isinstance(cx, dict) and isinstance(rl_result, dict)
            else "–"
        )
        lines.append(
            f"| {row['records']:,} | " + " | ".join([*cells(cx), *cells(rl_result), ratio]) + " |"
        )
    return "\n".join(lines)


TARGET_RECORDS, TARGET_SECONDS = 1_000_000, 120.0  # issue 4: 1M records in <= 120 s


def verdict(results: list[dict[str, object]]) -> str:
    """cxloop's time on the largest size against the target (met, not met, or not measured)."""
    largest = max(results, key=lambda r: int(r["records"]))  # type: ignore[call-overload]
    cx = largest["cxloop"]
    if int(largest["records"]) < TARGET_RECORDS:  # type: ignore[call-overload]
        return f"target: not measured (largest size {largest['records']:,} < {TARGET_RECORDS:,})"
    if not isinstance(cx, dict):
        return f"target: NOT met (cxloop did not finish {largest['records']:,} records)"
    met = "met" if cx["seconds"] <= TARGET_SECONDS else "NOT met"
    return (
        f"target: {largest['records']:,} records in {cx['seconds']:.1f} s against "
        f"<= {TARGET_SECONDS:.0f} s: {met} (F1 {cx['f1']:.4f}, load {os.getloadavg()[0]:.1f})"
    )


def update_docs(markdown: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOCS.write_text(f"{head}{BEGIN}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main(
    quick: bool = False,
    write_docs: bool = False,
    sizes: tuple[int, ...] | None = None,
    seed: int = 7,
    limit: float = TIME_LIMIT,
) -> None:
    chosen = sizes or (QUICK_SIZES if quick else SIZES)
    results = run(chosen, seed, limit)
    flags = " --quick" if quick else ""
    markdown = to_markdown(results, f"python -m benchmarks.resolve_speed{flags}")
    print(markdown)
    print()
    print(verdict(results))
    if write_docs:
        update_docs(markdown)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--sizes", help="Comma-separated numbers of source records.")
    parser.add_argument("--limit", type=float, default=TIME_LIMIT, help="Seconds per run.")
    parser.add_argument("--child", choices=["cxloop", "recordlinkage"], help=argparse.SUPPRESS)
    parser.add_argument("records", nargs="?", help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.child:
        _child(a)
    else:
        picked = tuple(int(s) for s in a.sizes.split(",")) if a.sizes else None
        main(quick=a.quick, write_docs=a.write_docs, sizes=picked, limit=a.limit)
