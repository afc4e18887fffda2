from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.collect.surveys import SurveyDefinitionError, load_survey, load_surveys
from cxloop.collect.surveys.conditions import parse_condition
from cxloop.errors import ConfigError
from cxloop.project import starter_files

GOOD = """\
version: 2
audience: customers
touchpoint: delivery
team: delivery
languages: [es, en]
title: {es: "Su entrega", en: "Your delivery"}
questions:
  - id: nps
    type: nps
    required: true
    text: {es: "¿Nos recomendaría?", en: "Would you recommend us?"}
  - id: why
    type: text
    show_if: "nps <= 6"
    text: {es: "¿Qué mejorar?"}
  - id: pick
    type: multiple
    text: {es: "Elija"}
    options:
      - {id: a, text: {es: "A", en: "A"}}
      - {id: b, text: {es: "B"}}
  - id: after
    type: rating
    scale: {min: 1, max: 10}
    show_if: "pick in [a, b]"
    text: {es: "Puntúe"}
"""


def write(tmp_path: Path, text: str, name: str = "post-delivery.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_defaults_its_id_to_the_stem_and_falls_back(tmp_path: Path) -> None:
    survey = load_survey(write(tmp_path, GOOD))
    assert survey.id == "post-delivery" and survey.version == 2
    assert survey.fallback_language == "es"
    assert survey.text("title", "en") == "Your delivery"
    assert survey.text("title", "zh") == "Su entrega"  # not a language of it: the fallback
    assert survey.text("why", "en") == "¿Qué mejorar?"
    assert survey.text("pick.b", "en") == "B"
    assert survey.question("after").bounds == (1, 10)
    with pytest.raises(KeyError):
        survey.text("nothing", "en")


def test_follow_ups_show_only_when_their_condition_holds(tmp_path: Path) -> None:
    survey = load_survey(write(tmp_path, GOOD))
    shown = [q.id for q in survey.visible_questions({"nps": 3, "pick": ["b"]})]
    assert shown == ["nps", "why", "pick", "after"]
    assert [q.id for q in survey.visible_questions({"nps": 10})] == ["nps", "pick"]


@pytest.mark.parametrize(
    ("change", "line", "field", "message"),
    [
        (("    type: nps\n", "    type: stars\n"), 9, "questions.0.type", "Input should be"),
        (("touchpoint: delivery", "touchpoint: moon"), 3, "touchpoint", "unknown touchpoint"),
        (('show_if: "nps <= 6"', 'show_if: "later > 1"'), 14, "questions.1.show_if", "earlier"),
        (('show_if: "nps <= 6"', 'show_if: "nps <= x"'), 14, "questions.1.show_if", "a number"),
        (("  - id: why\n", "  - id: nps\n"), 12, "questions.1.id", "used twice"),
        (("languages: [es, en]", "languages: [es, fr]"), 5, "languages", "unknown language"),
        (("pick in [a, b]", "pick in [a, z]"), 25, "questions.3.show_if", "'z' is not an option"),
        (("{min: 1, max: 10}", "{min: 5, max: 1}"), 24, "questions.3.scale", "min < max"),
        (("version: 2", "version: 0"), 1, "version", "greater than or equal"),
        (("    required: true\n", "    required: true\n    colour: red\n"), 11,
         "questions.0.colour", "Extra inputs"),
        (('{es: "B"}', '{es: "B", fr: "B"}'), 21, "questions.2.options.1.text.fr", "not among"),
        (('{es: "Puntúe"}', '{en: "Rate"}'), 26, "questions.3.text", "needs a text in 'es'"),
    ],
)  # fmt: skip
def test_bad_files_name_file_line_and_field(
    tmp_path: Path, change: tuple[str, str], line: int, field: str, message: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    path = write(tmp_path, text)
    with pytest.raises(SurveyDefinitionError) as info:
        load_survey(path)
    error = str(info.value)
    assert isinstance(info.value, ConfigError)
    assert error.startswith(f"{path}:{line}: {field}: "), error
    assert message in error, error


def test_employee_only_questions_and_measures(tmp_path: Path) -> None:
    text = GOOD.replace("type: rating", "type: enps").replace(
        "    scale: {min: 1, max: 10}\n", ""
    ).replace('show_if: "pick in [a, b]"', "measure: engagement")  # fmt: skip
    with pytest.raises(SurveyDefinitionError, match="employees only"):
        load_survey(write(tmp_path, text))
    employees = load_survey(
        write(tmp_path, text.replace("audience: customers", "audience: employees"))
    )
    assert employees.question("after").measure == "engagement"


def test_yaml_errors_and_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "surveys").mkdir()
    write(tmp_path / "surveys", "title: [oops\n", "broken.yaml")
    with pytest.raises(SurveyDefinitionError, match=r"broken.yaml:\d+: invalid YAML"):
        load_surveys(tmp_path)
    (tmp_path / "surveys" / "broken.yaml").unlink()
    write(tmp_path / "surveys", GOOD, "a.yaml")
    write(tmp_path / "surveys", "id: a\n" + GOOD, "b.yaml")
    with pytest.raises(SurveyDefinitionError, match=r"b.yaml:1: id: survey id 'a' is already"):
        load_surveys(tmp_path)


def test_the_starter_surveys_load_in_three_languages(tmp_path: Path) -> None:
    for rel, text in starter_files().items():
        if rel.startswith("surveys/"):
            write(tmp_path, text, Path(rel).name)
    surveys = {p.stem: load_survey(p) for p in tmp_path.glob("*.yaml")}
    assert set(surveys) == {
        "post-delivery", "support-csat", "billing-ces", "customer-centricity",
        "employee-customer-centricity", "employee-engagement", "employee-enps",
        "employee-wellbeing", "ambassador-programme",
    }  # fmt: skip
    for survey in surveys.values():
        assert survey.languages == ["en", "es", "zh"]
        for question in survey.questions:
            assert set(question.text) == {"en", "es", "zh"}, (survey.id, question.id)
    kinds = {s.questions[0].type for s in surveys.values()}
    assert kinds == {"nps", "csat", "ces", "statement", "enps", "rating", "single"}
    # the perception gap: customers and employees rate the same statements
    customer = {q.statement for q in surveys["customer-centricity"].questions if q.statement}
    employee = {
        q.statement for q in surveys["employee-customer-centricity"].questions if q.statement
    }
    assert customer == employee and len(customer) == 5
    assert surveys["employee-customer-centricity"].audience == "employees"


@pytest.mark.parametrize(
    "text", ["nps", "nps <= ", "nps ~ 3", "nps in 3", "nps in []", "nps == a b", "Nps == 1"]
)
def test_conditions_that_do_not_parse(text: str) -> None:
    with pytest.raises(ValueError):
        parse_condition(text)


def test_condition_operators() -> None:
    answers = {"nps": 7, "pick": ["a", "c"], "word": "yes"}
    truth = {
        "nps == 7": True, "nps != 7": False, "nps < 7": False, "nps > 6": True,
        "nps >= 7": True, "pick == c": True, "pick != a": False, "pick in [b, c]": True,
        "word == 'yes'": True, "word in [no]": False, "missing == 1": False,
    }  # fmt: skip
    for text, expected in truth.items():
        assert parse_condition(text).holds(answers) is expected, text
