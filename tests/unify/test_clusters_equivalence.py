"""``cluster_records`` (bit masks, the link loop written out inline) against a plain reference:
the set-based union-find it replaced, on random record graphs. Same roots, same counts."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from cxloop.unify.clusters import cluster_records

METHODS = ("deterministic:email", "deterministic:phone", "collector_link", "probabilistic")


def reference(
    ids: list[str],
    sources: list[str],
    edges: pd.DataFrame,
    existing: list[str | None] | None,
    must: list[tuple[str, str]],
    cannot: list[tuple[list[str], list[str]]],
) -> tuple[list[int], dict[str, int], int, int]:
    """Clustering as cxloop 0.x did it: sets of sources, one find per end, every check in
    Python."""
    parent = list(range(len(ids)))
    held: list[set[str]] = [{s} for s in sources]
    sides: list[dict[int, int]] = [{} for _ in ids]
    index = {rid: i for i, rid in enumerate(ids)}

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def conflicts(a: int, b: int) -> bool:
        sa, sb = sides[find(a)], sides[find(b)]
        return any(sb.get(k, side) != side for k, side in sa.items())

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if len(held[ra]) < len(held[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        held[ra] |= held[rb]
        sides[ra].update(sides[rb])

    for k, (group, apart) in enumerate(cannot):
        for side, members in ((0, group), (1, apart)):
            for rid in members:
                sides[index[rid]][k] = side
    applied: dict[str, int] = {}
    refused = split_refused = 0
    for a_id, b_id in must:
        a, b = index[a_id], index[b_id]
        if find(a) != find(b):
            union(a, b)
            applied["override:merge"] = applied.get("override:merge", 0) + 1
    first_of: dict[str, int] = {}
    for i, cid in enumerate(existing or []):
        if cid is None:
            continue
        if cid not in first_of:
            first_of[cid] = i
        elif conflicts(first_of[cid], i):
            split_refused += 1
        else:
            union(first_of[cid], i)
    order = edges.assign(_det=edges["method"] != "probabilistic").sort_values(
        ["_det", "match_probability", "unique_id_l", "unique_id_r"],
        ascending=[False, False, True, True],
        kind="stable",
    )
    for a_id, b_id, method in zip(
        order["unique_id_l"], order["unique_id_r"], order["method"], strict=True
    ):
        if a_id not in index or b_id not in index:
            continue
        a, b = index[a_id], index[b_id]
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if conflicts(ra, rb):
            split_refused += 1
            continue
        guard = method == "probabilistic" and sources[a] != sources[b]
        if guard and held[ra] & held[rb]:
            refused += 1
            continue
        union(ra, rb)
        applied[method] = applied.get(method, 0) + 1
    return [find(i) for i in range(len(ids))], applied, refused, split_refused


def random_case(seed: int, with_splits: bool) -> dict[str, object]:
    rng = random.Random(seed)
    n = rng.randint(20, 400)
    ids = [f"r{i:04d}" for i in range(n)]
    sources = [rng.choice("abcde") for _ in range(n)]
    rows = []
    for _ in range(rng.randint(n // 2, 3 * n)):
        a, b = rng.sample(range(n + 3), 2)  # a few ends name unknown records
        method = rng.choice(METHODS)
        p = 1.0 if method != "probabilistic" else round(rng.uniform(0.9, 1.0), 2)
        rows.append((f"r{a:04d}", f"r{b:04d}", p, method))
    edges = pd.DataFrame(
        rows, columns=["unique_id_l", "unique_id_r", "match_probability", "method"]
    )
    existing = [rng.choice([None, None, "c1", "c2", "c3", f"c{i}"]) for i in range(n)]
    must = [tuple(rng.sample(ids, 2)) for _ in range(rng.randint(0, 5))]
    cannot = []
    if with_splits:
        for _ in range(rng.randint(1, 4)):
            chosen = rng.sample(ids, 4)
            cannot.append((chosen[:2], chosen[2:]))
    return {
        "ids": ids,
        "sources": sources,
        "edges": edges,
        "existing": existing,
        "must": must,
        "cannot": cannot,
    }


@pytest.mark.parametrize("with_splits", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_clusters_roots_and_counts_equal_the_reference(seed: int, with_splits: bool) -> None:
    case = random_case(seed, with_splits)
    result = cluster_records(
        pd.Series(case["ids"]),
        pd.Series(case["sources"]),
        case["edges"],  # type: ignore[arg-type]
        existing=pd.Series(case["existing"], dtype=object),
        must=case["must"],  # type: ignore[arg-type]
        cannot=case["cannot"],  # type: ignore[arg-type]
    )
    roots, applied, refused, split_refused = reference(**case)  # type: ignore[arg-type]
    assert result.root.tolist() == roots
    assert result.applied == applied
    assert (result.refused, result.split_refused) == (refused, split_refused)


def test_the_random_cases_exercise_every_rule() -> None:
    """The comparison above means something only if links are refused both ways."""
    totals = np.zeros(3)
    for seed in range(12):
        _, applied, refused, split_refused = reference(**random_case(seed, True))  # type: ignore[arg-type]
        totals += [applied.get("probabilistic", 0), refused, split_refused]
    assert (totals > 0).all()
