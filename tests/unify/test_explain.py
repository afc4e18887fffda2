"""Explanations: Splink's waterfall for a pair, scored by the saved model of the run that
linked it, the deterministic keys, the path within a customer, and overrides."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.unify import resolve
from cxloop.unify.corrections import split_records
from cxloop.unify.explain import explain_records
from cxloop.unify.explanation import ExplainOptions
from cxloop.unify.saved_model import load_model
from unify.rows import SHARED_DATA, identities, record, write_rows

FEBRL = SHARED_DATA / "identity" / "febrl"
PEOPLE = 600  # per file: 1,200 records, enough to train the model


def day(d: int) -> datetime:
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=d)


def febrl_rows(name: str, source: str) -> list[dict]:
    frame = pd.read_csv(FEBRL / f"{name}.csv", dtype=str, skipinitialspace=True)
    frame = frame[frame["rec_id"].str.split("-").str[1].astype(int) < PEOPLE]
    rows = []
    for r in frame.to_dict("records"):
        dob = pd.to_datetime(r["date_of_birth"], format="%Y%m%d", errors="coerce")
        rows.append(
            record(
                source, r["rec_id"], first_name=r["given_name"], last_name=r["surname"],
                address=r["address_1"], city=r["suburb"], postcode=r["postcode"],
                birth_date=None if pd.isna(dob) else dob.date(),
            )
        )  # fmt: skip
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in rows]  # fmt: skip


@pytest.fixture(scope="module")
def febrl(tmp_path_factory) -> Warehouse:
    if not (FEBRL / "dataset4a.csv").is_file():
        pytest.skip(f"FEBRL data not found in {FEBRL}")
    from cxloop.storage.warehouse import open_warehouse

    path = tmp_path_factory.mktemp("febrl") / "w.duckdb"
    wh = open_warehouse(f"duckdb:///{path}")
    write_rows(wh, "source_records", febrl_rows("dataset4a", "a") + febrl_rows("dataset4b", "b"))
    report = resolve(wh, now=day(1))
    assert report.model_trained and report.model_id
    yield wh
    wh.close()


def a_true_pair(wh: Warehouse) -> tuple[str, str]:
    ids = identities(wh)
    rows = wh.to_pyarrow(wh.table("identities")).to_pylist()
    for r in sorted(rows, key=lambda r: r["record_id"]):
        if r["source"] == "b" and r["method"] == "probabilistic":
            number = r["source_id"].split("-")[1]
            org = f"a:rec-{number}-org"
            if ids.get(org) == r["customer_id"]:
                return org, r["record_id"]
    raise AssertionError("no linked pair")


def test_a_truly_linked_pair_weighs_above_the_threshold(febrl: Warehouse) -> None:
    a, b = a_true_pair(febrl)
    why = explain_records(febrl, a, b)
    assert why.decision == "linked" and why.same_customer
    assert why.total_weight > why.threshold_weight > 0
    assert why.match_probability >= why.threshold
    assert why.compared and why.blocking_rules
    assert why.direct_link == "probabilistic"
    assert [s.kind for s in why.path] == ["probabilistic"]
    # the waterfall adds up: prior + every comparison = total
    total = why.prior_weight + sum(c.match_weight for c in why.comparisons)
    assert total == pytest.approx(why.total_weight, abs=1e-6)
    assert why.match_probability == pytest.approx(2**total / (1 + 2**total))
    names = [c.name for c in why.comparisons]
    assert names[:2] == ["name", "dob"]
    dob = why.comparisons[1]
    assert dob.description == "Date of birth" and dob.m_probability and dob.u_probability
    assert dob.level_weight == pytest.approx(math.log2(dob.m_probability / dob.u_probability))
    assert why.model.trained and why.model.records == 2 * PEOPLE
    assert "Same customer" in why.reason and "probabilistic match" in why.reason


def test_the_saved_model_gives_the_probability_the_run_stored(febrl: Warehouse) -> None:
    a, b = a_true_pair(febrl)
    stored = {
        r["record_id"]: r["match_probability"]
        for r in febrl.to_pyarrow(febrl.table("identities")).to_pylist()
    }
    why = explain_records(febrl, a, b)
    # the record's stored probability is its best link's: this pair's, for a FEBRL pair
    assert why.match_probability == pytest.approx(stored[b], rel=1e-9)
    assert why.model.model_id == load_model(febrl).model_id


def test_an_unrelated_pair_weighs_below_zero(febrl: Warehouse) -> None:
    why = explain_records(febrl, "a:rec-1-org", "a:rec-2-org")
    assert why.decision == "not_linked" and not why.same_customer
    assert why.total_weight < 0 < why.threshold_weight
    assert why.match_probability < 0.01
    assert not why.path and why.direct_link is None
    assert why.reason.startswith("Not linked: no shared key") and "< threshold" in why.reason
    assert all(not k.used for k in why.keys)


ANA = record("crm", "1", first_name="Ana", last_name="Ruiz", email="ana@x.com",
             created_at=day(1))  # fmt: skip
CARLOS = record("web", "7", first_name="Carlos", last_name="Pérez", email="ANA@x.com",
                created_at=day(2))  # fmt: skip
APP = record("app", "3", first_name="Carlos", last_name="Perez", phone="+34 653 126 976",
             email="carlos@y.com", created_at=day(3))  # fmt: skip
SUPPORT = record("support", "4", first_name="Carla", last_name="Pe", phone="653126976",
                 country="ES", created_at=day(4))  # fmt: skip


def test_a_pair_linked_only_by_e_mail_says_so(warehouse: Warehouse, add_records) -> None:
    add_records(ANA, CARLOS)
    resolve(warehouse, now=day(10))
    why = explain_records(warehouse, "crm:1", "web:7")
    assert why.same_customer and why.decision == "linked"
    email = next(k for k in why.keys if k.kind == "deterministic:email")
    assert email.used and email.records_sharing == 2 and email.value_a == "ana@x.com"
    assert why.direct_link == "deterministic:email"
    assert [s.kind for s in why.path] == ["deterministic:email"]
    assert "shared e-mail" in why.reason
    name = next(c for c in why.comparisons if c.name == "name")
    assert name.match_weight < 0  # the names disagree: only the e-mail links them
    assert not why.model.trained  # two records: built-in weights


def test_a_path_through_a_third_record(warehouse: Warehouse, add_records) -> None:
    add_records(CARLOS, APP, SUPPORT)
    resolve(warehouse, now=day(10))
    why = explain_records(warehouse, "app:3", "support:4")
    assert [s.kind for s in why.path] == ["deterministic:phone"]
    add_records(record("crm", "9", first_name="Carlos", last_name="Pérez",
                       email="carlos@y.com", imported_at=day(11)))  # fmt: skip
    resolve(warehouse, now=day(12))
    why = explain_records(warehouse, "crm:9", "support:4")
    assert why.same_customer
    assert [s.kind for s in why.path] == ["deterministic:email", "deterministic:phone"]
    assert "through 1 other record" in why.reason


def test_a_split_pair_is_explained_by_the_split(warehouse: Warehouse, add_records) -> None:
    add_records(ANA, CARLOS)
    resolve(warehouse, now=day(10))
    override = split_records(warehouse, ["web:7"], actor="user:x", reason="two people").override
    why = explain_records(warehouse, "crm:1", "web:7")
    assert why.decision == "not_linked"
    assert [o.override_id for o in why.overrides] == [override.override_id]
    assert override.override_id in why.reason and "split" in why.reason


def test_each_run_that_scores_pairs_saves_its_model(warehouse: Warehouse, add_records) -> None:
    add_records(ANA, CARLOS)
    first = resolve(warehouse, now=day(10))
    assert resolve(warehouse, now=day(11)).model_id is None  # nothing new: nothing scored
    add_records(record("app", "5", first_name="Ana", last_name="Ruiz", imported_at=day(12)))
    second = resolve(warehouse, now=day(13))
    assert first.model_id and second.model_id and first.model_id != second.model_id
    saved = load_model(warehouse)
    assert saved.model_id == second.model_id and saved.records == 3
    assert saved.records_scored == 1 and saved.mode == "incremental"
    assert saved.settings["comparisons"][0]["output_column_name"] == "name"
    assert load_model(warehouse, first.model_id).records == 2
    old = explain_records(warehouse, "crm:1", "web:7", ExplainOptions(model_id=first.model_id))
    assert old.model.model_id == first.model_id


def test_mistakes_are_one_line_errors(warehouse: Warehouse, add_records) -> None:
    add_records(ANA, CARLOS)
    with pytest.raises(UsageError, match="run `cxloop resolve` first"):
        explain_records(warehouse, "crm:1", "web:7")
    resolve(warehouse, now=day(10))
    with pytest.raises(UsageError, match="no source record 'crm:404'"):
        explain_records(warehouse, "crm:1", "crm:404")
    with pytest.raises(UsageError, match="two different"):
        explain_records(warehouse, "crm:1", "crm:1")
    with pytest.raises(UsageError, match="no saved model"):
        explain_records(warehouse, "crm:1", "web:7", ExplainOptions(model_id="mdl_x"))
