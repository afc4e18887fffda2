"""Merges and splits take effect at once, survive incremental and full re-runs, keep ids
stable, and are audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.unify import resolve
from cxloop.unify.corrections import merge_customers, remove_correction, split_records
from cxloop.unify.overrides import list_overrides
from unify.rows import clusters, identities, record


def day(d: int) -> datetime:
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=d)


ANA_CRM = record("crm", "1", first_name="Ana", last_name="Ruiz", email="ana@x.com",
                 created_at=day(1))  # fmt: skip
ANA_WEB = record("web", "1", first_name="Ana", email="ANA@x.com", created_at=day(5))
ANA_APP = record("app", "1", name="Ana R", phone="+34 653 126 976", email="ana@x.com",
                 created_at=day(7))  # fmt: skip
PEDRO = record("crm", "2", first_name="Pedro", last_name="Gómez", email="pedro@x.com",
               created_at=day(2))  # fmt: skip
LUIS = record("web", "2", first_name="Luis", email="luis@x.com", created_at=day(3))

ACTOR = "user:analyst@example.com"


@pytest.fixture
def resolved(warehouse: Warehouse, add_records) -> Warehouse:
    add_records(ANA_CRM, ANA_WEB, ANA_APP, PEDRO, LUIS)
    resolve(warehouse, now=day(30))
    return warehouse


def audit_actions(warehouse: Warehouse) -> list[tuple[str, str]]:
    rows = warehouse.to_pyarrow(warehouse.table("audit_log")).to_pylist()
    return sorted((r["action"], r["actor"]) for r in rows)


def test_a_merge_takes_effect_at_once_keeps_the_older_id_and_survives_full_runs(
    resolved: Warehouse,
) -> None:
    before = identities(resolved)
    pedro, luis = before["crm:2"], before["web:2"]
    result = merge_customers(resolved, [luis, "crm:2"], actor=ACTOR, reason="same person")
    after = identities(resolved)
    assert after["crm:2"] == after["web:2"] == pedro  # Pedro's record is older (day 2 < 3)
    assert result.customers == {"crm:2": pedro, "web:2": pedro}
    assert result.report.links.get("override:merge") == 1
    stored = {r: m for r, m in _methods(resolved).items() if r in ("crm:2", "web:2")}
    assert stored == {"crm:2": "override:merge", "web:2": "override:merge"}
    for full in (False, True):
        resolve(resolved, full=full, now=day(40))
        assert identities(resolved)["web:2"] == identities(resolved)["crm:2"] == pedro
    assert luis not in set(identities(resolved).values())
    assert ("identity_merge", ACTOR) in audit_actions(resolved)


def test_a_split_takes_effect_at_once_and_survives_full_runs_with_stable_ids(
    resolved: Warehouse,
) -> None:
    ana = identities(resolved)["crm:1"]
    assert identities(resolved)["web:1"] == ana  # one e-mail
    result = split_records(resolved, ["web:1"], actor=ACTOR, reason="a different Ana")
    new = result.customers["web:1"]
    assert new != ana and result.customers["crm:1"] == ana
    assert identities(resolved)["app:1"] == ana
    for full in (True, False, True):
        resolve(resolved, full=full, now=day(40))
        now = identities(resolved)
        assert now["crm:1"] == now["app:1"] == ana
        assert now["web:1"] == new
    assert ("identity_split", ACTOR) in audit_actions(resolved)
    override = list_overrides(resolved)[0]
    assert override.kind == "split" and override.apart == ["app:1", "crm:1"]


def test_a_split_group_stays_together_and_apart_from_the_rest(resolved: Warehouse) -> None:
    split_records(resolved, ["web:1", "app:1"], actor=ACTOR)
    resolve(resolved, full=True, now=day(40))
    assert frozenset({"web:1", "app:1"}) in clusters(resolved)
    assert frozenset({"crm:1"}) in clusters(resolved)


def test_removing_a_split_lets_the_records_join_again(resolved: Warehouse) -> None:
    ana = identities(resolved)["crm:1"]
    override = split_records(resolved, ["web:1"], actor=ACTOR).override
    result = remove_correction(resolved, override.override_id, actor=ACTOR, reason="oops")
    assert identities(resolved)["web:1"] == ana
    assert result.customers["web:1"] == ana
    assert not list_overrides(resolved, include_removed=False)
    assert list_overrides(resolved)[0].removal_reason == "oops"
    assert ("identity_override_removed", ACTOR) in audit_actions(resolved)


def test_removing_a_merge_splits_records_that_nothing_else_links(resolved: Warehouse) -> None:
    ids = identities(resolved)
    override = merge_customers(resolved, [ids["crm:2"], ids["web:2"]], actor=ACTOR).override
    remove_correction(resolved, override.override_id, actor=ACTOR)
    after = identities(resolved)
    assert after["crm:2"] == ids["crm:2"] and after["web:2"] != after["crm:2"]


def test_the_newest_override_wins(resolved: Warehouse) -> None:
    ids = identities(resolved)
    merge = merge_customers(resolved, [ids["crm:1"], "crm:2"], actor=ACTOR).override
    assert identities(resolved)["crm:2"] == ids["crm:1"]
    split = split_records(resolved, ["crm:2"], actor=ACTOR)
    assert split.superseded == [merge.override_id]
    assert identities(resolved)["crm:2"] != identities(resolved)["crm:1"]
    again = merge_customers(resolved, ["crm:1", "crm:2"], actor=ACTOR)
    assert again.superseded == [split.override.override_id]
    assert identities(resolved)["crm:2"] == identities(resolved)["crm:1"]
    removed = [json.loads(r)["kind"] for r in _audit_details(resolved, "identity_override_removed")]
    assert removed == ["merge", "split"]


def test_a_transitive_merge_chain_is_cut_by_a_later_split(resolved: Warehouse) -> None:
    # Pedro + Luis, then Luis + Ana's web record: one customer through two merges
    first = merge_customers(resolved, ["crm:2", "web:2"], actor=ACTOR).override
    second = merge_customers(resolved, ["web:2", "web:1"], actor=ACTOR).override
    assert len({identities(resolved)[r] for r in ("crm:2", "web:2", "web:1", "crm:1")}) == 1
    result = split_records(resolved, ["crm:2"], actor=ACTOR)
    # the newest merge on the chain goes first; the older one still joins crm:2 and web:2,
    # so it goes too
    assert result.superseded == sorted([first.override_id, second.override_id])
    resolve(resolved, full=True, now=day(50))
    now = identities(resolved)
    assert now["crm:2"] not in {now["web:2"], now["web:1"], now["crm:1"]}


def test_bad_corrections_are_refused_with_a_reason(resolved: Warehouse) -> None:
    ids = identities(resolved)
    with pytest.raises(UsageError, match="at least two"):
        merge_customers(resolved, ["crm:1"], actor=ACTOR)
    with pytest.raises(UsageError, match="already one customer"):
        merge_customers(resolved, ["crm:1", "web:1"], actor=ACTOR)
    with pytest.raises(UsageError, match="no customer or source record"):
        merge_customers(resolved, ["crm:1", "nobody:9"], actor=ACTOR)
    with pytest.raises(UsageError, match="all the records"):
        split_records(resolved, ["crm:2"], actor=ACTOR)
    with pytest.raises(UsageError, match="several customers"):
        split_records(resolved, ["crm:1", "crm:2"], actor=ACTOR)
    with pytest.raises(UsageError, match="not a customer id"):
        split_records(resolved, [ids["crm:1"]], actor=ACTOR)
    with pytest.raises(UsageError, match="no override"):
        remove_correction(resolved, "ovr_nope", actor=ACTOR)
    assert not list_overrides(resolved)
    assert audit_actions(resolved) == []


def _methods(warehouse: Warehouse) -> dict[str, str]:
    rows = warehouse.to_pyarrow(warehouse.table("identities")).to_pylist()
    return {r["record_id"]: r["method"] for r in rows}


def _audit_details(warehouse: Warehouse, action: str) -> list[str]:
    rows = warehouse.to_pyarrow(warehouse.table("audit_log")).to_pylist()
    return [r["details"] for r in sorted(rows, key=lambda r: r["ts"]) if r["action"] == action]


def test_a_record_split_off_after_a_merge_gets_its_first_id_back(resolved: Warehouse) -> None:
    luis = identities(resolved)["web:2"]
    merge_customers(resolved, ["crm:2", "web:2"], actor=ACTOR)
    assert identities(resolved)["web:2"] != luis
    split_records(resolved, ["web:2"], actor=ACTOR)
    assert identities(resolved)["web:2"] == luis
    resolve(resolved, full=True, now=day(60))
    assert identities(resolved)["web:2"] == luis


def test_a_reference_with_a_nul_character_is_simply_unknown(resolved: Warehouse) -> None:
    with pytest.raises(UsageError, match="no customer or source record"):
        merge_customers(resolved, ["crm:1", "x\x00"], actor=ACTOR)
