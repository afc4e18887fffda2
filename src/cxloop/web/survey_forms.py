"""What a hosted survey form page shows: the respondent's language, the questions of one page
with their texts, choices and problems, and the signed form token.

Kept apart from the routes so that the HTTP handlers stay thin and the view can be tested.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.background import BackgroundTask

from cxloop.collect.surveys import answers
from cxloop.collect.surveys.answers import form_field
from cxloop.collect.surveys.definitions import CHOICE_TYPES, Question, SurveyDefinition
from cxloop.collect.surveys.projection import projected_id
from cxloop.web.i18n import HTML_LANG, N_, parse_accept_language, ui_language, ui_language_for
from cxloop.web.rendering import TEMPLATES

log = logging.getLogger("cxloop.web")

#: the answer problems of :mod:`cxloop.collect.surveys.answers`, marked for the catalogs
PROBLEMS = {
    answers.REQUIRED: N_("Please answer this question."),
    answers.OUT_OF_RANGE: N_("Choose a score from the scale."),
    answers.UNKNOWN_OPTION: N_("Choose one of the options."),
    answers.TOO_LONG: N_("This answer is too long."),
}


def respondent_language(
    survey: SurveyDefinition,
    *,
    chosen: str | None,
    invited: str | None,
    profile: str | None,
    accept_language: str | None,
) -> str:
    """The language of the form: the one picked on the form, the invitation's, the
    respondent's profile language, the browser's wishes, else the survey's first language."""
    for candidate in (chosen, invited, profile):
        code = ui_language(candidate)
        if code in survey.languages:
            return code
    for tag in parse_accept_language(accept_language):
        code = ui_language(tag)
        if code in survey.languages:
            return code
    return survey.fallback_language


@dataclass(frozen=True)
class Choice:
    """One radio button or check box."""

    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class QuestionView:
    """A question as the form shows it."""

    id: str
    input_name: str
    type: str
    text: str
    required: bool
    choices: list[Choice] = field(default_factory=list)
    multiple: bool = False
    scale: bool = False
    open: bool = False
    value: str = ""
    low_label: str | None = None
    high_label: str | None = None
    problem: str | None = None


def question_views(
    survey: SurveyDefinition,
    questions: Sequence[Question],
    language: str,
    values: Mapping[str, Any],
    problems: Mapping[str, str],
    gettext: Any,
) -> list[QuestionView]:
    """The view of each question, its current answer checked or filled in."""
    views = []
    for q in questions:
        current = values.get(q.id)
        chosen = {str(v) for v in current} if isinstance(current, list) else {str(current)}
        choices: list[Choice] = []
        if q.bounds is not None:
            low, high = q.bounds
            choices = [Choice(str(n), str(n), str(n) in chosen) for n in range(low, high + 1)]
        elif q.type in CHOICE_TYPES:
            choices = [
                Choice(o.id, survey.text(f"{q.id}.{o.id}", language) or o.id, o.id in chosen)
                for o in q.options or []
            ]
        fallback = survey.fallback_language
        views.append(
            QuestionView(
                id=q.id,
                input_name=form_field(q),
                type=q.type,
                text=survey.text(q.id, language) or q.id,
                required=q.required,
                choices=choices,
                multiple=q.type == "multiple",
                scale=q.bounds is not None,
                open=q.bounds is None and q.type not in CHOICE_TYPES,
                value=str(current) if isinstance(current, str) else "",
                low_label=_pick(q.low_label, language, fallback),
                high_label=_pick(q.high_label, language, fallback),
                problem=gettext(PROBLEMS.get(problems[q.id], problems[q.id]))
                if q.id in problems
                else None,
            )
        )
    return views


def _pick(texts: dict[str, str] | None, language: str, fallback: str) -> str | None:
    if not texts:
        return None
    return texts.get(language) or texts.get(fallback)


def render_survey(
    request: Request,
    template: str,
    language: str,
    context: dict[str, Any],
    status_code: int = 200,
    background: BackgroundTask | None = None,
) -> HTMLResponse:
    """Render a respondent-facing page in ``language`` (no navigation, no session)."""
    settings = request.app.state.settings
    i18n = ui_language_for(language if language in HTML_LANG else "en", settings.timezone)
    request.state.ui_language = i18n
    page = {
        "request": request,
        "company": settings.company_name,
        "i18n": i18n,
        "lang": i18n.code,
        "html_lang": HTML_LANG[i18n.code],
        **context,
    }
    response = TEMPLATES.TemplateResponse(
        request, template, page, status_code=status_code, background=background
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = i18n.html_lang
    response.headers["Vary"] = "Accept-Language"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link carries the token
    return response


def analyse_comment(app: Any, response_id: str) -> None:
    """Run text analysis on a new response's comment; a failure is logged, never raised (the
    response is already kept)."""
    warehouse = app.state.warehouse
    feedback_id = projected_id(response_id)
    try:
        table = warehouse.table("feedback")
        rows = warehouse.to_pyarrow(
            table.filter(table.feedback_id == feedback_id).select("text", "language")
        ).to_pylist()
        if not rows or not (rows[0]["text"] or "").strip():
            return
        analyser = getattr(app.state, "survey_analyser", None)
        if analyser is None:
            from cxloop.understand.text.analyser import default_analyser

            analyser = default_analyser(app.state.settings)
            app.state.survey_analyser = analyser
        from cxloop.understand.text.analyse_feedback import insight_rows

        insights = analyser.analyse([rows[0]["text"]], [rows[0]["language"]])
        warehouse.replace("feedback_insights", insight_rows([feedback_id], insights, analyser.name))
    except Exception:  # the response is kept whatever text analysis does
        log.exception("text analysis of survey response %s failed", response_id)


def refresh_kpi_rollup(app: Any) -> None:
    """Bring the survey KPIs' daily rollup up to date after a new response wrote feedback, so the
    KPIs keep answering from it; a failure is logged, never raised (the KPIs fall back to the
    feedback rows while the rollup is stale, so no figure is wrong)."""
    try:
        from cxloop.understand.kpi.rollup import refresh_rollup

        refresh_rollup(app.state.warehouse)
    except Exception:
        log.exception("refreshing the KPI rollup after a survey response failed")


def run_case_rules(app: Any, response_id: str) -> None:
    """Evaluate the case rules on a new response's feedback (after its comment is analysed,
    so rules on sentiment and themes see it); the loop service logs its own failures."""
    loop = getattr(app.state, "loop", None)
    if loop is not None:
        loop.run_once(feedback_ids=[projected_id(response_id)])


def after_customer_response(app: Any, response_id: str) -> None:
    """What follows a customer's complete response, after the thank-you page is sent: the KPI
    rollup takes in its measures, text analysis reads its comment, then the case rules run on
    it (a detractor opens a case at once)."""
    refresh_kpi_rollup(app)
    analyse_comment(app, response_id)
    run_case_rules(app, response_id)
