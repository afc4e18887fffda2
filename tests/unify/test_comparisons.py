from __future__ import annotations

import pytest
from splink import DuckDBAPI, Linker

from cxloop.unify.comparisons import (
    PRIOR_MATCH_PROBABILITY,
    exact_rules,
    model_settings,
    prediction_rules,
    training_rules,
)
from cxloop.unify.probabilistic import MODEL_COLUMNS


@pytest.mark.parametrize("term_frequencies", [True, False])
@pytest.mark.parametrize("pending_only", [True, False])
def test_the_model_is_a_valid_splink_model(term_frequencies, pending_only) -> None:
    settings = model_settings(
        ["id_0"], ["ssn"], pending_only=pending_only, term_frequencies=term_frequencies
    )
    columns = {c: ["x", "y"] for c in (*MODEL_COLUMNS, "id_0")}
    table = DuckDBAPI().register({**columns, "unique_id": ["a", "b"], "pending": [True, False]})
    model = Linker(table, settings, log_level=None).misc.save_model_to_json()
    assert model["probability_two_random_records_match"] == PRIOR_MATCH_PROBABILITY
    names = [c["output_column_name"] for c in model["comparisons"]]
    assert names == ["name", "dob", "email", "phone", "location", "address", "country", "id_0"]
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        assert all(lv["m_probability"] > 0 and lv["u_probability"] > 0 for lv in levels)
        assert sum(lv["m_probability"] for lv in levels) == pytest.approx(1, abs=0.01)
        assert sum(lv["u_probability"] for lv in levels) == pytest.approx(1, abs=0.01)
    rules = [r["blocking_rule"] for r in model["blocking_rules_to_generate_predictions"]]
    assert all(("l.pending OR r.pending" in r) == pending_only for r in rules)


def test_identifiers_get_blocking_and_training_rules() -> None:
    assert "l.id_0 = r.id_0" in prediction_rules(["id_0"])
    assert "l.id_0 = r.id_0" in training_rules(["id_0"])
    assert "l.id_0 = r.id_0" in exact_rules(["id_0"])
    assert not any("id_" in rule for rule in prediction_rules([]))
