"""Deterministic links: records that share a normalised e-mail address or an E.164 phone
number, and ids that the event collector saw belong together (``identify`` and ``alias``).

Each link is an edge between two ``source_records`` ids; a group of *n* records sharing a key
gives *n − 1* edges (a star), which is all that clustering needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

EMAIL = "deterministic:email"
PHONE = "deterministic:phone"
COLLECTOR = "collector_link"
PROBABILISTIC = "probabilistic"
SINGLETON = "singleton"
#: an analyst's merge (see :mod:`cxloop.unify.overrides`)
OVERRIDE = "override:merge"
#: the methods of ``identities.method``, strongest first
METHODS = (EMAIL, PHONE, COLLECTOR, OVERRIDE, PROBABILISTIC, SINGLETON)

EDGE_COLUMNS = ("unique_id_l", "unique_id_r", "match_probability", "method")


def empty_edges() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in EDGE_COLUMNS}).astype(
        {"match_probability": float}
    )


def key_edges(
    features: pd.DataFrame,
    column: str,
    method: str,
    *,
    max_records: int,
    pending: pd.Series | None = None,
) -> pd.DataFrame:
    """Star edges within each group of records sharing ``features[column]``.

    Groups larger than ``max_records`` are skipped (a shared or placeholder value identifies
    nobody). With ``pending``, only groups holding a pending record give edges.
    """
    frame = features[["unique_id", column]].dropna()
    if pending is not None:
        frame = frame.assign(_pending=pending.reindex(frame.index).to_numpy())
    size = frame.groupby(column)[column].transform("size")
    frame = frame[(size >= 2) & (size <= max_records)]
    if pending is not None and not frame.empty:
        touched = frame.groupby(column)["_pending"].transform("any")
        frame = frame[touched]
    if frame.empty:
        return empty_edges()
    frame = frame.sort_values([column, "unique_id"])
    hub = frame.groupby(column)["unique_id"].transform("first")
    spokes = frame[frame["unique_id"] != hub]
    return pd.DataFrame(
        {
            "unique_id_l": hub[spokes.index].to_numpy(),
            "unique_id_r": spokes["unique_id"].to_numpy(),
            "match_probability": 1.0,
            "method": method,
        }
    )


@dataclass(frozen=True)
class CollectorGraph:
    """What the collector's ``identity_links`` say.

    ``edges`` link source records that are one person (an ``alias`` of one user id to
    another); ``aliases`` maps each linked id (an anonymous id, a previous user id) to the
    record it belongs to, as (source, external_id, record_id) — so that events sent under it
    reach the right customer.
    """

    edges: pd.DataFrame
    aliases: pd.DataFrame


def collector_graph(links: pd.DataFrame, records: pd.DataFrame) -> CollectorGraph:
    """Read ``identity_links`` (source, from_id, to_id) against the records' (source,
    source_id, record_id)."""
    empty_aliases = pd.DataFrame(
        {c: pd.Series(dtype=object) for c in ("source", "external_id", "record_id")}
    )
    if links.empty:
        return CollectorGraph(empty_edges(), empty_aliases)
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(node: tuple[str, str]) -> tuple[str, str]:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:
            parent[node], node = root, parent[node]
        return root

    for source, a, b in links[["source", "from_id", "to_id"]].itertuples(index=False):
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            continue
        ra, rb = find((source, str(a))), find((source, str(b)))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    known = dict(
        zip(
            zip(records["source"], records["source_id"].astype(str), strict=True),
            records["record_id"],
            strict=True,
        )
    )
    members: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in list(parent):
        members.setdefault(find(node), []).append(node)
    for root in list(members):
        if root not in parent:
            members[root].append(root)
    edge_rows, alias_rows = [], []
    for nodes in members.values():
        nodes = sorted(set(nodes))
        record_ids = sorted({known[n] for n in nodes if n in known})
        if not record_ids:
            continue
        hub = record_ids[0]
        edge_rows += [(hub, other, 1.0, COLLECTOR) for other in record_ids[1:]]
        alias_rows += [(source, ext, hub) for source, ext in nodes if (source, ext) not in known]
    edges = pd.DataFrame(edge_rows, columns=list(EDGE_COLUMNS)) if edge_rows else empty_edges()
    aliases = (
        pd.DataFrame(alias_rows, columns=["source", "external_id", "record_id"])
        if alias_rows
        else empty_aliases
    )
    return CollectorGraph(edges, aliases)


def deterministic_edges(
    features: pd.DataFrame, *, max_records: int, pending: pd.Series | None = None
) -> pd.DataFrame:
    """E-mail and phone edges (see :func:`key_edges`)."""
    parts = [
        key_edges(features, "email_key", EMAIL, max_records=max_records, pending=pending),
        key_edges(features, "phone", PHONE, max_records=max_records, pending=pending),
    ]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else empty_edges()
