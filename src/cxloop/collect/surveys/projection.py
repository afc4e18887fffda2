"""A complete survey response as canonical measures: a ``feedback`` row for a customer's
answers, an ``employee_pulses`` row for an employee's."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from cxloop.collect.surveys.definitions import OPEN_TYPES, Question, SurveyDefinition

SOURCE = "survey"


def projected_id(response_id: str) -> str:
    """The ``feedback_id`` / ``pulse_id`` of a response's projection (stable: a retried
    response writes the same row again)."""
    return f"survey:{response_id}"


def _first(survey: SurveyDefinition, answers: dict[str, Any], kind: str) -> Any:
    for question in survey.questions:
        if question.type == kind and isinstance(answers.get(question.id), int):
            return answers[question.id]
    return None


def comment_text(survey: SurveyDefinition, answers: dict[str, Any]) -> str | None:
    """The answers to open prompts, joined (None when there are none)."""
    texts = [
        str(answers[q.id]).strip()
        for q in survey.questions
        if q.type in OPEN_TYPES and str(answers.get(q.id) or "").strip()
    ]
    return "\n\n".join(texts) or None


def feedback_row(
    survey: SurveyDefinition,
    *,
    response_id: str,
    customer_id: str | None,
    answers: dict[str, Any],
    language: str,
    ts: datetime,
    channel: str | None,
    imported_at: datetime,
) -> dict[str, object]:
    """The ``feedback`` row of a customer's complete response."""
    rating = _first(survey, answers, "rating")
    return {
        "feedback_id": projected_id(response_id),
        "source": SOURCE,
        "source_customer_id": customer_id,
        "customer_id": customer_id,
        "ts": ts,
        "kind": "survey",
        "channel": channel,
        "touchpoint": survey.touchpoint,
        "team_id": survey.team,
        "survey_id": survey.id,
        "nps": _first(survey, answers, "nps"),
        "csat": _first(survey, answers, "csat"),
        "ces": _first(survey, answers, "ces"),
        "rating": float(rating) if rating is not None else None,
        "text": comment_text(survey, answers),
        "language": language,
        "imported_at": imported_at,
    }


def _to_five(question: Question, value: int) -> float:
    """A score on the question's scale, moved linearly onto 1–5."""
    assert question.bounds is not None
    low, high = question.bounds
    return 1 + 4 * (value - low) / (high - low)


def _measure(survey: SurveyDefinition, answers: dict[str, Any], name: str) -> float | None:
    values = [
        _to_five(q, answers[q.id])
        for q in survey.questions
        if q.bounds is not None
        and isinstance(answers.get(q.id), int)
        and (q.measure == name or (name == "customer_centricity" and q.type == "statement"))
        and q.type not in ("enps", "nps")
    ]
    return round(statistics.fmean(values), 4) if values else None


def pulse_row(
    survey: SurveyDefinition,
    *,
    response_id: str,
    employee_id: str | None,
    team_id: str | None,
    answers: dict[str, Any],
    ts: datetime,
    imported_at: datetime,
) -> dict[str, object]:
    """The ``employee_pulses`` row of an employee's complete response: eNPS, and the mean
    (on 1–5) of the items of each measure; statements count to customer centricity."""
    return {
        "pulse_id": projected_id(response_id),
        "employee_id": employee_id,
        "team_id": team_id or survey.team,
        "ts": ts,
        "enps": _first(survey, answers, "enps"),
        "engagement": _measure(survey, answers, "engagement"),
        "wellbeing": _measure(survey, answers, "wellbeing"),
        "customer_centricity": _measure(survey, answers, "customer_centricity"),
        "imported_at": imported_at,
    }
