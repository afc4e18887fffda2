"""Reading a respondent's answers from a posted form, one page of questions at a time.

Questions are grouped into pages: a follow-up whose condition depends on a question of the
page being built starts a new page, so a form without JavaScript can show it (or not) once the
answer is known. Each page's answers are checked against the definition (a score in range, a
known option, text of bounded length); problems come back by question id, as message ids the
form translates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cxloop.collect.surveys.definitions import CHOICE_TYPES, Question, SurveyDefinition

MAX_TEXT = 5_000
#: problems with an answer, as English message ids (translated where they are shown)
REQUIRED = "Please answer this question."
OUT_OF_RANGE = "Choose a score from the scale."
UNKNOWN_OPTION = "Choose one of the options."
TOO_LONG = "This answer is too long."


def form_field(question: Question) -> str:
    """The name of a question's form field."""
    return f"q_{question.id}"


def pages(survey: SurveyDefinition) -> list[list[Question]]:
    """The survey's questions split into pages (before conditions are applied)."""
    out: list[list[Question]] = [[]]
    for question in survey.questions:
        condition = question.condition
        on_page = {q.id for q in out[-1]}
        if condition is not None and condition.question in on_page:
            out.append([])
        out[-1].append(question)
    return [page for page in out if page]


def visible_on(page: Sequence[Question], survey: SurveyDefinition, answers: Mapping[str, Any]
               ) -> list[Question]:  # fmt: skip
    """The questions of ``page`` shown given the answers so far."""
    shown = {q.id for q in survey.visible_questions(dict(answers))}
    return [q for q in page if q.id in shown]


def next_page(survey: SurveyDefinition, answers: Mapping[str, Any], after: int = -1) -> int | None:
    """The index of the first page after ``after`` with a question to show, or None."""
    all_pages = pages(survey)
    for index in range(after + 1, len(all_pages)):
        if visible_on(all_pages[index], survey, answers):
            return index
    return None


def resume_page(survey: SurveyDefinition, answers: Mapping[str, Any]) -> int | None:
    """Where a returning respondent carries on: the first page with an unanswered question
    (the first page for a new response; None when nothing is left to ask)."""
    for index, page in enumerate(pages(survey)):
        if any(q.id not in answers for q in visible_on(page, survey, answers)):
            return index
    return None


@dataclass
class PageAnswers:
    """The answers read from one page, and what was wrong with some of them."""

    answers: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    raw: dict[str, list[str]] = field(default_factory=dict)


def read_page(questions: Sequence[Question], form: Mapping[str, Sequence[str]]) -> PageAnswers:
    """Check and convert the posted values of ``questions``.

    ``form`` maps field names to every value posted under it. An empty optional answer is
    left out; an empty required one is a problem.
    """
    result = PageAnswers()
    for question in questions:
        values = [v.strip() for v in form.get(form_field(question), []) if v.strip()]
        result.raw[question.id] = values
        if not values:
            if question.required:
                result.problems[question.id] = REQUIRED
            continue
        value, problem = _convert(question, values)
        if problem:
            result.problems[question.id] = problem
        else:
            result.answers[question.id] = value
    return result


def _convert(question: Question, values: list[str]) -> tuple[Any, str | None]:
    if question.bounds is not None:
        low, high = question.bounds
        try:
            score = int(values[0])
        except ValueError:
            return None, OUT_OF_RANGE
        return (score, None) if low <= score <= high else (None, OUT_OF_RANGE)
    if question.type in CHOICE_TYPES:
        known = question.option_ids()
        if any(v not in known for v in values):
            return None, UNKNOWN_OPTION
        if question.type == "single":
            return (values[0], None) if len(values) == 1 else (None, UNKNOWN_OPTION)
        return [o for o in known if o in values], None
    text = values[0]
    return (text, None) if len(text) <= MAX_TEXT else (None, TOO_LONG)


def prefill_score(survey: SurveyDefinition, raw: str | None) -> dict[str, int]:
    """``{first question: score}`` for a valid ``score=`` link parameter, else ``{}``."""
    first = survey.questions[0]
    if raw is None or first.bounds is None:
        return {}
    try:
        score = int(raw)
    except ValueError:
        return {}
    low, high = first.bounds
    return {first.id: score} if low <= score <= high else {}
