from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxloop.collect.surveys import SurveyDefinition, SurveyDefinitionError, load_survey
from cxloop.collect.surveys.surveyjs import from_surveyjs, read_surveyjs, to_surveyjs
from cxloop.project import starter_files

EMPLOYEE = {
    "id": "pulse", "audience": "employees", "languages": ["en", "zh"], "anonymous": True,
    "title": {"en": "Pulse", "zh": "脉搏"}, "thanks": {"en": "Thanks <3"},
    "questions": [
        {"id": "enps", "type": "enps", "required": True, "text": {"en": "Recommend working here?"}},
        {"id": "cc", "type": "statement", "statement": "listens", "measure": "customer_centricity",
         "text": {"en": "We listen to customers"}},
        {"id": "load", "type": "rating", "scale": {"min": 1, "max": 7}, "measure": "wellbeing",
         "text": {"en": "Workload is fair"}, "low_label": {"en": "No"}},
        {"id": "why", "type": "gap", "show_if": "enps in [0, 1, 2]", "text": {"en": "Why?"}},
    ],
}  # fmt: skip


def starter(name: str, tmp_path: Path) -> SurveyDefinition:
    path = tmp_path / name
    path.write_text(starter_files()[f"surveys/{name}"], encoding="utf-8")
    return load_survey(path)


@pytest.mark.parametrize("name", ["post-delivery.yaml", "support-csat.yaml", "billing-ces.yaml"])
def test_round_trip_keeps_every_field(name: str, tmp_path: Path) -> None:
    survey = starter(name, tmp_path)
    document = json.loads(json.dumps(to_surveyjs(survey)))
    assert from_surveyjs(document) == survey


def test_round_trip_of_an_employee_survey() -> None:
    survey = SurveyDefinition.model_validate(EMPLOYEE)
    document = to_surveyjs(survey)
    assert document["completedHtml"] == "Thanks &lt;3"
    assert from_surveyjs(document) == survey


def test_export_speaks_surveyjs(tmp_path: Path) -> None:
    document = to_surveyjs(starter("post-delivery.yaml", tmp_path))
    assert document["locale"] == "en"
    nps, improve, _, on_time = document["pages"][0]["elements"]
    assert (nps["type"], nps["rateMin"], nps["rateMax"], nps["isRequired"]) == (
        "rating",
        0,
        10,
        True,
    )
    assert nps["title"]["zh-cn"].startswith("您")
    assert improve["visibleIf"] == "{nps} <= 6"
    assert on_time["type"] == "radiogroup" and on_time["choices"][2]["value"] == "late"


def test_a_plain_surveyjs_file_imports(tmp_path: Path) -> None:
    document = {
        "title": "Plain",
        "locale": "es",
        "completedHtml": "<h3>¡Gracias!</h3>",
        "pages": [{"elements": [
            {"type": "rating", "name": "nps", "rateMin": 0, "rateMax": 10, "title": "¿Recomienda?"},
            {"type": "rating", "name": "stars", "rateCount": 4},
            {"type": "dropdown", "name": "color", "choices": ["red", {"value": "blue"}]},
            {"type": "checkbox", "name": "extras", "choices": [{"value": "x", "text": "X"}],
             "visibleIf": "{color} = 'red'"},
            {"type": "comment", "name": "notes", "visibleIf": "{nps} <> 10"},
        ]}],
    }  # fmt: skip
    path = tmp_path / "My Plain Survey.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    survey = read_surveyjs(path)
    assert survey.id == "my-plain-survey" and survey.languages == ["es"]
    assert [q.type for q in survey.questions] == ["nps", "rating", "single", "multiple", "text"]
    assert survey.question("stars").bounds == (1, 4)
    assert survey.question("extras").show_if == "color == 'red'"
    assert survey.question("notes").show_if == "nps != 10"
    assert survey.text("thanks", "en") == "¡Gracias!"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"pages": [{"elements": [{"type": "matrix", "name": "m"}]}]},
         "pages[0].elements[0] 'm': element type 'matrix'"),
        ({"pages": [{"elements": [
            {"type": "comment", "name": "a", "visibleIf": "{b} > 1 and {c}"}]}]},
         "pages[0].elements[0] 'a': "),
        ({"locale": "fr", "pages": []}, "locale: locale 'fr'"),
        ({"title": "t", "pages": [{"elements": [{"type": "comment", "name": "Bad Name"}]}]},
         "questions.0.id"),
    ],
)  # fmt: skip
def test_what_cannot_be_imported_is_named(document: dict, message: str) -> None:
    with pytest.raises(SurveyDefinitionError, match="x.json: ") as info:
        from_surveyjs(document, source="x.json")
    assert message in str(info.value)


def test_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"title":\n  oops}', encoding="utf-8")
    with pytest.raises(SurveyDefinitionError, match=r"bad.json:2: invalid JSON"):
        read_surveyjs(path)
    with pytest.raises(SurveyDefinitionError, match="file not found"):
        read_surveyjs(tmp_path / "none.json")
