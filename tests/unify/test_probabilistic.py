from __future__ import annotations

from datetime import date

import pandas as pd

from cxloop.unify.features import RECORD_COLUMNS, record_features
from cxloop.unify.options import ResolveOptions
from cxloop.unify.probabilistic import MIN_TRAINING_RECORDS, match_records


def features(*rows: dict, options: ResolveOptions | None = None) -> pd.DataFrame:
    frame = pd.DataFrame([{c: row.get(c) for c in RECORD_COLUMNS} for row in rows])
    return record_features(frame, options or ResolveOptions())


PEOPLE = (
    {"record_id": "crm:1", "source": "crm", "first_name": "Ana", "last_name": "Ruiz",
     "email": "ana.ruiz@x.com", "city": "Madrid", "postcode": "28001", "country": "ES",
     "birth_date": date(1980, 5, 17)},
    {"record_id": "web:1", "source": "web", "first_name": "Ana", "last_name": "Ruiz López",
     "city": "MADRID", "country": "Spain", "birth_date": date(1980, 5, 17)},
    {"record_id": "app:1", "source": "app", "name": "Ana Ruiz", "city": "Madrid",
     "country": "ES"},
    {"record_id": "app:2", "source": "app", "name": "Pedro Gómez", "city": "Sevilla",
     "country": "ES"},
)  # fmt: skip


def pairs(edges: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(p) for p in zip(edges["unique_id_l"], edges["unique_id_r"], strict=True)}


def test_small_data_is_scored_with_the_built_in_weights() -> None:
    result = match_records(features(*PEOPLE), ResolveOptions(match_threshold=0.9))
    assert not result.trained
    # name, birth date and city agree: linked; a bare name and a city: not enough
    assert pairs(result.edges) == {frozenset({"crm:1", "web:1"})}
    assert (result.edges["match_probability"] >= 0.9).all()
    assert set(result.edges["method"]) == {"probabilistic"}


def test_a_lower_threshold_admits_weaker_evidence() -> None:
    result = match_records(features(*PEOPLE), ResolveOptions(match_threshold=0.5))
    assert frozenset({"crm:1", "app:1"}) in pairs(result.edges)
    assert not any("app:2" in p for p in pairs(result.edges))


def test_an_incremental_run_scores_only_pairs_with_a_pending_record() -> None:
    data = features(*PEOPLE)
    pending = pd.Series([False, False, True, False], index=data.index)
    result = match_records(data, ResolveOptions(match_threshold=0.5), pending=pending)
    assert pairs(result.edges)
    assert all("app:1" in p for p in pairs(result.edges))


def test_nothing_pending_scores_nothing() -> None:
    data = features(*PEOPLE)
    result = match_records(data, ResolveOptions(), pending=pd.Series(False, index=data.index))
    assert result.edges.empty


def test_identifier_attributes_get_a_comparison_and_a_blocking_rule() -> None:
    rows = [
        {"record_id": "a:1", "source": "a", "first_name": "Jo", "last_name": "Li",
         "attributes": '{"nid": "X1234567"}'},
        {"record_id": "b:1", "source": "b", "first_name": "Joanna", "last_name": "Lee",
         "attributes": '{"nid": "x1234567"}'},
    ]  # fmt: skip
    options = ResolveOptions(id_attributes=["nid"], match_threshold=0.5)
    result = match_records(features(*rows, options=options), options)
    assert pairs(result.edges) == {frozenset({"a:1", "b:1"})}
    comparisons = [c["output_column_name"] for c in result.model["comparisons"]]
    assert "id_0" in comparisons


def test_training_needs_enough_records() -> None:
    assert MIN_TRAINING_RECORDS >= 500
