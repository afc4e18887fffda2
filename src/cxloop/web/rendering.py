"""Rendering pages: one Jinja2 environment, the common context, error pages.

Templates mark their text with ``{% trans %}`` or ``_()`` (Jinja2's i18n extension, new-style
gettext). The gettext callables are installed once and look the page's language up in the
render context, so requests in different languages can render at the same time.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from cxloop import __version__
from cxloop.api.deps import current_principal
from cxloop.web import (
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


@jinja2.pass_context
def _number(context: jinja2.runtime.Context, value: float | int | None) -> str:
    return context["i18n"].format_number(value)  # type: ignore[no-any-return]


@jinja2.pass_context
def _date(context: jinja2.runtime.Context, value: date | None) -> str:
    return context["i18n"].format_date(value)  # type: ignore[no-any-return]


@jinja2.pass_context
def _datetime(context: jinja2.runtime.Context, value: datetime | None) -> str:
    return context["i18n"].format_datetime(value)  # type: ignore[no-any-return]


@jinja2.pass_context
def _language_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return labels.language(context["i18n"], code)


@jinja2.pass_context
def _feedback_kind_label(context: jinja2.runtime.Context, kind: str | None) -> str:
    return labels.feedback_kind(context["i18n"], kind)


@jinja2.pass_context
def _role_label(context: jinja2.runtime.Context, role: str | None) -> str:
    return labels.role(context["i18n"], role)


@jinja2.pass_context
def _key_kind_label(context: jinja2.runtime.Context, kind: str) -> str:
    return labels.key_kind(context["i18n"], kind)


@jinja2.pass_context
def _field_label(context: jinja2.runtime.Context, name: str) -> str:
    return customer_labels.field(context["i18n"], name)


@jinja2.pass_context
def _method_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return customer_labels.method(context["i18n"], code)


@jinja2.pass_context
def _kind_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return customer_labels.kind(context["i18n"], code)


@jinja2.pass_context
def _kind_count_label(context: jinja2.runtime.Context, code: str) -> str:
    return customer_labels.kind_count(context["i18n"], code)


@jinja2.pass_context
def _override_kind_label(context: jinja2.runtime.Context, kind: str) -> str:
    return match_labels.override_kind(context["i18n"], kind)


@jinja2.pass_context
def _percent(context: jinja2.runtime.Context, value: float | None) -> str:
    return context["i18n"].format_percent(value)  # type: ignore[no-any-return]


@jinja2.pass_context
def _money(context: jinja2.runtime.Context, amount: float | None, currency: str | None) -> str:
    return context["i18n"].format_money(amount, currency)  # type: ignore[no-any-return]


@jinja2.pass_context
def _sentiment_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return feedback_labels.sentiment(context["i18n"], code)


@jinja2.pass_context
def _intent_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return feedback_labels.intent(context["i18n"], code)


@jinja2.pass_context
def _case_status_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return case_labels.status(context["i18n"], code)


@jinja2.pass_context
def _case_event_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return case_labels.event(context["i18n"], code)


@jinja2.pass_context
def _priority_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return case_labels.priority(context["i18n"], code)


@jinja2.pass_context
def _resolution_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return case_labels.resolution(context["i18n"], code)


@jinja2.pass_context
def _stage_label(context: jinja2.runtime.Context, code: str) -> str:
    return segment_labels.stage(context["i18n"], code)


@jinja2.pass_context
def _invitation_status_label(context: jinja2.runtime.Context, code: str) -> str:
    return invitation_labels.status(context["i18n"], code)


@jinja2.pass_context
def _rfm_label(context: jinja2.runtime.Context, code: str) -> str:
    return segment_labels.rfm(context["i18n"], code)


def _lang_tag(code: str | None) -> str:
    """``code`` if it can go in a ``lang`` attribute (a language tag), else ''."""
    return code if code and _LANG_TAG.match(code) else ""


@jinja2.pass_context
def _channel_type_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return notification_labels.channel_type(context["i18n"], code)


@jinja2.pass_context
def _notify_status_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return notification_labels.status(context["i18n"], code)


@jinja2.pass_context
def _notify_event_label(context: jinja2.runtime.Context, code: str | None) -> str:
    return notification_labels.event(context["i18n"], code)


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
    env.filters.update(
        number=_number,
        date=_date,
        datetime=_datetime,
        language_label=_language_label,
        feedback_kind_label=_feedback_kind_label,
        role_label=_role_label,
        key_kind_label=_key_kind_label,
        lang_tag=_lang_tag,
        field_label=_field_label,
        method_label=_method_label,
        kind_label=_kind_label,
        kind_count_label=_kind_count_label,
        override_kind_label=_override_kind_label,
        percent=_percent,
        money=_money,
        sentiment_label=_sentiment_label,
        intent_label=_intent_label,
        case_status_label=_case_status_label,
        case_event_label=_case_event_label,
        priority_label=_priority_label,
        resolution_label=_resolution_label,
        stage_label=_stage_label,
        rfm_label=_rfm_label,
        invitation_status_label=_invitation_status_label,
        channel_type_label=_channel_type_label,
        notify_status_label=_notify_status_label,
        notify_event_label=_notify_event_label,
    )
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
