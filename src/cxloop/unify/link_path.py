"""The path of links that joins two records inside their customer, for explanations: the
fewest links, strongest kinds first (analysts' merges, shared keys, collector links, then pairs
the saved model scores at or above the threshold)."""

from __future__ import annotations

from collections import deque

import pandas as pd
from splink import DuckDBAPI, Linker

from cxloop.unify.deterministic import COLLECTOR, EMAIL, OVERRIDE, PHONE, PROBABILISTIC
from cxloop.unify.explanation import PathStep
from cxloop.unify.overrides import Override
from cxloop.unify.probabilistic import _arrow
from cxloop.unify.saved_model import SavedModel


def connected(edges: pd.DataFrame, a: str, b: str) -> bool:
    """Whether ``edges`` (unique_id_l, unique_id_r) join records ``a`` and ``b``."""
    graph: dict[str, set[str]] = {}
    for left, right in zip(edges["unique_id_l"], edges["unique_id_r"], strict=True):
        graph.setdefault(left, set()).add(right)
        graph.setdefault(right, set()).add(left)
    seen, todo = {a}, [a]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return b in seen


def link_path(
    a: str,
    b: str,
    members: list[str],
    features: pd.DataFrame,
    position: dict[str, int],
    collector_edges: pd.DataFrame,
    overrides: list[Override],
    linker: Linker,
    db_api: DuckDBAPI,
    frame: pd.DataFrame,
    model: SavedModel,
) -> list[PathStep]:
    """The fewest links joining ``a`` and ``b`` among their customer's ``members``, strongest
    kinds first: merges, shared keys, collector links, then pairs the model scores above the
    threshold."""
    inside = set(members) | {a, b}
    edges: list[tuple[str, str, str, float | None]] = []
    for o in overrides:
        for group in o.must_groups():
            edges += [(group[0], r, OVERRIDE, None) for r in group[1:] if r in inside]
    rows = [position[r] for r in sorted(inside)]
    local = features.iloc[rows]
    limit = model.options.max_key_records
    for column, kind in (("email_key", EMAIL), ("phone", PHONE)):
        counts = features[column].value_counts()
        for _, group in local.dropna(subset=[column]).groupby(column):
            if len(group) > 1 and counts[group[column].iloc[0]] <= limit:
                ids = sorted(group["unique_id"])
                edges += [(ids[0], r, kind, 1.0) for r in ids[1:]]
    for left, right in zip(
        collector_edges["unique_id_l"], collector_edges["unique_id_r"], strict=True
    ):
        if left in inside and right in inside:
            edges.append((left, right, COLLECTOR, 1.0))
    table = db_api.register(_arrow(frame.iloc[rows]), dataset_display_name="customer_records")
    scored = linker.inference.score_pairs(table, table).as_pandas_dataframe()
    scored = scored[
        (scored["unique_id_l"] < scored["unique_id_r"])
        & (scored["match_probability"] >= model.match_threshold)
    ].sort_values("match_probability", ascending=False)
    edges += [
        (left, right, PROBABILISTIC, float(p))
        for left, right, p in zip(
            scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"], strict=True
        )
    ]
    graph: dict[str, list[tuple[str, str, float | None]]] = {}
    for left, right, kind, p in edges:
        graph.setdefault(left, []).append((right, kind, p))
        graph.setdefault(right, []).append((left, kind, p))
    came: dict[str, tuple[str, str, float | None]] = {}
    seen, todo = {a}, deque([a])
    while todo:
        node = todo.popleft()
        for nxt, kind, p in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                came[nxt] = (node, kind, p)
                todo.append(nxt)
    if b not in seen:
        return []
    steps, node = [], b
    while node != a:
        prev, kind, p = came[node]
        steps.append(PathStep(record_l=prev, record_r=node, kind=kind, match_probability=p))
        node = prev
    return steps[::-1]
