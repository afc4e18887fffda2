"""The Overview page: how much the company hears from its customers, and the latest voices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import Response

from cxloop.access import audit
from cxloop.api.deps import Viewer, WarehouseDep
from cxloop.domain.access import Role
from cxloop.share.charts import axis_date_format, chart_locale, feedback_volume_chart
from cxloop.share.overview import (
    VolumeGrouping,
    latest_feedback,
    overview_counts,
    weekly_feedback_volume,
)
from cxloop.storage.read_cache import cached_read
from cxloop.web import labels
from cxloop.web.i18n import UiLanguage
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language

router = APIRouter(include_in_schema=False)

WEEKS = 26
LATEST = 20


@dataclass(frozen=True)
class ChartView:
    """A chart as a page shows it: the spec to draw, and the same numbers as text."""

    spec: dict[str, Any]
    description: str
    groups: list[str]
    rows: list[tuple[date, list[int], int]]
    total: int


@router.get("/")
def overview(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    by: VolumeGrouping = "language",
) -> Response:
    ui = ui_language(request)
    counts = overview_counts(warehouse)
    volume = cached_read(
        warehouse, ["feedback"], ("weekly_feedback_volume", by, WEEKS),
        lambda: weekly_feedback_volume(warehouse, by=by, weeks=WEEKS),
    )  # fmt: skip
    original = principal.role.allows(Role.ADMIN)
    latest = cached_read(
        warehouse, ["feedback", "feedback_insights"], ("latest_feedback", LATEST, original),
        lambda: latest_feedback(warehouse, LATEST, original_text=original),
    )  # fmt: skip
    if latest:
        audit.record(
            warehouse,
            principal.actor,
            "read",
            target_table="feedback",
            details={
                "page": "overview",
                "rows": len(latest),
                "feedback_ids": [item.feedback_id for item in latest],
            },
        )
    return render(
        request,
        "overview.html",
        {
            "counts": counts,
            "by": by,
            "chart": volume_chart_view(volume, by, ui) if len(volume) else None,
            "latest": latest,
            "timezone": str(ui.timezone),
            "scripts": CHART_SCRIPTS if len(volume) else [],
        },
    )


def volume_chart_view(volume: pd.DataFrame, by: VolumeGrouping, ui: UiLanguage) -> ChartView:
    """The weekly-volume chart in the page's language, with its text alternative."""
    _ = ui.gettext
    name = labels.language if by == "language" else labels.feedback_kind
    labelled = volume.assign(group=[name(ui, code) for code in volume["group"]])
    # colours follow the codes (unknown last), so a group keeps its colour in every language
    codes = [*sorted({code for code in volume["group"] if code}), None]
    order = list(dict.fromkeys(name(ui, code) for code in codes))
    group_title = _("Language") if by == "language" else _("Kind")
    weeks = sorted(set(labelled["week"]))
    total = int(labelled["count"].sum())
    if by == "language":
        summary = _(
            "Bar chart of the pieces of feedback received each week, by language, for the "
            "%(weeks)s weeks from %(first)s to %(last)s: %(total)s in all."
        )
    else:
        summary = _(
            "Bar chart of the pieces of feedback received each week, by kind, for the "
            "%(weeks)s weeks from %(first)s to %(last)s: %(total)s in all."
        )
    description = summary % {
        "weeks": ui.format_number(len(weeks)),
        "first": ui.format_date(weeks[0]),
        "last": ui.format_date(weeks[-1]),
        "total": ui.format_number(total),
    }
    spec = feedback_volume_chart(
        labelled,
        week_title=_("Week"),
        count_title=_("Pieces of feedback"),
        group_title=group_title,
        description=description,
        groups=order,
        locale=chart_locale(ui.code),
        date_format=axis_date_format(ui.code),
    )
    table = labelled.pivot_table(
        index="week", columns="group", values="count", aggfunc="sum", fill_value=0
    )
    groups = [str(g) for g in table.columns]
    rows = [
        (week, [int(v) for v in values], int(sum(values)))
        for week, values in zip(table.index, table.to_numpy().tolist(), strict=True)
    ]
    return ChartView(spec, description, groups, rows, total)
