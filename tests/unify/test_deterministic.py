from __future__ import annotations

import pandas as pd

from cxloop.unify.deterministic import (
    COLLECTOR,
    EMAIL,
    PHONE,
    collector_graph,
    deterministic_edges,
    key_edges,
)


def features(keys: dict[str, str | None], column: str = "email_key") -> pd.DataFrame:
    return pd.DataFrame({"unique_id": list(keys), column: list(keys.values())})


def pairs(edges: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(edges["unique_id_l"], edges["unique_id_r"], strict=True))


def test_records_sharing_a_key_are_joined_as_a_star() -> None:
    edges = key_edges(
        features({"a": "x@m.com", "b": "x@m.com", "c": "x@m.com", "d": "y@m.com", "e": None}),
        "email_key",
        EMAIL,
        max_records=20,
    )
    assert pairs(edges) == {("a", "b"), ("a", "c")}
    assert set(edges["method"]) == {EMAIL}
    assert set(edges["match_probability"]) == {1.0}


def test_a_key_shared_by_too_many_records_identifies_nobody() -> None:
    keys = {f"r{i}": "info@shop.com" for i in range(5)} | {"s": "me@x.com", "t": "me@x.com"}
    edges = key_edges(features(keys), "email_key", EMAIL, max_records=4)
    assert pairs(edges) == {("s", "t")}


def test_only_groups_with_a_pending_record_give_edges() -> None:
    data = features({"a": "x@m.com", "b": "x@m.com", "c": "y@m.com", "d": "y@m.com"})
    pending = pd.Series([False, False, False, True], index=data.index)
    edges = key_edges(data, "email_key", EMAIL, max_records=20, pending=pending)
    assert pairs(edges) == {("c", "d")}


def test_email_and_phone_edges_together() -> None:
    data = pd.DataFrame(
        {
            "unique_id": ["a", "b", "c"],
            "email_key": ["x@m.com", "x@m.com", None],
            "phone": [None, "+34600000001", "+34600000001"],
        }
    )
    edges = deterministic_edges(data, max_records=20)
    found = zip(edges["unique_id_l"], edges["unique_id_r"], edges["method"], strict=True)
    assert set(found) == {("a", "b", EMAIL), ("b", "c", PHONE)}


def test_collector_links_join_records_and_map_anonymous_ids() -> None:
    records = pd.DataFrame(
        {
            "record_id": ["web:u1", "web:u2", "crm:u1"],
            "source": ["web", "web", "crm"],
            "source_id": ["u1", "u2", "u1"],
        }
    )
    links = pd.DataFrame(
        {
            "source": ["web", "web", "web"],
            "from_id": ["anon-1", "u1", "anon-9"],
            "to_id": ["u1", "u2", "u404"],
        }
    )
    graph = collector_graph(links, records)
    assert pairs(graph.edges) == {("web:u1", "web:u2")}
    assert set(graph.edges["method"]) == {COLLECTOR}
    aliases = set(graph.aliases.itertuples(index=False, name=None))
    assert aliases == {("web", "anon-1", "web:u1")}  # anon-9 → u404 reaches no record


def test_no_links_no_edges() -> None:
    records = pd.DataFrame({"record_id": ["a:1"], "source": ["a"], "source_id": ["1"]})
    graph = collector_graph(pd.DataFrame(columns=["source", "from_id", "to_id"]), records)
    assert graph.edges.empty and graph.aliases.empty
