"""Statement answers from the warehouse: who rated which shared statement how, for which team.

A *statement* question (``type: statement``, ``statement: <statement_id>``) asks for 1–5
agreement with a statement that customer and employee surveys share: customers rate "They
listen to me", managers and employees rate "We listen to our customers" under the same id.
Each complete response gives one row per statement it answered, with the respondent's group:
``managers`` (an employee whose record says ``is_manager``), ``employees`` (every other
employee) or ``customers``, and the team it is about: the response's ``team_id``, else the
employee's team, else the survey's owning team.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import ibis
import pandas as pd

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

ANSWER_COLUMNS = ("statement_id", "group", "team_id", "respondent", "ts", "value")
SCALE = (1, 5)


@dataclass
class StatementSurvey:
    """The statement questions of one survey (every stored version of it, latest first)."""

    survey_id: str
    audience: str
    team: str | None
    languages: list[str]
    questions: dict[str, str] = field(default_factory=dict)
    """question id → statement id"""
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    """statement id → language → wording"""


def _localised(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"": value}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v}
    return {}


def parse_statement_survey(survey_id: str, definition: dict[str, Any]) -> StatementSurvey | None:
    """The statement questions of a stored definition (``None`` when it has none)."""
    survey = StatementSurvey(
        survey_id=survey_id,
        audience=str(definition.get("audience") or "customers"),
        team=definition.get("team") or None,
        languages=list(definition.get("languages") or ["en"]),
    )
    for question in definition.get("questions") or []:
        if not isinstance(question, dict) or question.get("type") != "statement":
            continue
        statement = question.get("statement")
        if not statement or not question.get("id"):
            continue
        survey.questions[str(question["id"])] = str(statement)
        survey.texts.setdefault(str(statement), _localised(question.get("text")))
    return survey if survey.questions else None


def statement_surveys(wh: Warehouse) -> dict[str, StatementSurvey]:
    """Every stored survey with statement questions, by survey id (the latest version's texts
    win; question ids of older versions still count)."""
    surveys = wh.table("surveys")
    frame = wh.to_pandas(surveys.select("survey_id", "version", "definition"))
    found: dict[str, StatementSurvey] = {}
    frame = frame.sort_values("version", ascending=False, na_position="last", kind="stable")
    for row in frame.itertuples(index=False):
        try:
            definition = json.loads(row.definition) if row.definition else {}
        except (TypeError, ValueError):
            continue
        parsed = parse_statement_survey(str(row.survey_id), definition)
        if parsed is None:
            continue
        known = found.get(parsed.survey_id)
        if known is None:
            found[parsed.survey_id] = parsed
            continue
        for qid, sid in parsed.questions.items():
            known.questions.setdefault(qid, sid)
        for sid, text in parsed.texts.items():
            known.texts.setdefault(sid, text)
    return found


def _ts(value: date) -> ibis.Value:
    return ibis.literal(datetime(value.year, value.month, value.day), type="timestamp")


def statement_answers(
    wh: Warehouse,
    surveys: dict[str, StatementSurvey],
    *,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """One row per answered statement of each complete response to ``surveys``.

    Columns: ``statement_id``, ``group`` (managers, employees, customers), ``team_id``,
    ``respondent`` (employee or customer id; the response id for an anonymous answer), ``ts``
    and ``value`` (1–5). Answers outside 1–5 or not whole numbers are left out.
    """
    if not surveys:
        return pd.DataFrame(columns=list(ANSWER_COLUMNS))
    r = wh.table("survey_responses")
    r = r.filter(r.survey_id.isin(list(surveys)))
    if "status" in r.columns:
        r = r.filter(r.status == "complete")
    ts = r.ts.cast("timestamp")
    if since is not None:
        r = r.filter(ts >= _ts(since))
    if until is not None:
        r = r.filter(ts < _ts(until))
    columns = [c for c in ("employee_id", "team_id") if c in r.columns]
    responses = wh.to_pandas(
        r.select("response_id", "survey_id", "customer_id", "ts", "answers", *columns)
    )
    staff = wh.to_pandas(wh.table("employees").select("employee_id", "team_id", "is_manager"))
    team_of = dict(zip(staff["employee_id"], staff["team_id"], strict=True))
    managers = set(staff.loc[staff["is_manager"].fillna(False).astype(bool), "employee_id"])
    rows: list[tuple[Any, ...]] = []
    for row in responses.to_dict("records"):
        survey = surveys[row["survey_id"]]
        try:
            answers = json.loads(row["answers"]) if row["answers"] else {}
        except (TypeError, ValueError):
            continue
        if not isinstance(answers, dict):
            continue
        employee = _text(row.get("employee_id"))
        team = _text(row.get("team_id"))
        if survey.audience == "employees":
            group = "managers" if employee in managers else "employees"
            team = team or _text(team_of.get(employee)) or survey.team
            respondent = employee
        else:
            group = "customers"
            team = team or survey.team
            respondent = _text(row.get("customer_id"))
        respondent = respondent or f"response:{row['response_id']}"
        for qid, statement in survey.questions.items():
            value = _scale_value(answers.get(qid))
            if value is not None:
                rows.append((statement, group, team, respondent, row["ts"], value))
    return pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value)
    return text or None


def _scale_value(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not number.is_integer() or not SCALE[0] <= number <= SCALE[1]:
        return None
    return int(number)
