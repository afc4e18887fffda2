"""Every comparison and level of the matching model has a name in the UI's languages."""

from __future__ import annotations

import pytest

from cxloop.unify.comparisons import model_settings
from cxloop.web import match_labels
from cxloop.web.i18n import ui_language_for


def model_levels() -> list[tuple[str, int, str]]:
    """(comparison, comparison vector value, label) of every level of the model."""
    settings = model_settings(["loyalty_id"], ["loyalty id"], pending_only=False)
    out = []
    for comparison in settings.comparisons:
        spec = comparison.get_comparison("duckdb").as_dict()
        levels = spec["comparison_levels"]
        values = len([lv for lv in levels if not lv.get("is_null_level")])
        for level in levels:
            value = -1 if level.get("is_null_level") else values - 1
            if not level.get("is_null_level"):
                values -= 1
            out.append((spec["output_column_name"], value, level["label_for_charts"]))
    return out


def test_each_comparison_of_the_model_has_a_name() -> None:
    names = {name for name, _, _ in model_levels()}
    assert names - set(match_labels.COMPARISON_LABELS) == {"loyalty_id"}  # ids: the column


def test_each_level_of_the_model_is_translated_except_an_identifier_s_own() -> None:
    untranslated = {
        (name, label)
        for name, value, label in model_levels()
        if not match_labels.is_translated(value, label)
    }
    assert untranslated == {("loyalty_id", "Same loyalty id")}


@pytest.mark.parametrize(
    ("value", "label", "expected"),
    [
        (-1, "dob is NULL", "Falta en uno de los registros o en ambos"),
        (0, "All other comparisons", "Distinto"),
        (3, "Same date of birth", "Misma fecha de nacimiento"),
        # a null level with its own label keeps it
        (-1, "A user name made of the person's name: no more evidence", "Un nombre de usuario"),
        (4, "Same loyalty id", "Same loyalty id"),
    ],
)
def test_levels_in_spanish(value: int, label: str, expected: str) -> None:
    ui = ui_language_for("es")
    assert match_labels.level(ui, value, label).startswith(expected)


def test_names_in_chinese() -> None:
    ui = ui_language_for("zh")
    assert match_labels.comparison(ui, "location") == "邮编与城市"
    assert match_labels.comparison(ui, "loyalty_id") == "loyalty_id"
    assert match_labels.override_kind(ui, "split") == "拆分"
