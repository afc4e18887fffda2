"""The baselines ``cxloop bench`` measures each stage against, in the same run.

Each is the plain way a data team would do the job without cxloop: pandas read + DuckDB
insert (import), recordlinkage (resolve), VADER (text), a pandas ``groupby`` (KPIs) and
``lifetimes`` (CLV). The collector's and the pages' baselines are HTTP routes
(:mod:`cxloop.bench.loopback`). Packages that cxloop itself does not need are imported here
lazily; when one is missing the stage says how to install it (``make bench`` does).
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

INSTALL_HINT = (
    "install the benchmark baselines with `make bench` or "
    "`pip install --no-deps -r benchmarks/requirements.txt`"
)


class MissingBaseline(RuntimeError):
    """A baseline's package is not installed."""


def require(module: str) -> Any:
    """Import ``module`` or raise :class:`MissingBaseline` saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingBaseline(f"{module} is not installed: {INSTALL_HINT}") from exc


def pandas_insert(files: dict[str, Path], database: Path) -> int:
    """pandas reads each file; DuckDB inserts the DataFrame as it is (no mapping, no checks)."""
    rows = 0
    con = duckdb.connect(str(database))
    try:
        for table, path in files.items():
            frame = pd.read_parquet(path)
            con.register("frame", frame)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
            con.unregister("frame")
            rows += len(frame)
    finally:
        con.close()
    return rows


def sample_files(
    files: dict[str, Path], most: int, scratch: Path, seed: int = 11
) -> tuple[dict[str, Path], list[str]]:
    """``files`` with each one over ``most`` rows replaced by a random sample of ``most`` of its
    rows (DuckDB's reservoir sample, written to ``scratch``); also the names of those sampled."""
    out, sampled = dict(files), []
    con = duckdb.connect()
    try:
        for name, path in files.items():
            if pq.read_metadata(path).num_rows <= most:
                continue
            target = scratch / f"{name}.sample.parquet"
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{path}') "
                f"USING SAMPLE reservoir({int(most)} ROWS) REPEATABLE ({int(seed)})) "
                f"TO '{target}' (FORMAT parquet)"
            )
            out[name] = target
            sampled.append(name)
    finally:
        con.close()
    return out, sampled


def sample_people(
    records: pd.DataFrame, truth: dict[str, str], most: int, seed: int = 11
) -> pd.DataFrame:
    """At most about ``most`` of ``records``: every record of a random sample of the people
    (``truth``: record id → person), so that each sampled person's duplicates stay together."""
    if len(records) <= most:
        return records
    person = records["record_id"].map(truth)
    people = person.dropna().unique()
    rng = np.random.default_rng(seed)
    keep = rng.choice(people, size=int(len(people) * most / len(records)), replace=False)
    return records[person.isin(set(keep))].reset_index(drop=True)


def pairwise_f1(predicted: dict[str, str], truth: dict[str, str]) -> float:
    """Pairwise F1 of two clusterings (record → label) over the records both hold."""
    common = predicted.keys() & truth.keys()

    def pairs(counts: Any) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    found = pairs(Counter(predicted[r] for r in common).values())
    true = pairs(Counter(truth[r] for r in common).values())
    both = pairs(Counter((predicted[r], truth[r]) for r in common).values())
    precision = both / found if found else 1.0
    recall = both / true if true else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


#: the recordlinkage baseline's blocks in ``cxloop bench`` (each a tuple of cleaned columns)
BENCH_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("email",),
    ("phone",),
    ("last", "dob"),
    ("last", "postcode"),
)
#: ... and in ``benchmarks/resolve_speed.py`` (the demo company's harder duplicates)
SPEED_BLOCKS: tuple[tuple[str, ...], ...] = (*BENCH_BLOCKS, ("first", "dob"))
#: columns compared exactly (besides Jaro–Winkler on given and family name), in order
BENCH_EXACT = ("dob", "email", "phone", "postcode")
SPEED_EXACT = ("dob", "email", "phone", "city", "postcode")


@dataclass
class LinkageResult:
    """What the recordlinkage baseline found: record id → cluster label, and the number of
    candidate pairs its blocks produced."""

    clusters: dict[str, str]
    pairs: int


def recordlinkage_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The baseline's light cleaning, indexed by record id: lower-cased names (a record with
    only a full ``name``, where that column is given, is split at its last space), e-mail,
    the last nine phone digits, the birth date as text, city and postcode."""
    frame = records.set_index("record_id")
    first, last = frame["first_name"], frame["last_name"]
    if "name" in frame.columns:
        split = frame["name"].fillna("").str.strip().str.rsplit(" ", n=1, expand=True)
        first = first.fillna(split.get(0, ""))
        last = last.fillna(split.get(1, ""))
    data = pd.DataFrame(index=frame.index)
    data["first"] = first.str.lower().str.strip().replace("", None)
    data["last"] = last.str.lower().str.strip().replace("", None)
    data["email"] = frame["email"].str.lower().str.strip()
    digits = frame["phone"].fillna("").str.replace(r"\D", "", regex=True)
    data["phone"] = digits.str[-9:].where(digits.str.len() >= 7)
    data["dob"] = frame["birth_date"].astype(str).where(frame["birth_date"].notna())
    if "city" in frame.columns:
        data["city"] = frame["city"].str.lower().str.strip()
    data["postcode"] = frame["postcode"].str.replace(" ", "").str.upper()
    return data


def recordlinkage_clusters(
    records: pd.DataFrame,
    *,
    blocks: tuple[tuple[str, ...], ...] = BENCH_BLOCKS,
    exact: tuple[str, ...] = BENCH_EXACT,
) -> LinkageResult:
    """The plain recordlinkage (pandas) pipeline: the union of ``blocks`` (columns of
    :func:`recordlinkage_frame`), Jaro–Winkler on given and family name and exact comparisons
    of ``exact``, the unsupervised ECM classifier, connected components.

    Parameters
    ----------
    records
        Source records with ``record_id``, ``first_name``, ``last_name``, ``email``,
        ``phone``, ``birth_date``, ``postcode`` and, optionally, ``name`` and ``city``.
    blocks
        Each block a tuple of cleaned columns that candidate pairs share.
    exact
        Cleaned columns compared for equality, in this order.
    """
    rl = require("recordlinkage")
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    data = recordlinkage_frame(records)
    index = rl.Index()
    for block in blocks:
        index.block(block[0] if len(block) == 1 else list(block))
    pairs = index.index(data)
    compare = rl.Compare(n_jobs=1)
    compare.string("first", "first", method="jarowinkler", threshold=0.88, label="first")
    compare.string("last", "last", method="jarowinkler", threshold=0.88, label="last")
    for column in exact:
        compare.exact(column, column, label=column)
    matches = rl.ECMClassifier(binarize=0.5).fit_predict(compare.compute(pairs, data))
    position = pd.Series(np.arange(len(data)), index=data.index)
    left = position.reindex(matches.get_level_values(0)).to_numpy()
    right = position.reindex(matches.get_level_values(1)).to_numpy()
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(len(data), len(data)))
    _, labels = connected_components(graph, directed=False)
    return LinkageResult(dict(zip(data.index, labels.astype(str), strict=True)), len(pairs))


def vader_scores(texts: list[str]) -> int:
    """VADER's compound score of each text (English rules, whatever the language)."""
    vader = require("vaderSentiment.vaderSentiment")
    analyser = vader.SentimentIntensityAnalyzer()
    for text in texts:
        analyser.polarity_scores(text)
    return len(texts)


def pandas_nps_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """n, promoters and detractors per team × month with ``groupby`` (data in memory)."""
    scored = frame.dropna(subset=["nps"])
    month = scored["ts"].dt.tz_localize(None).dt.to_period("M")
    scored = scored.assign(month=month, promoter=scored["nps"] >= 9, detractor=scored["nps"] <= 6)
    return scored.groupby(["team_id", "month"], observed=True).agg(
        n=("nps", "size"), promoters=("promoter", "sum"), detractors=("detractor", "sum")
    )


def lifetimes_fit(summary: pd.DataFrame, penalizer: float = 0.0) -> dict[str, float]:
    """BG/NBD and Gamma-Gamma fitted by ``lifetimes`` 0.11.3 (autograd gradients, BFGS), with
    its L2 ``penalizer_coef`` on the parameters (0: the plain maximum likelihood)."""
    lifetimes = require("lifetimes")
    bgnbd = lifetimes.BetaGeoFitter(penalizer_coef=penalizer).fit(
        summary["frequency"], summary["recency"], summary["T"]
    )
    repeat = summary[summary["frequency"] > 0]
    gg = lifetimes.GammaGammaFitter(penalizer_coef=penalizer).fit(
        repeat["frequency"], repeat["monetary_value"]
    )
    return {**bgnbd.params_.to_dict(), **gg.params_.to_dict()}
