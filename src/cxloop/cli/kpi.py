"""``cxloop kpi NAME``: a KPI with n, 95% interval, change and small-n flag."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.config import Settings
    from cxloop.domain.kpi import KpiReport, KpiResult

PERIODS = ("day", "week", "month", "quarter")
REBUILD = "rebuild-rollup"


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def kpi_command(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help=f"The KPI: nps, csat, csat_mean, ces, enps, …; or {REBUILD} to rebuild the "
            "daily rollup that survey KPIs are answered from."
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Break down by touchpoint, channel, team, language, country, segment, …"
        ),
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Trend by day, week, month or quarter.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First day (YYYY-MM-DD), included.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day (YYYY-MM-DD), excluded.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compute a KPI with n, 95% interval, change against the previous period, small-n flag."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.kpi import kpi_report

    if name == REBUILD:
        given = [o for o, v in (("--by", by), ("--period", period), ("--since", since),
                                ("--until", until)) if v is not None]  # fmt: skip
        if given:
            raise UsageError(f"kpi {REBUILD} takes no {given[0]}")
        rebuild_rollup_command(settings_from(ctx), json_output=json_output)
        return
    if period is not None and period not in PERIODS:
        raise UsageError(f"unknown --period {period!r}; valid periods: {', '.join(PERIODS)}")
    start, end = _date(since, "--since"), _date(until, "--until")
    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        report = kpi_report(
            wh, name, by=by, period=period,  # type: ignore[arg-type]
            since=start, until=end, small_n=settings.kpi_small_n,
            min_group_n=settings.survey_min_group_n,
        )  # fmt: skip
    if json_output:
        rows = [_json_row(r, report) for r in report.results]
        if by is None and period is None:
            print_json(rows[0] if rows else {"kpi": name, "value": None, "n": 0,
                                             "ci_low": None, "ci_high": None})  # fmt: skip
        else:
            print_json(rows)
        if report.note:  # stdout stays the JSON contract; the caveat goes to stderr
            Console(stderr=True, highlight=False).print(report.note)
        return
    print_report(report)


def rebuild_rollup_command(settings: Settings, *, json_output: bool) -> None:
    """Rebuild the daily rollup of feedback in full and say what it holds."""
    from cxloop.understand.kpi.rollup import refresh_rollup

    with open_project_warehouse(settings) as wh:
        done = refresh_rollup(wh, full=True)
    if json_output:
        print_json(dataclasses.asdict(done))
        return
    console.print(
        f"daily rollup rebuilt: {done.feedback_rows:,} feedback rows in "
        f"{done.cells_written:,} cells ({done.seconds:.2f} s)"
    )


def _json_row(result: KpiResult, report: KpiReport) -> dict[str, object]:
    row = result.model_dump(mode="json", exclude={"dimension", "group"})
    if report.dimension is not None:
        row = {report.dimension: result.group, **row}
    if report.period is None:
        row.pop("period_start")
    return row


def _fmt(value: float | None, shape_points: bool) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if shape_points else f"{value:.3f}"


def print_report(report: KpiReport) -> None:
    """The cells as a Rich table; small-n cells marked with ⚠."""
    from cxloop.understand.kpi import kpi_definition

    definition = kpi_definition(report.kpi)
    points = definition.shape == "nps" or definition.unit == "hours"  # one decimal
    table = Table(title=f"{report.kpi}", title_justify="left")
    if report.dimension:
        table.add_column(report.dimension)
    if report.period:
        table.add_column(report.period)
    for label in ("value", "95% CI", "n", "change", "p", "q"):
        table.add_column(label, justify="right")
    for r in report.results:
        cells = []
        if report.dimension:
            cells.append(escape(r.group or "—"))
        if report.period:
            cells.append(str(r.period_start))
        if r.suppressed is not None:
            why = (
                "hidden: fewer than the minimum respondents"
                if r.suppressed == "min_group_n"
                else "hidden with a smaller group"
            )
            table.add_row(*cells, f"— ({why})", "—", str(r.n), "—", "—", "—")
            continue
        change = "—" if r.change is None else f"{r.change:+.1f}" if points else f"{r.change:+.3f}"
        if r.significant:
            change += " *"
        cells += [
            _fmt(r.value, points),
            f"{_fmt(r.ci_low, points)} – {_fmt(r.ci_high, points)}",
            f"{r.n} ⚠" if r.small_n else str(r.n),
            change,
            "—" if r.p_value is None else f"{r.p_value:.3f}",
            "—" if r.q_value is None else f"{r.q_value:.3f}",
        ]
        table.add_row(*cells)
    console.print(table)
    if not report.results:
        console.print("no observations in this scope")
    if report.note:
        console.print(report.note)
    if any(r.suppressed for r in report.results):
        console.print(
            "hidden: employee answers of a group with fewer respondents than "
            "survey_min_group_n are confidential"
        )
    console.print(
        f"⚠ n below {report.small_n_threshold} (setting kpi_small_n) · "
        "* change significant at 5% (Benjamini-Hochberg q across cells)"
    )
