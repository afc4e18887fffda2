"""The hosted survey forms: ``GET/POST /s/{survey_id}``, public, without JavaScript.

A link carries a signed invitation token (``?t=``); a survey with ``anonymous: true`` also
answers without one. Each posted page is saved (a returning link carries on where it
stopped); the last one completes the response, projects it into feedback or employee pulses
and queues text analysis of its comment. Posting needs the signed form token of a page this
server served (the public forms' CSRF protection); a retried post rewrites the same response.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.background import BackgroundTask

from cxloop.api.deps import Public
from cxloop.collect.rate_limit import TokenBuckets
from cxloop.collect.surveys.answers import (
    next_page,
    pages,
    prefill_score,
    read_page,
    resume_page,
    visible_on,
)
from cxloop.collect.surveys.definitions import SurveyDefinition
from cxloop.collect.surveys.responses import (
    Respondent,
    SurveyResponse,
    find_respondent,
    invitation_channel,
    record_event,
    response_id_for,
    save_response,
    stored_response,
)
from cxloop.collect.surveys.tokens import (
    FormClaims,
    InvitationClaims,
    TokenError,
    TokenExpired,
    read_form,
    read_invitation,
    sign_form,
)
from cxloop.web.i18n import ENDONYMS
from cxloop.web.survey_forms import (
    analyse_comment,
    log,
    question_views,
    render_survey,
    respondent_language,
)

router = APIRouter(include_in_schema=False)

BURST = 20
FORM_MAX_AGE_S = 2 * 86_400
DAY_S = 86_400


class _Refusal(Exception):
    """A respondent-facing page that ends the request (expired link, unknown survey…)."""

    def __init__(self, status: int, reason: str, language: str = "en") -> None:
        self.status, self.reason, self.language = status, reason, language


def _buckets(request: Request) -> TokenBuckets:
    state = request.app.state
    buckets = getattr(state, "survey_buckets", None)
    if buckets is None:
        buckets = TokenBuckets(state.settings.survey_rate_limit, burst=BURST)
        state.survey_buckets = buckets
    return buckets


def _check_rate(request: Request) -> None:
    client = request.client.host if request.client else "unknown"
    if _buckets(request).take(client) > 0:
        raise _Refusal(429, "busy", _guess_language(request))


def _guess_language(request: Request) -> str:
    from cxloop.web.i18n import negotiate

    return negotiate(None, request.headers.get("accept-language"), "en")


def _survey(request: Request, survey_id: str) -> SurveyDefinition:
    surveys: dict[str, SurveyDefinition] = getattr(request.app.state, "surveys", {})
    survey = surveys.get(survey_id)
    if survey is None:
        raise _Refusal(404, "unknown", _guess_language(request))
    return survey


def _claims(request: Request, survey: SurveyDefinition, token: str | None) -> InvitationClaims:
    settings = request.app.state.settings
    lang = survey.fallback_language
    if token:
        try:
            claims = read_invitation(
                settings.signing_key(), token, max_age_s=settings.survey_token_max_age_days * DAY_S
            )
        except TokenExpired:
            raise _Refusal(410, "expired", _negotiated(request, survey)) from None
        except TokenError:
            raise _Refusal(400, "invalid", _negotiated(request, survey)) from None
        if claims.survey_id != survey.id:
            raise _Refusal(400, "invalid", _negotiated(request, survey))
        return claims
    if not survey.anonymous:
        raise _Refusal(403, "needs_link", _negotiated(request, survey) or lang)
    return InvitationClaims(
        invitation_id=f"anon-{secrets.token_urlsafe(12)}", survey_id=survey.id,
        respondent="anonymous",
    )  # fmt: skip


def _negotiated(request: Request, survey: SurveyDefinition) -> str:
    return respondent_language(
        survey, chosen=request.query_params.get("lang"), invited=None, profile=None,
        accept_language=request.headers.get("accept-language"),
    )  # fmt: skip


def _refusal_page(request: Request, refusal: _Refusal, survey: SurveyDefinition | None) -> Response:
    return render_survey(
        request,
        "survey_message.html",
        refusal.language,
        {
            "reason": refusal.reason,
            "title": survey.text("title", refusal.language) if survey else None,
        },
        status_code=refusal.status,
    )


def _form_page(
    request: Request,
    survey: SurveyDefinition,
    *,
    response_id: str,
    claims: InvitationClaims,
    language: str,
    page: int,
    answers: dict[str, Any],
    values: dict[str, Any],
    started_at: float,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    settings = request.app.state.settings
    all_pages = pages(survey)
    questions = visible_on(all_pages[page], survey, answers)
    form_token = sign_form(
        settings.signing_key(),
        FormClaims(
            survey_id=survey.id, response_id=response_id,
            invitation_id=None if claims.respondent == "anonymous" else claims.invitation_id,
            page=page, started_at=started_at, language=language,
        ),
    )  # fmt: skip
    query = {k: v for k, v in request.query_params.items() if k in ("t", "lang")}
    i18n_gettext = _gettext(request, language)
    switch = [
        (
            code,
            "?" + urlencode({**{k: v for k, v in query.items() if k == "t"}, "lang": code}),
            ENDONYMS.get(code, code),
        )
        for code in survey.languages
    ]
    return render_survey(
        request,
        "survey_form.html",
        language,
        {
            "survey": survey,
            "title": survey.text("title", language),
            "intro": survey.text("intro", language) if page == 0 else None,
            "questions": question_views(
                survey, questions, language, values, problems or {}, i18n_gettext
            ),
            "problems": problems or {},
            "action": f"/s/{survey.id}" + ("?" + urlencode(query) if query else ""),
            "form_token": form_token,
            "step": page + 1,
            "steps": len(all_pages),
            "last": page == len(all_pages) - 1,
            "switch": switch if len(survey.languages) > 1 else [],
            "survey_lang": language,
        },
        status_code=status_code,
    )


def _gettext(request: Request, language: str) -> Any:
    from cxloop.web.i18n import ui_language_for

    return ui_language_for(language, request.app.state.settings.timezone).gettext


def _thanks(
    request: Request, survey: SurveyDefinition, language: str, *, again: bool,
    background: BackgroundTask | None = None,
) -> Response:  # fmt: skip
    return render_survey(
        request,
        "survey_thanks.html",
        language,
        {
            "title": survey.text("title", language),
            "thanks": survey.text("thanks", language),
            "again": again,
        },
        background=background,
    )


def _respondent(request: Request, claims: InvitationClaims) -> Respondent:
    return find_respondent(request.app.state.warehouse, claims)


@router.get("/s/{survey_id}", dependencies=[Public])
def survey_form(request: Request, survey_id: str) -> Response:
    survey = None
    try:
        _check_rate(request)
        survey = _survey(request, survey_id)
        claims = _claims(request, survey, request.query_params.get("t"))
    except _Refusal as refusal:
        return _refusal_page(request, refusal, survey)
    warehouse = request.app.state.warehouse
    now = datetime.now(UTC)
    respondent = _respondent(request, claims)
    language = respondent_language(
        survey, chosen=request.query_params.get("lang"), invited=claims.language,
        profile=respondent.language, accept_language=request.headers.get("accept-language"),
    )  # fmt: skip
    anonymous = claims.respondent == "anonymous"
    response_id = claims.invitation_id if anonymous else response_id_for(claims)
    existing = None if anonymous else stored_response(warehouse, response_id, respondent)
    if not anonymous:
        record_event(
            warehouse, claims, "opened", ts=now,
            channel=invitation_channel(warehouse, claims.invitation_id),
        )  # fmt: skip
    if existing is not None and existing.complete:
        return _thanks(request, survey, language, again=True)
    answers = existing.answers if existing else {}
    page = resume_page(survey, answers)
    if page is None:
        page = len(pages(survey)) - 1
    values = {**prefill_score(survey, request.query_params.get("score")), **answers}
    started = existing.started_at.timestamp() if existing else now.timestamp()
    return _form_page(
        request, survey, response_id=response_id, claims=claims, language=language,
        page=page, answers=answers, values=values, started_at=started,
    )  # fmt: skip


async def _read_form_body(request: Request, limit: int) -> dict[str, list[str]]:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise _Refusal(413, "too_large", _guess_language(request))
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _Refusal(413, "too_large", _guess_language(request))
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise _Refusal(400, "form_expired", _guess_language(request))
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=500)
    except (UnicodeDecodeError, ValueError):
        raise _Refusal(400, "form_expired", _guess_language(request)) from None


@router.post("/s/{survey_id}", dependencies=[Public])
async def submit_survey(request: Request, survey_id: str) -> Response:
    settings = request.app.state.settings
    survey = None
    try:
        _check_rate(request)
        survey = _survey(request, survey_id)
        form = await _read_form_body(request, settings.survey_max_body_bytes)
        claims = _claims(request, survey, request.query_params.get("t"))
        try:
            sent = read_form(settings.signing_key(), (form.get("f") or [""])[0],
                             max_age_s=FORM_MAX_AGE_S)  # fmt: skip
        except TokenError:
            raise _Refusal(400, "form_expired", _negotiated(request, survey)) from None
        anonymous = claims.respondent == "anonymous"
        if (
            sent.survey_id != survey.id
            or (not anonymous and sent.invitation_id != claims.invitation_id)
            or (anonymous and sent.invitation_id is not None)
            or sent.page >= len(pages(survey))
        ):
            raise _Refusal(400, "form_expired", _negotiated(request, survey))
    except _Refusal as refusal:
        return _refusal_page(request, refusal, survey)
    if anonymous:
        claims = claims.model_copy(update={"invitation_id": sent.response_id})
    return _save_page(request, survey, claims, sent, form)


def _save_page(
    request: Request,
    survey: SurveyDefinition,
    claims: InvitationClaims,
    sent: FormClaims,
    form: dict[str, list[str]],
) -> Response:
    warehouse = request.app.state.warehouse
    now = datetime.now(UTC)
    anonymous = claims.respondent == "anonymous"
    respondent = _respondent(request, claims)
    language = sent.language if sent.language in survey.languages else survey.fallback_language
    existing = stored_response(warehouse, sent.response_id, respondent)
    if existing is not None and existing.complete:
        return _thanks(request, survey, language, again=False)
    answers = dict(existing.answers) if existing else {}
    questions = visible_on(pages(survey)[sent.page], survey, answers)
    page = read_page(questions, form)
    for question in questions:
        answers.pop(question.id, None)
    answers.update(page.answers)
    if page.problems:
        values = {**answers, **{k: v[0] if len(v) == 1 else v for k, v in page.raw.items()}}
        return _form_page(
            request, survey, response_id=sent.response_id, claims=claims, language=language,
            page=sent.page, answers=answers, values=values, started_at=sent.started_at,
            problems=page.problems, status_code=422,
        )  # fmt: skip
    following = next_page(survey, answers, after=sent.page)
    shown = {q.id for q in survey.visible_questions(answers)}
    response = SurveyResponse(
        response_id=sent.response_id,
        survey_id=survey.id,
        invitation_id=None if anonymous else claims.invitation_id,
        respondent=respondent,
        language=language,
        answers={k: v for k, v in answers.items() if k in shown},
        status="partial" if following is not None else "complete",
        started_at=existing.started_at if existing else datetime.fromtimestamp(
            sent.started_at, UTC
        ),
        completed_at=None if following is not None else now,
    )  # fmt: skip
    channel = None if anonymous else invitation_channel(warehouse, claims.invitation_id)
    save_response(warehouse, survey, response, now=now, channel=channel or "web")
    if not anonymous:
        record_event(warehouse, claims, "started", ts=now, channel=channel)
    if following is not None:
        return _form_page(
            request, survey, response_id=sent.response_id, claims=claims, language=language,
            page=following, answers=answers, values=answers, started_at=sent.started_at,
        )  # fmt: skip
    if not anonymous:
        record_event(warehouse, claims, "responded", ts=now, channel=channel)
    task = (
        BackgroundTask(analyse_comment, request.app, response.response_id)
        if survey.audience == "customers"
        else None
    )
    return _thanks(request, survey, language, again=False, background=task)


def load_surveys_on_start(app: Any) -> None:
    """Load the project's survey definitions, write them into ``surveys``, and serve those
    and any others the warehouse holds. A definition with a mistake is logged and left out,
    so one bad file does not take the dashboard down (``cxloop survey validate`` names it)."""
    from cxloop.collect.surveys import (
        SurveyDefinitionError,
        load_surveys,
        stored_surveys,
        sync_surveys,
    )
    from cxloop.errors import WarehouseError

    warehouse = app.state.warehouse
    try:
        definitions = load_surveys(app.state.settings.project)
    except SurveyDefinitionError as exc:
        log.warning("survey definitions not loaded: %s", exc.message)
        definitions = {}
    try:
        sync_surveys(warehouse, definitions)
    except WarehouseError as exc:  # a read-only warehouse: serve the files as they are
        log.warning("survey definitions not written to the warehouse: %s", exc)
    app.state.surveys = {**stored_surveys(warehouse), **definitions}
