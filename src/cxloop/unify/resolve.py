"""Identity resolution, end to end: ``source_records`` (+ the collector's ``identity_links``)
→ ``identities`` (record → customer) and ``customers`` (golden records), with every event,
order and piece of feedback put under its customer.

An incremental run (the default) considers only *pending* records — new ones, and ones changed
since they were resolved (the collector merges ``identify`` traits into them) — and lets them
join or bridge existing customers; existing customers keep their ids. A full run re-links
every record from scratch and still keeps an id wherever most of a customer's records stay
together. Everything is written in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, Field

from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema, canonical_tables
from cxloop.unify.activity import activity_span, id_map, link_activity
from cxloop.unify.clusters import assign_ids, cluster_records
from cxloop.unify.deterministic import (
    COLLECTOR,
    EMAIL,
    METHODS,
    OVERRIDE,
    PHONE,
    PROBABILISTIC,
    SINGLETON,
    collector_graph,
    deterministic_edges,
    empty_edges,
)
from cxloop.unify.features import RECORD_COLUMNS, record_features
from cxloop.unify.golden_record import golden_records
from cxloop.unify.options import ResolveOptions
from cxloop.unify.overrides import Constraints, list_overrides
from cxloop.unify.probabilistic import match_records
from cxloop.unify.saved_model import model_row, save_model


class ResolveReport(BaseModel):
    """What a resolution run did (the ``--json`` output of ``cxloop resolve``)."""

    mode: Literal["incremental", "full"]
    source_records: int = Field(description="Source records in the warehouse.")
    records_resolved: int = Field(description="Records (re)considered: new or changed ones.")
    customers: int = Field(description="Customers after the run.")
    customers_created: int = 0
    clusters_merged: int = Field(default=0, description="Existing customers absorbed into another.")
    links: dict[str, int] = Field(
        default_factory=dict,
        description="Links that joined two clusters this run, by kind (n records that share "
        "an e-mail make n - 1; a pair already joined by a stronger link is not counted).",
    )
    links_refused: int = Field(
        default=0,
        description="Probabilistic links not applied because they would have joined two "
        "records of one source through a third record.",
    )
    links_refused_by_splits: int = Field(
        default=0,
        description="Links not applied because they would have undone an analyst's split.",
    )
    overrides: int = Field(default=0, description="Analysts' merges and splits in force.")
    model_id: str | None = Field(
        default=None, description="The saved model that scored this run's pairs (`resolve_models`)."
    )
    identities: dict[str, int] = Field(
        default_factory=dict, description="Records per resolution method, after the run."
    )
    identities_written: int = 0
    activity_linked: dict[str, int] = Field(
        default_factory=dict, description="Events, orders and feedback rows given a customer."
    )
    model_trained: bool = False
    match_threshold: float
    seconds: float = 0.0
    timings: dict[str, float] = Field(default_factory=dict)


IDENTITY_SCHEMA = arrow_schema("identities")


def resolve(
    warehouse: Warehouse,
    options: ResolveOptions | Any = None,
    *,
    full: bool = False,
    now: datetime | None = None,
    revisit: Iterable[str] = (),
) -> ResolveReport:
    """Resolve source records into customers.

    Parameters
    ----------
    warehouse
        An open, writable warehouse.
    options
        :class:`ResolveOptions`, a mapping of them, or a :class:`~cxloop.config.Settings`
        (its ``resolve_*`` fields); ``None`` for the defaults.
    full
        Recompute every cluster from scratch instead of resolving only new and changed
        records.
    now
        The time written as ``resolved_at`` / ``updated_at`` (default: the current time).
    revisit
        Record ids whose customers an incremental run re-links from scratch (after an
        override was removed). Customers that break an analyst's split are re-linked anyway.

    Returns
    -------
    ResolveReport

    Examples
    --------
    >>> report = resolve(wh)  # doctest: +SKIP
    >>> report.customers, report.links  # doctest: +SKIP
    (2075, {'deterministic:email': 1647, 'deterministic:phone': 449, 'probabilistic': 130})
    """
    started = time.perf_counter()
    opts = ResolveOptions.coerce(options)
    now = now or datetime.now(UTC)
    clock = _Clock()
    records = _read_records(warehouse)
    known = _read_identities(warehouse)
    links = _read_links(warehouse)
    clock.lap("read")
    if records.empty:
        return _nothing_to_resolve(warehouse, known, opts, full=full, started=started)

    prior = records[["record_id"]].join(known, on="record_id")
    existing = prior["customer_id"].astype(object).where(prior["customer_id"].notna(), None)
    overrides = list_overrides(warehouse, include_removed=False)
    constraints = Constraints.from_overrides(overrides)
    kept = existing  # the customers an incremental run keeps together
    if full:
        pending = pd.Series(True, index=records.index)
    else:
        newer = (records["imported_at"] > prior["resolved_at"]).fillna(False)
        pending = existing.isna() | newer.astype(bool)
        relink = _customers_to_relink(records, existing, constraints, revisit)
        if relink:
            again = existing.isin(relink)
            pending = pending | again
            kept = existing.where(~again, None)
    collector = collector_graph(links, records)
    edges = [collector.edges]
    trained = False
    features = None
    match = None
    if pending.any() or not collector.edges.empty:
        features = record_features(records, opts)
        clock.lap("normalise")
    if pending.any():
        assert features is not None
        scope = None if full else pending
        edges.append(deterministic_edges(features, max_records=opts.max_key_records, pending=scope))
        match = match_records(features, opts, pending=scope, engine=warehouse.splink_api())
        edges.append(match.edges)
        trained = match.trained
        clock.laps.update({f"match_{k}": round(v, 3) for k, v in match.timings.items()})
        clock.lap("link")
    all_edges = pd.concat([e for e in edges if not e.empty] or [empty_edges()], ignore_index=True)
    clustering = cluster_records(
        records["record_id"],
        records["source"],
        all_edges,
        existing=None if full else kept,
        must=constraints.must,
        cannot=constraints.cannot,
    )
    assignment = assign_ids(
        records.assign(seen_at=_seen_at(records)),
        clustering.root,
        existing,
        full=full,
        taken=_customer_ids(warehouse),
    )
    clock.lap("cluster")

    customer = assignment.customer_id
    moved = customer.ne(existing) | existing.isna()
    # customers that gained, lost or re-examined a record: their records' methods may change
    touched_customers = set(customer[pending | moved].tolist())
    in_touched = _member(customer, touched_customers)
    if in_touched.any() and features is None:
        features = record_features(records, opts)
    method, probability = _methods(
        records, features, customer, all_edges, _must_edges(constraints.must)
    )
    # a record linked probabilistically in an earlier run keeps that link's probability
    earlier = method.eq(PROBABILISTIC) & probability.isna() & prior["method"].eq(PROBABILISTIC)
    probability = probability.where(~earlier, prior["match_probability"])
    method = method.where(in_touched, prior["method"])
    probability = probability.where(in_touched, prior["match_probability"])
    same_probability = (probability == prior["match_probability"]) | (
        probability.isna() & prior["match_probability"].isna()
    )
    changed = in_touched & (pending | moved | method.ne(prior["method"]) | ~same_probability)
    identity_rows = _identity_rows(
        records[changed], customer[changed], probability[changed], method[changed], now
    )
    vanished = sorted(set(known.index.tolist()) - set(records["record_id"].tolist()))
    affected = set(customer[changed].dropna().tolist()) | set(existing[changed].dropna().tolist())
    model = None
    if match is not None and match.model:
        model = model_row(
            match.model,
            opts,
            created_at=now,
            mode="full" if full else "incremental",
            records=len(records),
            records_scored=int(pending.sum()),
            trained=match.trained,
        )

    with warehouse.transaction():
        if model is not None:
            save_model(warehouse, model)
        warehouse.delete("identities", "record_id", vanished)
        if identity_rows.num_rows:
            warehouse.replace("identities", identity_rows)
        clock.lap("write_identities")
        mapping = id_map(records.assign(customer_id=customer), collector.aliases)
        activity_changed, touched = link_activity(warehouse, mapping)
        affected |= touched
        clock.lap("activity")
        current = set(customer.dropna().tolist())
        stale = sorted(_customer_ids(warehouse) - current)
        warehouse.delete("customers", "customer_id", stale)
        wanted = sorted(current if full else affected & current)
        if wanted:
            members = records.assign(customer_id=customer, seen_at=_seen_at(records))
            if features is not None:
                members = members.assign(
                    phone_e164=features["phone"], country_code=features["country"]
                )
                if not opts.email_provider_rules:
                    members = members.assign(email_clean=features["email_key"])
            members = members[_member(members["customer_id"], set(wanted))]
            span = activity_span(warehouse, None if full else wanted)
            golden = golden_records(members, span, options=opts, now=now)
            warehouse.replace("customers", _customers_table(warehouse, golden))
        clock.lap("write_customers")

    final_methods = method.value_counts().to_dict()
    return ResolveReport(
        mode="full" if full else "incremental",
        source_records=len(records),
        records_resolved=int(pending.sum()),
        customers=len(set(customer.dropna().tolist())),
        customers_created=len(assignment.created),
        clusters_merged=assignment.merged,
        links=_link_counts(clustering.applied),
        links_refused=clustering.refused,
        links_refused_by_splits=clustering.split_refused,
        overrides=len(overrides),
        model_id=model["model_id"] if model else None,
        identities={m: int(final_methods.get(m, 0)) for m in METHODS if final_methods.get(m)},
        identities_written=identity_rows.num_rows,
        activity_linked=activity_changed,
        model_trained=trained,
        match_threshold=opts.match_threshold,
        seconds=round(time.perf_counter() - started, 3),
        timings=clock.laps,
    )


def _identity_rows(
    rows: pd.DataFrame,
    customer: pd.Series,
    probability: pd.Series,
    method: pd.Series,
    now: datetime,
) -> pa.Table:
    """The ``identities`` rows of ``rows``, column by column into Arrow: the record columns
    are Arrow-backed already, and a round trip through NumPy objects and a pandas frame
    (which infers string columns again) was 2.6 s of a profile on 200,000 records."""
    columns = {
        "record_id": rows["record_id"],
        "source": rows["source"],
        "source_id": rows["source_id"].astype(str),
        "customer_id": customer,
        "match_probability": probability.astype(float),
        "method": method,
    }
    arrays = [
        pa.array(values, from_pandas=True).cast(IDENTITY_SCHEMA.field(name).type)
        for name, values in columns.items()
    ]
    stamp = IDENTITY_SCHEMA.field("resolved_at").type
    arrays.append(pa.repeat(pa.scalar(now, type=stamp), len(rows)))
    return pa.Table.from_arrays(arrays, schema=IDENTITY_SCHEMA)


def _nothing_to_resolve(
    warehouse: Warehouse,
    known: pd.DataFrame,
    opts: ResolveOptions,
    *,
    full: bool,
    started: float,
) -> ResolveReport:
    """No source records: no identities, no customers."""
    with warehouse.transaction():
        warehouse.delete("identities", "record_id", [str(r) for r in known.index])
        warehouse.delete("customers", "customer_id", sorted(_customer_ids(warehouse)))
    return ResolveReport(
        mode="full" if full else "incremental",
        source_records=0,
        records_resolved=0,
        customers=0,
        clusters_merged=0,
        links_refused=0,
        match_threshold=opts.match_threshold,
        seconds=round(time.perf_counter() - started, 3),
    )


class _Clock:
    def __init__(self) -> None:
        self.mark = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.mark, 3)
        self.mark = now


def _read_records(warehouse: Warehouse) -> pd.DataFrame:
    table = warehouse.table("source_records")
    frame = warehouse.to_pandas(table.select(*RECORD_COLUMNS).order_by("record_id"))
    return frame.reset_index(drop=True)


def _read_identities(warehouse: Warehouse) -> pd.DataFrame:
    table = warehouse.table("identities")
    frame = warehouse.to_pandas(
        table.select("record_id", "customer_id", "method", "match_probability", "resolved_at")
    )
    return frame.set_index("record_id")


def _read_links(warehouse: Warehouse) -> pd.DataFrame:
    table = warehouse.table("identity_links")
    return warehouse.to_pandas(table.select("source", "from_id", "to_id"))


def _customer_ids(warehouse: Warehouse) -> set[str]:
    table = warehouse.table("customers")
    return set(warehouse.to_pyarrow(table.select("customer_id")).column(0).to_pylist())


def _seen_at(records: pd.DataFrame) -> pd.Series:
    """When a record was first known: its ``created_at``, else when it was imported."""
    return records["created_at"].where(records["created_at"].notna(), records["imported_at"])


def _customers_to_relink(
    records: pd.DataFrame,
    existing: pd.Series,
    constraints: Constraints,
    revisit: Iterable[str],
) -> set[str]:
    """Customers an incremental run must re-link: those holding a record to ``revisit``, and
    those holding both sides of an analyst's split."""
    customer_of = dict(zip(records["record_id"].tolist(), existing.tolist(), strict=True))
    out = {customer_of.get(r) for r in revisit}
    for group, apart in constraints.cannot:
        sides = {customer_of.get(r) for r in group} & {customer_of.get(r) for r in apart}
        out |= sides
    return {c for c in out if c is not None}


def _member(values: pd.Series, wanted: set[str]) -> pd.Series:
    """``values.isin(wanted)`` for a large set: pandas turns the set into an Arrow array
    first, about a second per 200,000 values; a set lookup per value is a tenth of that."""
    found = np.fromiter((v in wanted for v in values.tolist()), dtype=bool, count=len(values))
    return pd.Series(found, index=values.index)


def _must_edges(must: list[tuple[str, str]]) -> pd.DataFrame:
    if not must:
        return empty_edges()
    left, right = zip(*must, strict=True)
    return pd.DataFrame(
        {"unique_id_l": left, "unique_id_r": right, "match_probability": 1.0, "method": OVERRIDE}
    )


def _methods(
    records: pd.DataFrame,
    features: pd.DataFrame | None,
    customer: pd.Series,
    edges: pd.DataFrame,
    must: pd.DataFrame,
) -> tuple[pd.Series, pd.Series]:
    """Each record's strongest tie to its cluster, and its probability."""
    index = records.index
    customer_codes = pd.factorize(customer)[0]
    size = pd.Series(_group_sizes(customer_codes), index=index)
    method = pd.Series(SINGLETON, index=index, dtype=object)
    probability = pd.Series(float("nan"), index=index)
    multi = size > 1
    method[multi] = PROBABILISTIC
    customer_of = _customer_lookup(records["record_id"], customer)
    inside = edges[_same_customer(customer_of, edges)]
    ends = pd.concat(
        [
            inside[["unique_id_l", "match_probability", "method"]].set_axis(
                ["record_id", "p", "method"], axis=1
            ),
            inside[["unique_id_r", "match_probability", "method"]].set_axis(
                ["record_id", "p", "method"], axis=1
            ),
        ]
    )
    best_p = ends[ends["method"] == PROBABILISTIC].groupby("record_id")["p"].max()
    probability[multi] = records.loc[multi, "record_id"].map(best_p)
    inside_must = must[_same_customer(customer_of, must)]
    merged_ids = set(inside_must["unique_id_l"]) | set(inside_must["unique_id_r"])
    # an analyst's merge is the tie of records that no link above the threshold ties
    by_override = records["record_id"].isin(merged_ids) & multi & probability.isna()
    method[by_override] = OVERRIDE
    collector_ids = set(ends.loc[ends["method"] == COLLECTOR, "record_id"])
    is_collector = records["record_id"].isin(collector_ids) & multi
    method[is_collector] = COLLECTOR
    if features is not None:
        for column, kind in (("phone", PHONE), ("email_key", EMAIL)):
            key_codes, keys = pd.factorize(features[column])
            pair = customer_codes.astype(np.int64) * (len(keys) + 1) + key_codes
            shared = (key_codes >= 0) & (_group_sizes(np.where(customer_codes >= 0, pair, -1)) > 1)
            method[shared & multi.to_numpy()] = kind
    deterministic = method.isin([EMAIL, PHONE, COLLECTOR, OVERRIDE])
    probability[deterministic] = 1.0
    return method, probability


def _group_sizes(codes: np.ndarray) -> np.ndarray:
    """For each position, how many positions share its code (0 where the code is negative,
    a missing value): ``groupby(...).transform("size")`` without pandas' grouping."""
    _, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    return np.where(codes >= 0, counts[inverse.reshape(-1)], 0)


def _customer_lookup(record_ids: pd.Series, customer: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """Record ids as an index and the customer of each, by position (for
    :func:`_same_customer`)."""
    return pd.Index(record_ids.to_numpy(dtype=object)), customer.to_numpy(dtype=object)


def _same_customer(customer_of: tuple[pd.Index, np.ndarray], edges: pd.DataFrame) -> np.ndarray:
    """For each edge, whether both its records have the same (known) customer.

    Looked up by position in one index: mapping each end through a dict of every record
    turned the dict into a Series on each call, seconds at a million records.
    """
    index, customers = customer_of
    if edges.empty:
        return np.zeros(0, dtype=bool)
    ends = []
    for column in ("unique_id_l", "unique_id_r"):
        at = index.get_indexer(edges[column].to_numpy(dtype=object))
        found = np.where(at >= 0, customers[np.maximum(at, 0)], None)
        ends.append(pd.Series(found, dtype=object))
    left, right = ends
    return (left.notna() & left.eq(right)).to_numpy(dtype=bool)


def _link_counts(applied: dict[str, int]) -> dict[str, int]:
    return {m: int(applied[m]) for m in METHODS if applied.get(m)}


def _customers_table(warehouse: Warehouse, golden: pd.DataFrame) -> pa.Table:
    """Golden rows with the columns (and types) the warehouse's ``customers`` table has."""
    spec = canonical_tables()["customers"]
    names = [name for name, _ in spec.columns]
    schema = warehouse.to_pyarrow(warehouse.table("customers").limit(0)).schema
    frame = golden.reindex(columns=names)
    for column in names:
        if pa.types.is_timestamp(schema.field(column).type):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        elif pa.types.is_date(schema.field(column).type):
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
