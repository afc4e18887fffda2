"""Run the perception gap over a warehouse: statement surveys, their answers, team names."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from cxloop.domain.perception_gap import GapReport
from cxloop.errors import UsageError
from cxloop.understand.confidentiality import DEFAULT_MIN_GROUP_N
from cxloop.understand.perception_gap.analysis import perception_gap
from cxloop.understand.perception_gap.answers import (
    StatementSurvey,
    statement_answers,
    statement_surveys,
)

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

BY = ("team",)


def _pick(texts: dict[str, str], language: str, fallback: list[str]) -> str | None:
    for code in (language, *fallback, "", *texts):
        if texts.get(code):
            return texts[code]
    return None


def statement_wording(
    surveys: dict[str, StatementSurvey], language: str
) -> tuple[list[str], dict[str, tuple[str, str | None]]]:
    """Statement ids in the order customer surveys ask them, and each statement's customer and
    employee wording in ``language`` (falling back to each survey's first language)."""
    order: list[str] = []
    customer: dict[str, str] = {}
    employee: dict[str, str] = {}
    ranked = sorted(surveys.values(), key=lambda s: (s.audience != "customers", s.survey_id))
    for survey in ranked:
        for statement in survey.questions.values():
            if statement not in order:
                order.append(statement)
            text = _pick(survey.texts.get(statement, {}), language, survey.languages)
            target = employee if survey.audience == "employees" else customer
            if text and statement not in target:
                target[statement] = text
    wording = {s: (customer.get(s) or employee.get(s) or s, employee.get(s)) for s in order}
    return order, wording


def gap_report(
    wh: Warehouse,
    *,
    by: Literal["team"] | None = None,
    min_group_n: int = DEFAULT_MIN_GROUP_N,
    language: str = "en",
    since: date | None = None,
    until: date | None = None,
) -> GapReport:
    """The perception gap over the warehouse's statement surveys (``since <= ts < until``).

    Examples
    --------
    >>> report = gap_report(wh, by="team", min_group_n=5)  # doctest: +SKIP
    >>> [(r.statement, r.managers.share, r.customers.share) for r in report.rows]  # doctest: +SKIP
    """
    if by is not None and by not in BY:
        raise UsageError(f"the gap cannot be broken down by {by!r}; valid: {', '.join(BY)}")
    if since is not None and until is not None and until <= since:
        raise UsageError(f"--until ({until}) must be after --since ({since})")
    surveys = statement_surveys(wh)
    answers = statement_answers(wh, surveys, since=since, until=until)
    order, wording = statement_wording(surveys, language)
    report = perception_gap(
        answers, by_team=by == "team", min_group_n=min_group_n, statements=order,
        wording=wording, language=language,
    )  # fmt: skip
    if by == "team" and report.rows:
        teams = wh.to_pandas(wh.table("teams").select("team_id", "name"))
        names = dict(zip(teams["team_id"], teams["name"], strict=True))
        for row in report.rows:
            if row.team_id is not None and names.get(row.team_id):
                row.team_name = str(names[row.team_id])
    return report
