"""``GET/POST /u/{token}``: the link in every survey e-mail that stops survey e-mail (and in
every progress e-mail, which stops progress e-mail: the token names its purpose).

Public (the signed token is the capability). GET only shows a page with a button, so mail
scanners that open links change nothing; POST (the button, or a mail provider's RFC 8058
one-click request) records a refusal in ``consents``. Rate-limited per client address like the
survey forms.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from cxloop.act.invitations.eligibility import SURVEY_PURPOSE
from cxloop.act.invitations.opt_out import (
    OptOutClaims,
    OptOutInvalid,
    opt_out_phrases,
    read_opt_out,
    record_opt_out,
)
from cxloop.api.deps import Public
from cxloop.collect.rate_limit import TokenBuckets
from cxloop.web.i18n import HTML_LANG, negotiate

router = APIRouter(include_in_schema=False)
BURST = 20

_PAGE = Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="{{ html_lang }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <meta name="robots" content="noindex">
  <title>{{ words.title }} · {{ company }}</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/css/survey.css">
</head>
<body class="survey-page">
  <header class="survey-header"><p class="survey-company">{{ company }}</p></header>
  <main id="main" class="survey-main">
    <div class="survey-message">
      <h1>{{ words.title }}</h1>
      <p>{{ message }}</p>
      {% if ask %}
      <form method="post" action="{{ action }}" class="survey-actions">
        <input type="hidden" name="List-Unsubscribe" value="One-Click">
        <button type="submit" class="survey-submit">{{ words.button }}</button>
      </form>
      {% endif %}
    </div>
  </main>
</body>
</html>
"""
)


def _check_rate(request: Request) -> bool:
    state = request.app.state
    buckets = getattr(state, "opt_out_buckets", None)
    if buckets is None:
        buckets = TokenBuckets(state.settings.survey_rate_limit, burst=BURST)
        state.opt_out_buckets = buckets
    client = request.client.host if request.client else "unknown"
    return buckets.take(client) == 0


def _page(
    request: Request, language: str, message_key: str, *, ask: bool = False, status: int = 200,
    purpose: str = SURVEY_PURPOSE,
) -> HTMLResponse:  # fmt: skip
    company = request.app.state.settings.company_name
    words = opt_out_phrases(language, purpose)
    html = _PAGE.render(
        html_lang=HTML_LANG.get(language, "en"),
        words=words,
        company=company,
        message=words[message_key].format(company=company),
        ask=ask,
        action=request.url.path,
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = HTML_LANG.get(language, "en")
    return response


def _claims(request: Request, token: str) -> OptOutClaims | None:
    try:
        return read_opt_out(request.app.state.settings.signing_key(), token)
    except OptOutInvalid:
        return None


def _guess(request: Request) -> str:
    return negotiate(None, request.headers.get("accept-language"), "en")


@router.get("/u/{token}", dependencies=[Public])
def opt_out_page(request: Request, token: str) -> HTMLResponse:
    """Ask whether to stop survey e-mail (nothing is recorded yet)."""
    if not _check_rate(request):
        return _page(request, _guess(request), "busy", status=429)
    claims = _claims(request, token)
    if claims is None:
        return _page(request, _guess(request), "invalid", status=400)
    return _page(request, claims.language, "ask", ask=True, purpose=claims.purpose)


@router.post("/u/{token}", dependencies=[Public])
def opt_out(request: Request, token: str) -> HTMLResponse:
    """Record the refusal (again a no-op when it is already recorded)."""
    if not _check_rate(request):
        return _page(request, _guess(request), "busy", status=429)
    claims = _claims(request, token)
    if claims is None:
        return _page(request, _guess(request), "invalid", status=400)
    record_opt_out(request.app.state.warehouse, claims)
    return _page(request, claims.language, "done", purpose=claims.purpose)
