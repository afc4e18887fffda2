"""Live results of one survey: its scores with 95% intervals, the distribution of each
question's answers, the latest comments and, for employee surveys, team results.

Employee answers are confidential: nothing is shown of a survey (or of a team) with fewer
complete responses than the minimum group size, and no individual answer or comment is ever
listed. Comments of customer surveys are the redacted copies unless the caller may read the
originals (an admin).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import pandas as pd
from pydantic import BaseModel

from cxloop.collect.surveys.definitions import CHOICE_TYPES, Question, SurveyDefinition
from cxloop.share.overview import FeedbackItem, latest_feedback_expr
from cxloop.storage import Warehouse
from cxloop.understand.kpi.statistics import mean_interval, nps_interval, wilson_interval

SCORE_KPIS = {"nps": "nps", "enps": "enps", "csat": "csat", "ces": "ces", "rating": "mean"}


class ScoreResult(BaseModel):
    """A survey KPI from one question: NPS/eNPS in points, CSAT as the top-2-box share, CES
    and ratings as means; with n and a 95% interval (None where n is too small for one)."""

    kpi: str
    question_id: str
    text: str
    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    small_n: bool


class AnswerCount(BaseModel):
    """How many complete responses gave one answer."""

    answer: str
    label: str
    count: int
    share: float


class Distribution(BaseModel):
    """The answers to one scored or choice question."""

    question_id: str
    text: str
    type: str
    n: int
    answers: list[AnswerCount]


class TeamResult(BaseModel):
    """An employee survey's result for one team with enough respondents."""

    team_id: str
    n: int
    enps: float | None


class SurveyResults(BaseModel):
    """Everything the survey page shows below its funnel."""

    survey_id: str
    n: int
    withheld: bool = False
    scores: list[ScoreResult] = []
    distributions: list[Distribution] = []
    comments: list[FeedbackItem] = []
    teams: list[TeamResult] = []
    teams_withheld: int = 0


def _clean(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def score_result(question: Question, text: str, values: list[int], small_n: int) -> ScoreResult:
    """The KPI of one scored question from its answers."""
    n = len(values)
    kind = SCORE_KPIS.get(question.type, "mean")
    if kind in ("nps", "enps"):
        promoters = sum(v >= 9 for v in values)
        detractors = sum(v <= 6 for v in values)
        value = 100 * (promoters - detractors) / n if n else math.nan
        low, high = nps_interval(n, promoters, detractors)
    elif kind == "csat":
        top = sum(v >= 4 for v in values)
        value = top / n if n else math.nan
        low, high = wilson_interval(top, n)
    else:
        total = float(sum(values))
        value = total / n if n else math.nan
        low, high = mean_interval(n, total, float(sum(v * v for v in values)))
    return ScoreResult(
        kpi=kind if kind != "mean" else question.type, question_id=question.id, text=text, n=n,
        value=_clean(value), ci_low=_clean(low), ci_high=_clean(high), small_n=n < small_n,
    )  # fmt: skip


def complete_answers(warehouse: Warehouse, survey_id: str) -> pd.DataFrame:
    """The complete responses of a survey: ``team_id`` and the parsed ``answers``."""
    t = warehouse.table("survey_responses")
    frame = warehouse.to_pandas(
        t.filter((t.survey_id == survey_id) & (t.status == "complete")).select("team_id", "answers")
    )
    frame["answers"] = [json.loads(a) if a else {} for a in frame["answers"]]
    return frame


def _distribution(
    survey: SurveyDefinition, question: Question, answers: list[Any], language: str
) -> Distribution:
    counts: Counter[str] = Counter()
    for answer in answers:
        for item in answer if isinstance(answer, list) else [answer]:
            counts[str(item)] += 1
    if question.bounds is not None:
        low, high = question.bounds
        order = [str(v) for v in range(low, high + 1)]
        labels = dict(zip(order, order, strict=True))
    else:
        order = question.option_ids()
        labels = {o: survey.text(f"{question.id}.{o}", language) or o for o in order}
    n = len(answers)
    return Distribution(
        question_id=question.id,
        text=survey.text(question.id, language) or question.id,
        type=question.type,
        n=n,
        answers=[
            AnswerCount(answer=a, label=labels[a], count=counts[a],
                        share=counts[a] / n if n else 0.0)
            for a in order
        ],
    )  # fmt: skip


def survey_results(
    warehouse: Warehouse,
    survey: SurveyDefinition,
    *,
    language: str,
    min_group_n: int,
    small_n: int = 30,
    original_text: bool = False,
    comments: int = 10,
) -> SurveyResults:
    """The results of ``survey`` as its page shows them (see the module's rules)."""
    language = language if language in survey.languages else survey.fallback_language
    frame = complete_answers(warehouse, survey.id)
    n = len(frame)
    employees = survey.audience == "employees"
    if employees and n < min_group_n:
        return SurveyResults(survey_id=survey.id, n=n, withheld=True)
    results = SurveyResults(survey_id=survey.id, n=n)
    for question in survey.questions:
        answers = [a[question.id] for a in frame["answers"] if a.get(question.id) is not None]
        text = survey.text(question.id, language) or question.id
        if question.bounds is not None:
            values = [int(v) for v in answers if isinstance(v, int | float)]
            if question.type in SCORE_KPIS:
                results.scores.append(score_result(question, text, values, small_n))
        if question.bounds is not None or question.type in CHOICE_TYPES:
            results.distributions.append(_distribution(survey, question, answers, language))
    if employees:
        _team_results(results, survey, frame, min_group_n)
    else:
        results.comments = _comments(warehouse, survey.id, comments, original_text)
    return results


def _team_results(
    results: SurveyResults, survey: SurveyDefinition, frame: pd.DataFrame, min_group_n: int
) -> None:
    enps = next((q for q in survey.questions if q.type == "enps"), None)
    for team_id, group in frame.groupby(frame["team_id"].fillna(""), sort=True):
        if len(group) < min_group_n or not team_id:
            results.teams_withheld += 1
            continue
        value = None
        if enps is not None:
            values = [int(a[enps.id]) for a in group["answers"] if a.get(enps.id) is not None]
            value = score_result(enps, "", values, 0).value if values else None
        results.teams.append(TeamResult(team_id=str(team_id), n=len(group), enps=value))


def _comments(
    warehouse: Warehouse, survey_id: str, limit: int, original_text: bool
) -> list[FeedbackItem]:
    feedback = warehouse.table("feedback")
    feedback = feedback.filter(
        (feedback.survey_id == survey_id) & feedback.text.notnull() & (feedback.text.strip() != "")
    )
    insights = None if original_text else warehouse.table("feedback_insights")
    rows = warehouse.to_pyarrow(latest_feedback_expr(feedback, limit, insights)).to_pylist()
    return [FeedbackItem.model_validate(row) for row in rows]
