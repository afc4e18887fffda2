"""Rendering pages: one Jinja2 environment, the common context, error pages.

Templates mark their text with ``{% trans %}`` or ``_()`` (Jinja2's i18n extension, new-style
gettext). The gettext callables are installed once and look the page's language up in the
render context, so requests in different languages can render at the same time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from cxloop import __version__
from cxloop.api.deps import current_principal
from cxloop.web import (
    action_labels,
    case_labels,
    csrf,
    customer_labels,
    feedback_labels,
    invitation_labels,
    labels,
    match_labels,
    notification_labels,
    segment_labels,
    vendor,
)
from cxloop.web.i18n import ENDONYMS, HTML_LANG, LANGUAGES, UiLanguage, negotiate, ui_language_for
from cxloop.web.navigation import visible_entries

TEMPLATE_DIR = Path(__file__).parent / "templates"
#: the scripts a page with charts loads (vega-embed, then the code that draws the charts)
CHART_SCRIPTS = [vendor.URL, f"/static/js/charts.js?v={__version__}"]
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return context["i18n"].gettext(message)  # type: ignore[no-any-return]


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return context["i18n"].ngettext(singular, plural, n)  # type: ignore[no-any-return]


#: filters that name or format a value in the page's language: filter name → a function of
#: the page's :class:`UiLanguage` and the value (and any further arguments of the filter)
UI_FILTERS: dict[str, Callable[..., str]] = {
    "number": UiLanguage.format_number,
    "date": UiLanguage.format_date,
    "datetime": UiLanguage.format_datetime,
    "percent": UiLanguage.format_percent,
    "money": UiLanguage.format_money,
    "language_label": labels.language,
    "feedback_kind_label": labels.feedback_kind,
    "role_label": labels.role,
    "key_kind_label": labels.key_kind,
    "field_label": customer_labels.field,
    "method_label": customer_labels.method,
    "kind_label": customer_labels.kind,
    "kind_count_label": customer_labels.kind_count,
    "override_kind_label": match_labels.override_kind,
    "sentiment_label": feedback_labels.sentiment,
    "intent_label": feedback_labels.intent,
    "case_status_label": case_labels.status,
    "case_event_label": case_labels.event,
    "priority_label": case_labels.priority,
    "resolution_label": case_labels.resolution,
    "stage_label": segment_labels.stage,
    "rfm_label": segment_labels.rfm,
    "invitation_status_label": invitation_labels.status,
    "action_status_label": action_labels.status,
    "channel_type_label": notification_labels.channel_type,
    "notify_status_label": notification_labels.status,
    "notify_event_label": notification_labels.event,
}


def in_page_language(function: Callable[..., str]) -> Callable[..., str]:
    """A Jinja2 filter that calls ``function`` with the page's language first."""

    @jinja2.pass_context
    def apply(context: jinja2.runtime.Context, value: Any, *args: Any) -> str:
        return function(context["i18n"], value, *args)

    return apply


def _lang_tag(code: str | None) -> str:
    """``code`` if it can go in a ``lang`` attribute (a language tag), else ''."""
    return code if code and _LANG_TAG.match(code) else ""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True
    )
    env.filters.update({name: in_page_language(f) for name, f in UI_FILTERS.items()})
    env.filters["lang_tag"] = _lang_tag
    env.globals.update(version=__version__, languages=[(c, ENDONYMS[c]) for c in LANGUAGES])
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def ui_language(request: Request) -> UiLanguage:
    """The language this request is answered in (worked out once per request)."""
    cached = getattr(request.state, "ui_language", None)
    if isinstance(cached, UiLanguage):
        return cached
    settings = request.app.state.settings
    principal = current_principal(request)
    user_language = principal.user.language if principal and principal.user else None
    code = negotiate(
        user_language, request.headers.get("accept-language"), settings.default_language
    )
    chosen = ui_language_for(code, settings.timezone)
    request.state.ui_language = chosen
    return chosen


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` with the page context every template may use."""
    principal = current_principal(request)
    i18n = ui_language(request)
    page = {
        "request": request,
        "principal": principal,
        "user": principal.user if principal else None,
        "company": request.app.state.settings.company_name,
        "i18n": i18n,
        "lang": i18n.code,
        "html_lang": HTML_LANG[i18n.code],
        "nav": visible_entries(principal),
        "path": request.url.path,
        "scripts": [],
        **(context or {}),
    }
    page["csrf_token"] = csrf.token_for(request)
    response = TEMPLATES.TemplateResponse(request, template, page, status_code=status_code)
    csrf.attach_cookie(request, response)
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Content-Language"] = i18n.html_lang
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def render_error(request: Request, status_code: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status_code, "message": message}, status_code)
