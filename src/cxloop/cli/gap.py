"""``cxloop gap``: the perception gap, statement by statement, company-wide or per team."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.kpi import _date
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.domain.perception_gap import GapCell, GapReport

LANGUAGES = ("en", "es", "zh")


def gap_command(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option("--by", help="Also per team: --by team.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First day (YYYY-MM-DD), included.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day (YYYY-MM-DD), excluded.")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="Wording of the statements: en, es or zh."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Managers', employees' and customers' agreement with the same statements, with 95%
    intervals and Fisher's exact test of managers vs customers (employee groups under
    survey_min_group_n are withheld)."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.perception_gap import gap_report

    if by is not None and by != "team":
        raise UsageError(f"unknown --by {by!r}; the gap breaks down by: team")
    settings = settings_from(ctx)
    language = language or settings.default_language
    if language not in LANGUAGES:
        raise UsageError(f"unknown --language {language!r}; valid: {', '.join(LANGUAGES)}")
    start, end = _date(since, "--since"), _date(until, "--until")
    with open_project_warehouse(settings) as wh:
        report = gap_report(
            wh, by="team" if by else None, min_group_n=settings.survey_min_group_n,
            language=language, since=start, until=end,
        )  # fmt: skip
    if json_output:
        print_json(report)
        return
    print_gap(report)


def _share(cell: GapCell) -> str:
    if cell.suppressed is not None:
        return "hidden"
    if cell.share is None:
        return "—"
    assert cell.share_ci_low is not None and cell.share_ci_high is not None
    return (
        f"{100 * cell.share:.0f}% ({100 * cell.share_ci_low:.0f}–{100 * cell.share_ci_high:.0f}) "
        f"n={cell.n}"
    )


def _q(value: float | None) -> str:
    if value is None:
        return "—"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _gap(gap: float | None, q: float | None, significant: bool | None) -> str:
    if gap is None:
        return "—"
    return f"{100 * gap:+.0f} pts{' *' if significant else ''} ({_q(q)})"


def print_gap(report: GapReport) -> None:
    """The gap as a Rich table; withheld groups say so."""
    table = Table(title="perception gap: share agreeing (4–5 of 5), 95% CI", title_justify="left")
    labels = ("scope", "statement", "managers", "other employees", "customers", "gap (q)",
              "staff gap (q)")  # fmt: skip
    for label in labels:
        table.add_column(label, justify="right" if "gap" in label else "left")
    for row in report.rows:
        scope = "company" if row.team_id is None else (row.team_name or row.team_id)
        table.add_row(
            escape(scope), escape(row.statement), _share(row.managers), _share(row.employees),
            _share(row.customers), _gap(row.gap, row.q_value, row.significant),
            _gap(row.employees_gap, row.employees_q_value, row.employees_significant),
        )  # fmt: skip
    console.print(table)
    if not report.rows:
        console.print(
            "no statement answers yet: ship a survey with `type: statement` questions to "
            "customers and employees (see docs/perception-gap.md)"
        )
        return
    console.print(
        f"hidden: fewer than {report.min_group_n} respondents (setting survey_min_group_n), or "
        "withheld with such a group so a total cannot give it away · "
        f"* q < 0.05 ({escape(report.test)})"
    )
