"""Clusters of records (one per person) from links, and customer ids that stay put.

Links are applied strongest first with a union-find:

1. analysts' merges (must-links) — always;
2. records that already share a customer id (an incremental run keeps existing clusters);
3. deterministic links (e-mail, phone, collector);
4. probabilistic links, in decreasing match probability, with one guard: a link that would put
   two records *of the same source* in one cluster is applied only when it joins those two
   records directly. A source normally keeps one record per person; its duplicates are found
   by comparing them with each other, never by a chain through other sources.

Analysts' splits (cannot-links) hold throughout steps 2–4: a link that would put a record of a
split's group in one cluster with a record it was split from is refused, however indirect the
join (each cluster carries the split sides its records are on). Links come strongest first, so
the links refused are the weakest ones that would join the two sides.

Customer ids: a cluster holding records that already have ids keeps one of them (incremental
run: the oldest customer's; full run: the id most of its records had, each id going to one
cluster only); any other cluster gets a new id derived from its earliest record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxloop.unify.deterministic import OVERRIDE

ID_PREFIX = "cus_"


class UnionFind:
    """Disjoint sets over ``0..n-1`` that remember the sources each set holds, and the sides
    of cannot-link constraints (constraint number → side 0 or 1) its records are on.

    A set's sources are a bit mask (bit ``k``: the ``k``-th distinct source), so that asking
    whether two sets share a source, and joining them, is one integer operation.
    """

    def __init__(self, sources: list[str]) -> None:
        codes = pd.factorize(pd.Series(sources, dtype=object))[0].tolist() if sources else []
        self.parent = list(range(len(sources)))
        self.masks: list[int] = [1 << code for code in codes]
        self.sides: list[dict[int, int] | None] = [None] * len(sources)

    def mark(self, i: int, constraint: int, side: int) -> None:
        """Record ``i`` is on ``side`` of ``constraint`` (call before any union)."""
        sides = self.sides[i]
        if sides is None:
            sides = self.sides[i] = {}
        sides[constraint] = side

    def conflicts(self, a: int, b: int) -> bool:
        """Whether joining the sets of ``a`` and ``b`` would break a cannot-link."""
        sa, sb = self.sides[self.find(a)], self.sides[self.find(b)]
        if not sa or not sb:
            return False
        if len(sa) > len(sb):
            sa, sb = sb, sa
        return any(sb.get(k, side) != side for k, side in sa.items())

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(self, a: int, b: int) -> int:
        """Join the sets of ``a`` and ``b``; the root of the one holding more distinct sources
        (``a``'s on a tie) stays the root."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        ma, mb = self.masks[ra], self.masks[rb]
        if ma.bit_count() < mb.bit_count():
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.masks[ra] = ma | mb
        side_b = self.sides[rb]
        if side_b:
            side_a = self.sides[ra]
            if side_a is None:
                self.sides[ra] = side_b
            else:
                side_a.update(side_b)
            self.sides[rb] = None
        return ra

    def shares_source(self, a: int, b: int) -> bool:
        return bool(self.masks[self.find(a)] & self.masks[self.find(b)])

    def roots(self) -> np.ndarray:
        """Each element's root, for all at once (pointer jumping over the parent array)."""
        parent = np.asarray(self.parent, dtype=np.int64)
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = grand


@dataclass
class Clustering:
    """Each record's cluster (``root``: an index into the records) and what linking did."""

    root: np.ndarray
    applied: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    #: links (any kind) not applied because they would have broken an analyst's split
    split_refused: int = 0


def cluster_records(
    record_ids: pd.Series,
    sources: pd.Series,
    edges: pd.DataFrame,
    *,
    existing: pd.Series | None = None,
    must: list[tuple[str, str]] | None = None,
    cannot: list[tuple[list[str], list[str]]] | None = None,
) -> Clustering:
    """Cluster ``record_ids`` with ``edges`` (unique_id_l, unique_id_r, match_probability,
    method); ``existing`` (customer id per record, aligned, may hold nulls) pre-joins
    records that already share a customer; ``must`` pairs always join; ``cannot`` holds
    (group, apart) record lists never to share a cluster."""
    index = {rid: i for i, rid in enumerate(record_ids.tolist())}
    source_list = sources.tolist()
    uf = UnionFind(source_list)
    for k, (group, apart) in enumerate(cannot or ()):
        for side, members in ((0, group), (1, apart)):
            for rid in members:
                if rid in index:
                    uf.mark(index[rid], k, side)
    applied: dict[str, int] = {}
    refused = split_refused = 0
    for a_id, b_id in must or ():
        a, b = index.get(a_id), index.get(b_id)
        if a is not None and b is not None and uf.find(a) != uf.find(b):
            uf.union(a, b)
            applied[OVERRIDE] = applied.get(OVERRIDE, 0) + 1
    if existing is not None:
        first_of: dict[str, int] = {}
        for i, cid in enumerate(existing.tolist()):
            if cid is None or (isinstance(cid, float) and np.isnan(cid)):
                continue
            if cid not in first_of:
                first_of[cid] = i
            elif uf.conflicts(first_of[cid], i):
                split_refused += 1
            else:
                uf.union(first_of[cid], i)
    if not edges.empty:
        order = edges.assign(_det=edges["method"] != "probabilistic").sort_values(
            ["_det", "match_probability", "unique_id_l", "unique_id_r"],
            ascending=[False, False, True, True],
            kind="stable",
        )
        # positions and same-source flags computed for all edges at once: the loop below is
        # the one part that must run edge by edge (a link's fate depends on those before it)
        positions = pd.Index(record_ids.tolist())
        left = positions.get_indexer(order["unique_id_l"])
        right = positions.get_indexer(order["unique_id_r"])
        known = (left >= 0) & (right >= 0)
        methods = order["method"].to_numpy()[known]
        left, right = left[known], right[known]
        codes = pd.factorize(pd.Series(source_list, dtype=object))[0]
        # a probabilistic link between records of two sources is guarded (module docstring)
        guarded = (methods == "probabilistic") & (codes[left] != codes[right])
        if cannot:
            refused, split_refused = _link_constrained(
                uf, left, right, methods, guarded, applied, refused, split_refused
            )
        else:
            refused = _link(uf, left, right, methods, guarded, applied, refused)
    roots = uf.roots()
    return Clustering(roots, applied, refused, split_refused)


def _link(
    uf: UnionFind,
    left: np.ndarray,
    right: np.ndarray,
    methods: np.ndarray,
    guarded: np.ndarray,
    applied: dict[str, int],
    refused: int,
) -> int:
    """Apply ``left[i] ~ right[i]`` in order, with no split to honour: :meth:`UnionFind.union`
    written out inline, since this loop runs once per link (millions of times)."""
    parent, masks, find = uf.parent, uf.masks, uf.find
    for a, b, method, guard in zip(
        left.tolist(), right.tolist(), methods.tolist(), guarded.tolist(), strict=True
    ):
        ra = a if parent[a] == a else find(a)
        rb = b if parent[b] == b else find(b)
        if ra == rb:
            continue
        ma, mb = masks[ra], masks[rb]
        if guard and ma & mb:
            refused += 1
            continue
        if ma.bit_count() < mb.bit_count():
            ra, rb = rb, ra
        parent[rb] = ra
        masks[ra] = ma | mb
        applied[method] = applied.get(method, 0) + 1
    return refused


def _link_constrained(
    uf: UnionFind,
    left: np.ndarray,
    right: np.ndarray,
    methods: np.ndarray,
    guarded: np.ndarray,
    applied: dict[str, int],
    refused: int,
    split_refused: int,
) -> tuple[int, int]:
    """:func:`_link` where analysts' splits hold: a link that would join two sides of a split
    is refused."""
    find, masks = uf.find, uf.masks
    for a, b, method, guard in zip(
        left.tolist(), right.tolist(), methods.tolist(), guarded.tolist(), strict=True
    ):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if uf.conflicts(ra, rb):
            split_refused += 1
            continue
        if guard and masks[ra] & masks[rb]:
            refused += 1
            continue
        uf.union(ra, rb)
        applied[method] = applied.get(method, 0) + 1
    return refused, split_refused


def mint_id(anchor_record_id: str, taken: set[str]) -> str:
    """A new customer id from a record id (stable: the same record mints the same id), with a
    suffix if that id is already in use."""
    attempt = 0
    while True:
        text = anchor_record_id if attempt == 0 else f"{anchor_record_id}#{attempt}"
        cid = ID_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        if cid not in taken:
            taken.add(cid)
            return cid
        attempt += 1


@dataclass
class Assignment:
    """Customer id per record, and how the set of customers changed."""

    customer_id: pd.Series
    created: list[str]
    removed: list[str]  # ids that no longer name a customer (merged away, or emptied)
    merged: int  # existing customers absorbed into another


def assign_ids(
    records: pd.DataFrame,
    roots: np.ndarray,
    existing: pd.Series,
    *,
    full: bool,
    taken: set[str] | None = None,
) -> Assignment:
    """Give every cluster a customer id.

    ``records`` has ``record_id`` and ``seen_at`` (when the record was first known, for "oldest"
    and for the anchor of new ids); ``existing`` is each record's current customer id or null.
    """
    frame = pd.DataFrame(
        {
            "record_id": records["record_id"].to_numpy(),
            "seen_at": records["seen_at"].to_numpy(),
            "root": roots,
            "old": existing.to_numpy(),
        }
    )
    old_ids = set(frame["old"].dropna().tolist())
    taken = set(taken or ()) | old_ids
    chosen: dict[int, str] = {}
    assigned = frame.dropna(subset=["old"])
    if not assigned.empty:
        age = assigned.groupby("old").agg(first=("seen_at", "min"), n=("record_id", "size"))
        per = (
            assigned.groupby(["root", "old"])
            .agg(count=("record_id", "size"), earliest=("seen_at", "min"))
            .reset_index()
        )
        per = per.join(age, on="old")
        if full:
            per = per.sort_values(
                ["count", "first", "old", "earliest", "root"],
                ascending=[False, True, True, True, True],
            )
            used: set[str] = set()
            for root, old in zip(per["root"], per["old"], strict=True):
                if root in chosen or old in used:
                    continue
                chosen[int(root)] = old
                used.add(old)
        else:
            # the oldest customer wins a cluster; a customer split in two keeps its id in the
            # part holding most of its records
            per = per.sort_values(
                ["first", "old", "count", "earliest", "root"],
                ascending=[True, True, False, True, True],
            )
            used_ids: set[str] = set()
            for root, old in zip(per["root"], per["old"], strict=True):
                if int(root) in chosen or old in used_ids:
                    continue
                chosen[int(root)] = old
                used_ids.add(old)
    created: list[str] = []
    anchors = frame.sort_values(["seen_at", "record_id"], na_position="last").drop_duplicates(
        "root"
    )
    for root, anchor in zip(anchors["root"].tolist(), anchors["record_id"].tolist(), strict=True):
        if int(root) not in chosen:
            chosen[int(root)] = mint_id(anchor, taken)
            created.append(chosen[int(root)])
    customer = frame["root"].map(chosen)
    kept = set(customer.tolist())
    removed = sorted(old_ids - kept)
    absorbed = frame.dropna(subset=["old"])
    absorbed = absorbed[absorbed["old"].isin(removed)]
    merged = absorbed.assign(new=customer[absorbed.index])["old"].nunique()
    return Assignment(
        customer_id=pd.Series(customer.to_numpy(), index=records.index),
        created=created,
        removed=removed,
        merged=int(merged),
    )
