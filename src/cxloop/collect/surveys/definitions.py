"""Survey definitions: ``surveys/<id>.yaml`` files, validated on load.

A mistake is reported as ``file:line: field: what is wrong`` (a :class:`SurveyDefinitionError`,
which is a :class:`~cxloop.errors.ConfigError`). Texts are given per language; a text missing
in one language falls back to the survey's first language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cxloop.collect.surveys.conditions import Condition, parse_condition
from cxloop.domain.definitions import FieldValueError, load_definition
from cxloop.domain.records import LANGUAGES, TOUCHPOINTS
from cxloop.errors import ConfigError

QuestionType = Literal[
    "nps", "csat", "ces", "rating", "single", "multiple", "text", "need", "issue", "gap",
    "statement", "enps",
]  # fmt: skip
SCALES: dict[str, tuple[int, int]] = {
    "nps": (0, 10),
    "enps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "statement": (1, 5),
}
SCALE_TYPES = (*SCALES, "rating")
CHOICE_TYPES = ("single", "multiple")
OPEN_TYPES = ("text", "need", "issue", "gap")
EMPLOYEE_ONLY_TYPES = ("enps",)
Measure = Literal["engagement", "wellbeing", "customer_centricity"]
Texts = dict[str, str]


class SurveyDefinitionError(ConfigError):
    """A survey definition file is invalid; the message names file, line and field."""


class Scale(BaseModel):
    """The range of a ``rating`` question."""

    model_config = ConfigDict(extra="forbid")
    min: int = 1
    max: int = 5

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min or self.max - self.min > 100:
            raise ValueError("scale needs min < max and at most 100 steps")
        return self


class Option(BaseModel):
    """One option of a single or multiple choice question."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    text: Texts


class Question(BaseModel):
    """One question; ``id`` keys its answer in ``survey_responses.answers``."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: QuestionType
    text: Texts
    required: bool = False
    show_if: str | None = None
    measure: Measure | None = None
    scale: Scale | None = None
    options: list[Option] | None = None
    statement: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]*$")
    low_label: Texts | None = None
    high_label: Texts | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        if self.type in CHOICE_TYPES:
            if not self.options:
                raise ValueError(f"a {self.type} question needs options: [{{id, text}}, …]")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError(f"option ids repeat in question {self.id!r}")
        elif self.options is not None:
            raise ValueError(f"a {self.type} question takes no options")
        if self.scale is not None and self.type != "rating":
            raise ValueError(f"only rating questions take a scale; {self.type} is fixed")
        if self.type == "statement" and self.statement is None:
            raise ValueError("a statement question names its statement: `statement: <id>`")
        if self.statement is not None and self.type != "statement":
            raise ValueError("only statement questions take `statement`")
        if self.measure is not None and self.type not in SCALE_TYPES:
            raise ValueError("only scored questions (rating, statement, …) take a measure")
        return self

    @property
    def condition(self) -> Condition | None:
        """The parsed ``show_if`` (None: always shown)."""
        return parse_condition(self.show_if) if self.show_if else None

    @property
    def bounds(self) -> tuple[int, int] | None:
        """The lowest and highest score of a scored question, else None."""
        if self.type == "rating":
            scale = self.scale or Scale()
            return scale.min, scale.max
        return SCALES.get(self.type)

    def option_ids(self) -> list[str]:
        """The option ids of a choice question ([] for other types)."""
        return [o.id for o in self.options or []]


def pick_text(texts: Texts | None, language: str, fallback: str) -> str | None:
    """``texts[language]``, else ``texts[fallback]``, else any text, else None."""
    if not texts:
        return None
    return texts.get(language) or texts.get(fallback) or next(iter(texts.values()))


class SurveyDefinition(BaseModel):
    """A survey: who answers it, where it belongs, and its questions.

    Examples
    --------
    >>> s = SurveyDefinition.model_validate({
    ...     "id": "post-delivery", "languages": ["en", "es"],
    ...     "title": {"en": "Your delivery", "es": "Su entrega"},
    ...     "questions": [
    ...         {"id": "nps", "type": "nps", "text": {"en": "Recommend us?"}},
    ...         {"id": "fix", "type": "text", "text": {"en": "What to fix?"},
    ...          "show_if": "nps <= 6"}]})
    >>> s.text("title", "es"), s.text("nps", "es")
    ('Su entrega', 'Recommend us?')
    >>> [q.id for q in s.visible_questions({"nps": 9})]
    ['nps']
    """

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    version: int = Field(default=1, ge=1)
    audience: Literal["customers", "employees"] = "customers"
    touchpoint: str | None = None
    team: str | None = None
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    anonymous: bool = False
    title: Texts
    intro: Texts | None = None
    thanks: Texts | None = None
    questions: list[Question] = Field(min_length=1)

    @field_validator("touchpoint")
    @classmethod
    def _known_touchpoint(cls, value: str | None) -> str | None:
        if value is not None and value not in TOUCHPOINTS:
            raise ValueError(f"unknown touchpoint {value!r}; valid: {', '.join(TOUCHPOINTS)}")
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [lang for lang in value if lang not in LANGUAGES]
        if unknown:
            raise ValueError(f"unknown language {unknown[0]!r}; valid: {', '.join(LANGUAGES)}")
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SurveyDefinition:
        for name in ("title", "intro", "thanks"):
            _check_texts(getattr(self, name), self.languages, name, (name,), name == "title")
        seen: dict[str, Question] = {}
        for i, question in enumerate(self.questions):
            loc: tuple[str | int, ...] = ("questions", i)
            where = f"question {question.id!r}"
            if question.id in seen:
                raise FieldValueError(f"question id {question.id!r} is used twice", (*loc, "id"))
            _check_texts(question.text, self.languages, f"{where} text", (*loc, "text"), True)
            for j, option in enumerate(question.options or []):
                _check_texts(option.text, self.languages, f"{where} option {option.id!r}",
                             (*loc, "options", j, "text"), True)  # fmt: skip
            for label in ("low_label", "high_label"):
                _check_texts(getattr(question, label), self.languages, f"{where} {label}",
                             (*loc, label))  # fmt: skip
            if question.type in EMPLOYEE_ONLY_TYPES and self.audience != "employees":
                raise FieldValueError(
                    f"{where}: {question.type} is asked of employees only", (*loc, "type")
                )
            if question.measure is not None and self.audience != "employees":
                raise FieldValueError(
                    f"{where}: measure is for employee surveys only", (*loc, "measure")
                )
            if question.show_if:
                try:
                    _check_condition(question, seen)
                except ValueError as exc:
                    raise FieldValueError(str(exc), (*loc, "show_if")) from None
            seen[question.id] = question
        return self

    @property
    def fallback_language(self) -> str:
        """The first language: used where a text is missing in another."""
        return self.languages[0]

    @property
    def name(self) -> str:
        """The title in the fallback language."""
        return self.text("title", self.fallback_language) or self.id

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def text(self, field: str, language: str) -> str | None:
        """A text in ``language``, falling back to the survey's first language.

        ``field`` is ``title``, ``intro``, ``thanks``, a question id, or
        ``<question id>.<option id>`` for an option of a choice question.
        """
        fallback = self.fallback_language
        if field in ("title", "intro", "thanks"):
            return pick_text(getattr(self, field), language, fallback)
        question_id, _, option_id = field.partition(".")
        try:
            question = self.question(question_id)
        except KeyError:
            raise KeyError(f"survey {self.id!r} has no text {field!r}") from None
        if not option_id:
            return pick_text(question.text, language, fallback)
        for option in question.options or []:
            if option.id == option_id:
                return pick_text(option.text, language, fallback)
        raise KeyError(f"survey {self.id!r} has no text {field!r}")

    def visible_questions(self, answers: dict[str, Any]) -> list[Question]:
        """The questions shown given ``answers`` so far (a follow-up whose condition fails
        is hidden)."""
        shown: list[Question] = []
        visible: dict[str, Any] = {}
        for question in self.questions:
            condition = question.condition
            if condition is None or condition.holds(visible):
                shown.append(question)
                if question.id in answers:
                    visible[question.id] = answers[question.id]
        return shown


def _check_texts(
    texts: Texts | None,
    languages: list[str],
    where: str,
    loc: tuple[str | int, ...],
    required: bool = False,
) -> None:
    if texts is None:
        return
    extra = [lang for lang in texts if lang not in languages]
    if extra:
        raise FieldValueError(
            f"{where} has a text in {extra[0]!r}, which is not among languages {languages}",
            (*loc, extra[0]),
        )
    if required and not texts.get(languages[0]):
        raise FieldValueError(
            f"{where} needs a text in {languages[0]!r}, the fallback language", loc
        )


def _check_condition(question: Question, earlier: dict[str, Question]) -> None:
    assert question.show_if is not None
    condition = parse_condition(question.show_if)
    target = earlier.get(condition.question)
    if target is None:
        raise ValueError(
            f"question {question.id!r}: show_if names {condition.question!r}, "
            "which is not an earlier question"
        )
    values = condition.value if isinstance(condition.value, tuple) else (condition.value,)
    if target.type in CHOICE_TYPES:
        if condition.op not in ("==", "!=", "in"):
            raise ValueError(f"question {question.id!r}: use ==, != or in with a choice")
        unknown = [v for v in values if str(v) not in target.option_ids()]
        if unknown:
            raise ValueError(
                f"question {question.id!r}: show_if: {unknown[0]!r} is not an option of "
                f"{target.id!r}"
            )
    elif target.bounds is not None:
        if not all(isinstance(v, float) for v in values):
            raise ValueError(f"question {question.id!r}: show_if compares a score to a number")
    elif condition.op not in ("==", "!=", "in"):
        raise ValueError(f"question {question.id!r}: cannot compare open text with <, >")


def load_survey(path: str | Path) -> SurveyDefinition:
    """Load and validate one ``surveys/<id>.yaml`` (``id`` defaults to the file stem).

    Raises
    ------
    SurveyDefinitionError
        ``file:line: field: what is wrong``.
    """
    path = Path(path)
    try:
        return load_definition(path, SurveyDefinition, defaults={"id": path.stem})
    except ConfigError as exc:
        raise SurveyDefinitionError(exc.message) from exc


def survey_files(project_dir: str | Path) -> list[Path]:
    """The definition files of a project: ``surveys/*.yaml`` and ``*.yml``, sorted."""
    folder = Path(project_dir) / "surveys"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_surveys(project_dir: str | Path) -> dict[str, SurveyDefinition]:
    """Every survey of a project by id; two files with the same id are an error."""
    surveys: dict[str, SurveyDefinition] = {}
    origin: dict[str, Path] = {}
    for path in survey_files(project_dir):
        survey = load_survey(path)
        if survey.id in surveys:
            raise SurveyDefinitionError(
                f"{path}:1: id: survey id {survey.id!r} is already used by {origin[survey.id]}"
            )
        surveys[survey.id] = survey
        origin[survey.id] = path
    return surveys


def survey_yaml(survey: SurveyDefinition) -> str:
    """The definition as YAML, the way a person would write it (defaults left out)."""
    data = survey.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"id": survey.id, **data}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
