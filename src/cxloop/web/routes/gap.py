"""The Perception gap page: the same statements rated by managers, other employees and
customers, company-wide or for one team, as a chart and a table.

Employee groups below ``survey_min_group_n`` respondents come withheld from the library
(:mod:`cxloop.understand.confidentiality`); the page shows the reason, never a number for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.domain.perception_gap import GROUPS, GapCell, GapRow
from cxloop.share.charts import chart_locale
from cxloop.share.gap_chart import perception_gap_chart
from cxloop.understand.perception_gap import gap_report
from cxloop.web.i18n import N_, UiLanguage
from cxloop.web.rendering import CHART_SCRIPTS, render, ui_language

router = APIRouter(include_in_schema=False)

GROUP_LABELS = {
    "managers": N_("Managers"),
    "employees": N_("Other employees"),
    "customers": N_("Customers"),
}


@dataclass(frozen=True)
class CellView:
    """One group's figure as the table shows it."""

    share: str | None
    interval: str | None
    mean: str | None
    n: str
    withheld: str | None


@dataclass(frozen=True)
class GapView:
    """A difference of shares against customers, with its q-value."""

    points: str | None
    q: str | None
    significant: bool


@dataclass(frozen=True)
class RowView:
    statement: str
    employee_statement: str | None
    cells: list[CellView]
    gaps: list[GapView]


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    current: bool


def _pct(ui: UiLanguage, value: float | None) -> str | None:
    return None if value is None else format_percent(value, "#,##0%", locale=ui.locale)


def cell_view(ui: UiLanguage, cell: GapCell, min_group_n: int) -> CellView:
    """A group's share, interval, mean and n in the page's language, or why it is withheld."""
    _ = ui.gettext
    n = ui.format_number(cell.n)
    if cell.suppressed == "min_group_n":
        reason = _("Withheld: fewer than %(n)s respondents") % {"n": min_group_n}
        return CellView(None, None, None, n, reason)
    if cell.suppressed == "complementary":
        reason = _("Withheld with a smaller group, which the total would give away")
        return CellView(None, None, None, n, reason)
    if cell.share is None:
        return CellView(None, None, None, n, None)
    interval = f"{_pct(ui, cell.share_ci_low)} – {_pct(ui, cell.share_ci_high)}"
    mean = None if cell.mean is None else format_decimal(cell.mean, "0.0", locale=ui.locale)
    return CellView(_pct(ui, cell.share), interval, mean, n, None)


def _q(value: float | None) -> str | None:
    if value is None:
        return None
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _gap(ui: UiLanguage, gap: float | None, q: float | None, significant: bool | None) -> GapView:
    points = None
    if gap is not None:
        points = ui.gettext("%(points)s points") % {"points": f"{100 * gap:+.0f}"}
    return GapView(points, _q(q), bool(significant))


def row_view(ui: UiLanguage, row: GapRow, min_group_n: int) -> RowView:
    return RowView(
        statement=row.statement,
        employee_statement=row.employee_statement,
        cells=[cell_view(ui, getattr(row, g), min_group_n) for g in GROUPS],
        gaps=[
            _gap(ui, row.gap, row.q_value, row.significant),
            _gap(ui, row.employees_gap, row.employees_q_value, row.employees_significant),
        ],
    )


def headline(ui: UiLanguage, rows: list[GapRow]) -> dict[str, str] | None:
    """The statement with the widest managers-vs-customers gap: the "56% vs 12%" line."""
    shown = [r for r in rows if r.gap is not None]
    if not shown:
        return None
    top = max(shown, key=lambda r: r.gap or 0.0)
    return {
        "managers": _pct(ui, top.managers.share) or "",
        "customers": _pct(ui, top.customers.share) or "",
        "statement": top.statement,
        "employee_statement": top.employee_statement or top.statement,
    }


def chart_spec(ui: UiLanguage, rows: list[GapRow], scope_label: str) -> dict[str, Any] | None:
    _ = ui.gettext
    labels = [_(GROUP_LABELS[g]) for g in GROUPS]
    values = []
    for row in rows:
        for group, label in zip(GROUPS, labels, strict=True):
            cell: GapCell = getattr(row, group)
            if cell.share is None:
                continue
            values.append({
                "statement": row.statement, "group": label, "share": round(cell.share, 4),
                "low": round(cell.share_ci_low or 0.0, 4),
                "high": round(cell.share_ci_high or 0.0, 4), "n": cell.n,
            })  # fmt: skip
    if not values:
        return None
    description = _(
        "Bar chart of the share agreeing with each statement among managers, other employees "
        "and customers (%(scope)s), with 95%% intervals. The numbers are in the table below."
    ) % {"scope": scope_label}
    return perception_gap_chart(
        values, groups=labels, statements=[r.statement for r in rows],
        share_title=_("Share agreeing"), statement_title=_("Statement"),
        group_title=_("Who"), interval_title=_("95% interval"), n_title=_("Respondents"),
        description=description, locale=chart_locale(ui.code),
    )  # fmt: skip


@router.get("/gap")
def gap_page(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    settings: SettingsDep,
    team: str | None = Query(default=None, max_length=128),
) -> Response:
    ui = ui_language(request)
    _ = ui.gettext
    report = gap_report(
        warehouse, by="team", min_group_n=settings.survey_min_group_n, language=ui.code
    )
    names: dict[str, str] = {}
    for row in report.rows:
        if row.team_id is not None:
            names[row.team_id] = row.team_name or row.team_id
    if team is not None and team not in names:
        team = None
    rows = [r for r in report.rows if r.team_id == team]
    scope_label = _("the whole company") if team is None else names[team]
    scopes = [Scope("", _("Whole company"), team is None)]
    scopes += [Scope(key, label, key == team) for key, label in sorted(names.items())]
    chart = chart_spec(ui, rows, scope_label)
    return render(
        request,
        "gap.html",
        {
            "has_answers": bool(report.rows),
            "scopes": scopes,
            "scope_label": scope_label,
            "group_labels": [_(GROUP_LABELS[g]) for g in GROUPS],
            "gap_labels": [_("Managers − customers"), _("Other employees − customers")],
            "rows": [row_view(ui, r, report.min_group_n) for r in rows],
            "headline": headline(ui, rows),
            "chart": chart,
            "min_group_n": report.min_group_n,
            "scripts": CHART_SCRIPTS if chart else [],
        },
    )
