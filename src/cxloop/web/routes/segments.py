"""The Segments page (``/segments``: counts, overlaps, ladder and lifecycle over time) and a
segment's members (``/segments/{id}``, agents and up, audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from cxloop.access import audit
from cxloop.api.deps import Agent, SettingsDep, Viewer, WarehouseDep
from cxloop.domain.access import Role
from cxloop.domain.segment import SEGMENT_ID_PATTERN
from cxloop.share.charts import chart_locale
from cxloop.share.segments_overview import StageCache, StageHistory, segments_overview
from cxloop.share.stage_chart import stage_history_chart
from cxloop.understand.segments import find_segment, member_page, segment_detail
from cxloop.web import segment_labels
from cxloop.web.i18n import UiLanguage
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language
from cxloop.web.routes.customers import MAX_PAGE, pager

router = APIRouter(include_in_schema=False)
MEMBERS_PAGE = 50
_MONTH_FORMATS = {"en": "%b %Y", "es": "%b %Y", "zh": "%Y年%-m月"}
#: ladder and lifecycle histories of this process, reused while the data stay the same
_STAGE_CACHE: StageCache = {}


@dataclass(frozen=True)
class StageView:
    """A stage model as the page shows it: today's counts, the chart, the numbers as tables."""

    key: str
    title: str
    spec: dict[str, Any]
    description: str
    current: list[tuple[str, int]]
    snapshots: list[Any]
    rows: list[tuple[str, list[int]]]
    moves: list[tuple[str, str, int]]


def stage_view(history: StageHistory, ui: UiLanguage) -> StageView:
    """The chart and tables of one stage model, labelled in the page's language."""
    _ = ui.gettext
    name = lambda code: segment_labels.stage(ui, code)  # noqa: E731
    title = _("Loyalty ladder") if history.kind == "ladder" else _("Lifecycle stages")
    dist = history.distribution
    labelled = dist.assign(stage=[name(s) for s in dist["stage"]])
    snapshots = sorted(set(dist["snapshot"]))
    if history.kind == "ladder":
        summary = _(
            "Bar chart of customers on each rung of the loyalty ladder at the start of each "
            "month, %(months)s snapshots up to %(last)s."
        )
    else:
        summary = _(
            "Bar chart of customers in each lifecycle stage at the start of each month, "
            "%(months)s snapshots up to %(last)s."
        )
    description = summary % {
        "months": ui.format_number(len(snapshots)),
        "last": ui.format_date(snapshots[-1]) if snapshots else "—",
    }
    spec = stage_history_chart(
        labelled,
        stages=[name(s) for s in history.stages],
        snapshot_title=_("Month"),
        count_title=_("Customers"),
        stage_title=_("Stage"),
        description=description,
        locale=chart_locale(ui.code),
        date_format=_MONTH_FORMATS.get(ui.code, "%b %Y"),
    )
    rows = []
    for stage in history.stages:
        counts = dist[dist["stage"] == stage].set_index("snapshot")["customers"]
        rows.append((name(stage), [int(counts.get(s, 0)) for s in snapshots]))
    return StageView(
        key=history.kind, title=title, spec=spec, description=description,
        current=[(name(s), n) for s, n in history.current().items()], snapshots=snapshots,
        rows=rows, moves=[(name(a), name(b), n) for a, b, n in history.latest_moves()],
    )  # fmt: skip


@router.get("/segments")
def segments_page(
    request: Request, principal: Viewer, warehouse: WarehouseDep, settings: SettingsDep
) -> Response:
    ui = ui_language(request)
    overview = segments_overview(warehouse, settings, cache=_STAGE_CACHE)
    ids = [s.id for s in overview.segments]
    matrix = [
        (s, [(overview.overlaps.get((s.id, other), 0), other == s.id) for other in ids])
        for s in overview.segments
    ]
    stages = [stage_view(overview.ladder, ui), stage_view(overview.lifecycle, ui)]
    return render(
        request,
        "segments.html",
        {
            "overview": overview,
            "matrix": matrix,
            "stages": stages,
            "show_members": principal.role.allows(Role.AGENT),
            "scripts": CHART_SCRIPTS,
        },
    )


@router.get("/segments/{segment_id}")
def segment_members_page(
    request: Request,
    principal: Agent,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    segment_id: Annotated[str, Path(max_length=64, pattern=SEGMENT_ID_PATTERN)],
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    definition, _ = find_segment(settings.project, segment_id)
    detail = segment_detail(warehouse, definition)
    members = member_page(warehouse, segment_id, MEMBERS_PAGE, (page - 1) * MEMBERS_PAGE)
    if members.members:
        audit.record(
            warehouse,
            principal.actor,
            "read",
            target_table="segment_members",
            target_id=segment_id,
            details={"page": "segment", "customer_ids": [m.customer_id for m in members.members]},
        )
    return render(
        request,
        "segment.html",
        {
            "segment": detail,
            "members": members,
            "pager": pager(f"/segments/{segment_id}", {}, page, MEMBERS_PAGE, members.total),
        },
    )
