"""The Feedback explorer (``/feedback``): every piece of customer voice with its insights,
filtered and searched; a theme × sentiment heat map; and what unhappy customers talk about.

Viewers and up. Only admins see the original text; everyone else reads the redacted copy, and
their search looks only in it. Every page that lists feedback is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cxloop.access import audit
from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.routes.feedback import filters_from
from cxloop.domain.access import Role
from cxloop.errors import ConfigError
from cxloop.share.charts import chart_locale
from cxloop.share.feedback_explorer import (
    FilterOptions,
    Visibility,
    filter_options,
    list_feedback,
    theme_sentiment_matrix,
    unhappy_themes,
)
from cxloop.share.feedback_filters import SENTIMENTS, FeedbackFilters
from cxloop.share.theme_heatmap import MAX_THEMES, theme_sentiment_heatmap
from cxloop.storage.read_cache import cached_read
from cxloop.understand.text.taxonomy import Taxonomy, load_taxonomy
from cxloop.understand.text.theme_contrast import MIN_GROUP, ThemeContrast
from cxloop.web import feedback_labels as labels
from cxloop.web.i18n import UiLanguage
from cxloop.web.labels import language as labels_language
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language
from cxloop.web.routes.customers import MAX_PAGE, pager

router = APIRouter(include_in_schema=False)
log = logging.getLogger("cxloop.web")

PAGE_SIZE = 20
#: the tables the page's queries read (see :func:`~cxloop.storage.read_cache.cached_read`)
LIST_TABLES = ("feedback", "feedback_insights", "customers", "teams")
COUNT_TABLES = ("feedback", "feedback_insights")
OPTION_TABLES = ("feedback", "feedback_insights", "teams")


@dataclass(frozen=True)
class HeatmapView:
    """The heat map as the page shows it: the spec, and the same numbers as a table."""

    spec: dict[str, Any]
    description: str
    sentiments: list[str]
    rows: list[tuple[str, list[int], int]]


@dataclass(frozen=True)
class ContrastRow:
    """One theme of the detractor-against-promoter table, its numbers written out."""

    theme: str
    detractor_share: str
    detractors: int
    promoter_share: str
    promoters: int
    difference: str
    p_value: str
    p_adjusted: str
    verdict: str
    verdict_code: str
    small_sample: bool


@router.get("/feedback")
def feedback_page(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    ui = ui_language(request)
    # the form sends every field; an empty one means "any"
    raw = {
        name: value.strip()
        for name, value in request.query_params.items()
        if name in FeedbackFilters.model_fields and value.strip()
    }
    filters = filters_from(raw)
    visibility = Visibility.for_role(principal.role)
    zone = settings.timezone
    offset = (page - 1) * PAGE_SIZE
    # every query below reads these tables only; the filters, page and visibility key them
    key = (filters.model_dump_json(), visibility, zone)
    result = cached_read(
        warehouse, LIST_TABLES, ("list_feedback", *key, offset),
        lambda: list_feedback(
            warehouse, filters, PAGE_SIZE, offset, visibility=visibility, timezone=zone
        ),
    )  # fmt: skip
    matrix = cached_read(
        warehouse, COUNT_TABLES, ("theme_sentiment_matrix", *key),
        lambda: theme_sentiment_matrix(warehouse, filters, visibility=visibility, timezone=zone),
    )  # fmt: skip
    contrast = cached_read(
        warehouse, COUNT_TABLES, ("unhappy_themes", *key),
        lambda: unhappy_themes(warehouse, filters, visibility=visibility, timezone=zone),
    )  # fmt: skip
    if result.items:
        audit.record(
            warehouse,
            principal.actor,
            "read",
            target_table="feedback",
            details={
                "page": "feedback",
                "filters": filters.model_dump(mode="json", exclude_defaults=True),
                "feedback_ids": [item.feedback_id for item in result.items],
                "original_text": visibility.original_text,
            },
        )
    name = theme_namer(request, ui)
    heatmap = heatmap_view(matrix, ui, name) if len(matrix) else None
    options = cached_read(
        warehouse, OPTION_TABLES, ("filter_options",), lambda: filter_options(warehouse)
    )
    shown = {t for item in result.items if item.insight for t in item.insight.themes}
    return render(
        request,
        "feedback.html",
        {
            "filters": filters,
            "result": result,
            "pager": pager("/feedback", dict(raw), page, PAGE_SIZE, result.total),
            "choices": {
                **option_choices(options, filters, ui, name),
                "sentiment": labels.choices(ui, labels.SENTIMENT_LABELS),
                "intent": labels.choices(ui, labels.INTENT_LABELS),
                "nps_band": labels.choices(ui, labels.NPS_BAND_LABELS),
                "csat_band": labels.choices(ui, labels.CSAT_BAND_LABELS),
                "ces_band": labels.choices(ui, labels.CES_BAND_LABELS),
            },
            "sees_original": visibility.original_text,
            "links_customers": principal.role.allows(Role.AGENT),
            "heatmap": heatmap,
            "theme_labels": {theme: name(theme) for theme in {*options.themes, *shown}},
            "contrast": contrast,
            "contrast_rows": contrast_rows(contrast, ui, name),
            "verdict": verdict_sentence(contrast, ui, name),
            "min_group": MIN_GROUP,
            "timezone": str(ui.timezone),
            "scripts": CHART_SCRIPTS if heatmap else [],
        },
    )


def theme_namer(request: Request, ui: UiLanguage) -> Callable[[str], str]:
    """A theme id's label in the page's language, from the project's taxonomy (read once per
    server; an invalid taxonomy file leaves the ids as they are, and is logged)."""
    taxonomy = getattr(request.app.state, "explorer_taxonomy", None)
    if taxonomy is None:
        try:
            taxonomy = load_taxonomy(request.app.state.settings.project)
        except ConfigError as exc:
            log.warning("theme labels unavailable: %s", exc.message)
            taxonomy = False
        request.app.state.explorer_taxonomy = taxonomy
    if not isinstance(taxonomy, Taxonomy):
        return str
    return lambda theme: taxonomy.label(theme, ui.code)


def option_choices(
    options: FilterOptions,
    filters: FeedbackFilters,
    ui: UiLanguage,
    name: Callable[[str], str] = str,
) -> dict[str, list[tuple[str, str]]]:
    """``(value, label)`` pairs of the selects whose values come from the data; a value in
    the address that the data lacks stays selectable, so the form shows what is applied."""

    def with_current(pairs: list[tuple[str, str]], current: str | None) -> list[tuple[str, str]]:
        if current and current not in {value for value, _ in pairs}:
            pairs = [*pairs, (current, current)]
        return pairs

    return {
        "language": with_current(
            [(code, labels_language(ui, code)) for code in options.languages], filters.language
        ),
        "theme": with_current(
            sorted(((t, name(t)) for t in options.themes), key=lambda pair: pair[1].casefold()),
            filters.theme,
        ),
        "touchpoint": with_current([(t, t) for t in options.touchpoints], filters.touchpoint),
        "team": with_current(list(options.teams), filters.team),
    }


def heatmap_view(
    matrix: pd.DataFrame, ui: UiLanguage, name: Callable[[str], str] = str
) -> HeatmapView:
    """The heat map in the page's language, with its text alternative."""
    _ = ui.gettext
    sentiments = [labels.sentiment(ui, code) for code in SENTIMENTS]
    shown = matrix.head(MAX_THEMES)
    shown = shown.set_axis([name(str(theme)) for theme in shown.index], axis=0)
    description = _(
        "Heat map of the pieces of feedback per theme (rows) and sentiment (columns): "
        "%(themes)s themes, %(total)s mentions in all."
    ) % {
        "themes": ui.format_number(len(shown)),
        "total": ui.format_number(int(shown["total"].sum())),
    }
    spec = theme_sentiment_heatmap(
        shown,
        sentiment_labels=sentiments,
        theme_title=_("Theme"),
        sentiment_title=_("Sentiment"),
        count_title=_("Pieces of feedback"),
        description=description,
        locale=chart_locale(ui.code),
    )
    counts = shown[list(SENTIMENTS)].astype(int)
    rows = [
        (str(theme), [int(v) for v in counts.loc[theme]], int(shown.loc[theme, "total"]))
        for theme in shown.index
    ]
    return HeatmapView(spec, description, sentiments, rows)


def _p(ui: UiLanguage, value: float | None) -> str:
    if value is None:
        return "—"
    if value < 0.001:
        return "< " + format_decimal(0.001, "0.000", locale=ui.locale)
    return format_decimal(value, "0.000", locale=ui.locale)


def _share(ui: UiLanguage, value: float | None) -> str:
    return "—" if value is None else format_percent(value, "#,##0%", locale=ui.locale)


def contrast_rows(
    contrast: ThemeContrast, ui: UiLanguage, name: Callable[[str], str] = str
) -> list[ContrastRow]:
    """The comparison's themes with shares as percentages and p-values to three places."""
    return [
        ContrastRow(
            theme=name(theme.theme),
            detractor_share=_share(ui, theme.detractor_share),
            detractors=theme.detractors,
            promoter_share=_share(ui, theme.promoter_share),
            promoters=theme.promoters,
            difference="—"
            if theme.difference is None
            else format_percent(theme.difference, "+#,##0%;-#,##0%", locale=ui.locale),
            p_value=_p(ui, theme.p_value),
            p_adjusted=_p(ui, theme.p_adjusted),
            verdict=labels.verdict(ui, theme.verdict),
            verdict_code=theme.verdict,
            small_sample=theme.small_sample,
        )
        for theme in contrast.themes
    ]


def verdict_sentence(
    contrast: ThemeContrast, ui: UiLanguage, name: Callable[[str], str] = str
) -> str:
    """The comparison in plain words: the theme that sets detractors apart, or that none does."""
    _ = ui.gettext
    if not contrast.detractors or not contrast.promoters:
        return _(
            "There are not yet analysed answers from both detractors and promoters to compare."
        )
    leading = contrast.leading()
    if leading is None:
        return _(
            "No theme sets detractors apart from promoters clearly: no difference is "
            "significant once every theme's test is taken into account."
        )
    return _(
        "Unhappy customers talk most about %(theme)s: %(detractors)s of detractors mention "
        "it, against %(promoters)s of promoters."
    ) % {
        "theme": name(leading.theme),
        "detractors": _share(ui, leading.detractor_share),
        "promoters": _share(ui, leading.promoter_share),
    }
