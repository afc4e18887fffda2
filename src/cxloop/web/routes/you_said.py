"""The public "you said, we did" page (``/you-said-we-did``) and the analysts' Actions page
(``/actions``) where the actions it shows are written, published and withdrawn.

The public page is opt-in (setting ``you_said_we_did``; off, the address is a 404 as if it did
not exist), needs no sign-in, and shows only aggregates: themes customers raised, cases
resolved by theme and resolution code, published actions; every count below
``survey_min_group_n`` is withheld. No names, no comments, no authors. Its language comes from
``?lang=``, else the browser's Accept-Language, else the project's default.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from cxloop.access import audit
from cxloop.api.deps import Analyst, Public, SettingsDep, WarehouseDep
from cxloop.domain.public_action import ACTION_LANGUAGES, ACTION_STATUSES
from cxloop.errors import NotFoundError, UsageError
from cxloop.share.public_actions import add_action, change_action, list_actions
from cxloop.share.you_said import NO_THEME, you_said_we_did
from cxloop.understand.text.taxonomy import load_taxonomy
from cxloop.web import csrf
from cxloop.web.i18n import ENDONYMS, LANGUAGES, N_, negotiate, ui_language_for
from cxloop.web.rendering import render, ui_language
from cxloop.web.routes.feedback import theme_namer

router = APIRouter(include_in_schema=False)
PUBLIC_PATH = "/you-said-we-did"
#: the periods a visitor may pick, in days
PERIODS = (30, 90, 365)
ActionId = Annotated[str, Path(max_length=64)]
OTHER_THEMES = N_("Other topics")


@router.get(PUBLIC_PATH, dependencies=[Public])
def public_page(
    request: Request,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    lang: Annotated[str, Query(max_length=20)] = "",
    days: Annotated[int, Query(ge=1, le=730)] = 0,
) -> Response:
    """Themes raised, cases resolved and actions taken, aggregated, in en, es or zh."""
    if not settings.you_said_we_did:
        raise NotFoundError(f"no page at {PUBLIC_PATH}")
    code = negotiate(
        lang or None, request.headers.get("accept-language"), settings.default_language
    )
    ui = ui_language_for(code, settings.timezone)
    request.state.ui_language = ui  # the whole page, not the signed-in user's choice
    period = days if days in PERIODS else settings.you_said_we_did_days
    report = you_said_we_did(warehouse, days=period, min_group_n=settings.survey_min_group_n)
    name = theme_namer(request, ui)

    def theme_label(theme: str) -> str:
        return ui.gettext(OTHER_THEMES) if theme == NO_THEME else name(theme)

    most = max((t.feedback for t in report.themes), default=0)
    most_resolved = max((r.cases for r in report.resolved), default=0)
    response = render(
        request,
        "you_said.html",
        {
            "nav": [],
            "report": report,
            "theme_label": theme_label,
            "bar": lambda n: round(100 * n / most) if most else 0,
            "resolved_bar": lambda n: round(100 * n / most_resolved) if most_resolved else 0,
            "period": period,
            "periods": PERIODS,
            "switch": [(c, ENDONYMS[c]) for c in LANGUAGES],
            "query": lambda **changes: _query(
                {"lang": lang if lang else "", "days": str(days) if days else "", **changes}
            ),
        },
    )
    response.headers["Vary"] = "Accept-Language"
    return response


def _query(params: dict[str, str]) -> str:
    query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in params.items() if v)
    return PUBLIC_PATH + (f"?{query}" if query else "")


@router.get("/actions")
def actions_page(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Every action with its status and whether it is public, and the form for a new one."""
    ui = ui_language(request)
    name = theme_namer(request, ui)
    themes = load_taxonomy(settings.project).theme_ids()
    return render(
        request,
        "actions.html",
        {
            "actions": list_actions(warehouse),
            "themes": sorted(((t, name(t)) for t in themes), key=lambda tn: tn[1].casefold()),
            "theme_label": name,
            "statuses": ACTION_STATUSES,
            "action_languages": ACTION_LANGUAGES,
            "public_on": settings.you_said_we_did,
            "public_path": PUBLIC_PATH,
            "done": done if done in ("added", "published", "withdrawn", "updated") else "",
            "today": date.today().isoformat(),
        },
    )


Text = Annotated[str, Form(max_length=2_000)]
Title = Annotated[str, Form(max_length=200)]


@router.post("/actions")
def add_action_form(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    theme: Annotated[str, Form(max_length=64)],
    action_date: Annotated[str, Form(max_length=10)] = "",
    status: Annotated[str, Form(max_length=20)] = "planned",
    title_en: Title = "",
    title_es: Title = "",
    title_zh: Title = "",
    description_en: Text = "",
    description_es: Text = "",
    description_zh: Text = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record a new action (unpublished) from the form."""
    csrf.check(request, csrf_token)
    try:
        when = date.fromisoformat(action_date) if action_date else None
    except ValueError:
        raise UsageError(f"action_date: {action_date!r} is not a date (YYYY-MM-DD)") from None
    action = add_action(
        warehouse, theme=theme, action_date=when, status=status, author=principal.actor,
        titles={"en": title_en, "es": title_es, "zh": title_zh},
        descriptions={"en": description_en, "es": description_es, "zh": description_zh},
        themes=load_taxonomy(settings.project).theme_ids(),
    )  # fmt: skip
    audit.record(
        warehouse, principal.actor, "change", target_table="public_actions",
        target_id=action.action_id, details={"via": "web", "change": "added"},
    )  # fmt: skip
    return RedirectResponse("/actions?done=added", status_code=303)


@router.post("/actions/{action_id}")
def change_action_form(
    request: Request,
    principal: Analyst,
    warehouse: WarehouseDep,
    action_id: ActionId,
    change: Annotated[str, Form(max_length=20)],
    status: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Publish, withdraw, or move an action's status on."""
    csrf.check(request, csrf_token)
    if change == "publish":
        change_action(warehouse, action_id, principal.actor, published=True)
        done = "published"
    elif change == "unpublish":
        change_action(warehouse, action_id, principal.actor, published=False)
        done = "withdrawn"
    elif change == "status":
        change_action(warehouse, action_id, principal.actor, status=status)
        done = "updated"
    else:
        raise UsageError(f"change: {change!r}; use publish, unpublish or status")
    audit.record(
        warehouse, principal.actor, "change", target_table="public_actions",
        target_id=action_id, details={"via": "web", "change": change, "status": status or None},
    )  # fmt: skip
    return RedirectResponse(f"/actions?done={done}", status_code=303)
