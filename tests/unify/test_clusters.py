from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from cxloop.unify.clusters import ID_PREFIX, assign_ids, cluster_records, mint_id


def edges(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability", "method"])


def groups(ids: list[str], roots) -> set[frozenset[str]]:
    out: dict[int, set[str]] = {}
    for rid, root in zip(ids, roots, strict=True):
        out.setdefault(int(root), set()).add(rid)
    return {frozenset(g) for g in out.values()}


def test_a_chain_through_another_source_cannot_join_two_records_of_one_source() -> None:
    ids = ["crm:1", "crm:2", "web:1"]
    result = cluster_records(
        pd.Series(ids),
        pd.Series(["crm", "crm", "web"]),
        edges(("crm:1", "web:1", 0.99, "probabilistic"), ("crm:2", "web:1", 0.95, "probabilistic")),
    )
    assert groups(ids, result.root) == {frozenset({"crm:1", "web:1"}), frozenset({"crm:2"})}
    assert result.refused == 1


def test_a_direct_link_between_two_records_of_one_source_is_applied() -> None:
    ids = ["crm:1", "crm:2", "web:1"]
    result = cluster_records(
        pd.Series(ids),
        pd.Series(["crm", "crm", "web"]),
        edges(
            ("crm:2", "web:1", 0.99, "probabilistic"),
            ("crm:1", "web:1", 0.95, "probabilistic"),
            ("crm:1", "crm:2", 0.97, "probabilistic"),
        ),
    )
    assert groups(ids, result.root) == {frozenset(ids)}


def test_deterministic_links_are_not_guarded() -> None:
    ids = ["crm:1", "crm:2", "web:1"]
    result = cluster_records(
        pd.Series(ids),
        pd.Series(["crm", "crm", "web"]),
        edges(
            ("crm:1", "web:1", 1.0, "deterministic:email"),
            ("crm:2", "web:1", 1.0, "deterministic:phone"),
        ),
    )
    assert groups(ids, result.root) == {frozenset(ids)}


def test_existing_customers_stay_together() -> None:
    ids = ["a:1", "b:1", "c:1"]
    result = cluster_records(
        pd.Series(ids), pd.Series(["a", "b", "c"]), edges(), existing=pd.Series(["C1", "C1", None])
    )
    assert groups(ids, result.root) == {frozenset({"a:1", "b:1"}), frozenset({"c:1"})}


def when(day: int) -> datetime:
    return datetime(2025, 1, day, tzinfo=UTC)


def records(*days: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"record_id": [f"r{i}" for i in range(len(days))], "seen_at": [when(d) for d in days]}
    )


def test_new_clusters_get_ids_from_their_earliest_record() -> None:
    assignment = assign_ids(
        records(5, 2, 9), pd.Series([0, 0, 2]).to_numpy(), pd.Series([None] * 3), full=False
    )
    ids = assignment.customer_id.tolist()
    assert ids[0] == ids[1] == mint_id("r1", set())  # r1 was seen first
    assert ids[2] != ids[0] and ids[2].startswith(ID_PREFIX)
    assert sorted(assignment.created) == sorted({ids[0], ids[2]})


def test_incremental_merge_keeps_the_oldest_customer() -> None:
    # r0 (customer OLD, seen day 1) and r1 (customer NEW, seen day 3) end up in one cluster
    existing = pd.Series(["cus_new", "cus_old", None])
    assignment = assign_ids(records(3, 1, 4), pd.Series([0, 0, 0]).to_numpy(), existing, full=False)
    assert set(assignment.customer_id) == {"cus_old"}
    assert assignment.removed == ["cus_new"]
    assert assignment.merged == 1
    assert assignment.created == []


def test_full_run_gives_each_id_to_the_cluster_holding_most_of_its_records() -> None:
    # customer A had r0, r1, r2; a full run splits r2 off with r3 (new)
    existing = pd.Series(["cus_a", "cus_a", "cus_a", None])
    assignment = assign_ids(
        records(1, 2, 3, 4), pd.Series([0, 0, 2, 2]).to_numpy(), existing, full=True
    )
    ids = assignment.customer_id.tolist()
    assert ids[:2] == ["cus_a", "cus_a"]
    assert ids[2] == ids[3] != "cus_a"
    assert assignment.removed == []


def test_minted_ids_never_reuse_an_id_in_use() -> None:
    taken = {mint_id("r0", set())}
    assert mint_id("r0", set(taken)) != next(iter(taken))


def test_a_split_refuses_the_weakest_link_that_would_join_its_sides() -> None:
    # a ~ b (0.99), b ~ c (0.98): with c split from a, the chain a-b-c must break at b-c
    ids = ["s1:a", "s2:b", "s3:c"]
    result = cluster_records(
        pd.Series(ids),
        pd.Series(["s1", "s2", "s3"]),
        edges(("s1:a", "s2:b", 0.99, "probabilistic"), ("s2:b", "s3:c", 0.98, "probabilistic")),
        cannot=[(["s3:c"], ["s1:a"])],
    )
    assert groups(ids, result.root) == {frozenset({"s1:a", "s2:b"}), frozenset({"s3:c"})}
    assert result.split_refused == 1


def test_a_split_holds_through_merges_and_deterministic_links() -> None:
    # must(a, b); c split from b; a and c share an e-mail: c may not join a either
    ids = ["s1:a", "s2:b", "s3:c", "s4:d"]
    result = cluster_records(
        pd.Series(ids),
        pd.Series(["s1", "s2", "s3", "s4"]),
        edges(
            ("s1:a", "s3:c", 1.0, "deterministic:email"),
            ("s3:c", "s4:d", 1.0, "deterministic:phone"),
            ("s4:d", "s2:b", 0.99, "probabilistic"),
        ),
        must=[("s1:a", "s2:b")],
        cannot=[(["s3:c"], ["s2:b"])],
    )
    found = groups(ids, result.root)
    assert frozenset({"s1:a", "s2:b"}) in found or frozenset({"s1:a", "s2:b", "s4:d"}) in found
    assert not any({"s3:c", "s2:b"} <= g or {"s3:c", "s1:a"} <= g for g in found)
    assert result.applied["override:merge"] == 1
    assert result.split_refused == 2  # a-c (e-mail), then d-b once c-d joined


def test_a_split_keeps_an_existing_customer_from_holding_both_sides() -> None:
    ids = ["s1:a", "s2:b", "s3:c"]
    result = cluster_records(
        pd.Series(ids),
        pd.Series(["s1", "s2", "s3"]),
        edges(),
        existing=pd.Series(["cus_1", "cus_1", "cus_1"]),
        must=[("s2:b", "s3:c")],
        cannot=[(["s2:b", "s3:c"], ["s1:a"])],
    )
    assert groups(ids, result.root) == {frozenset({"s1:a"}), frozenset({"s2:b", "s3:c"})}


def test_a_split_customer_keeps_its_id_in_the_part_with_most_records() -> None:
    t = datetime(2025, 1, 1, tzinfo=UTC)
    records = pd.DataFrame(
        {"record_id": ["a", "b", "c"], "seen_at": [t, t.replace(day=2), t.replace(day=3)]}
    )
    existing = pd.Series(["cus_1", "cus_1", "cus_1"])
    for full in (False, True):
        result = assign_ids(records, [0, 0, 2], existing, full=full)
        assert list(result.customer_id[:2]) == ["cus_1", "cus_1"]
        assert result.customer_id[2] == mint_id("c", {"cus_1"})
        assert result.created == [result.customer_id[2]]
