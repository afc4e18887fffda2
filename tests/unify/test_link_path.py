"""The path of links inside a customer (the rest is covered through explanations)."""

from __future__ import annotations

import pandas as pd

from cxloop.unify.link_path import connected


def test_connected_follows_links_in_either_direction() -> None:
    edges = pd.DataFrame({"unique_id_l": ["a", "c"], "unique_id_r": ["b", "b"]})
    assert connected(edges, "a", "c") and connected(edges, "c", "a")
    assert not connected(edges, "a", "d")
    assert not connected(edges.iloc[0:0], "a", "b")
