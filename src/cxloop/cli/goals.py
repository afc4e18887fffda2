"""``cxloop goals``: every KPI goal of ``goals.yaml`` with its status and the rule that set it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.kpi import _date
from cxloop.cli.output import console, print_json
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.domain.goal import GoalEvaluation

#: the status as words and a symbol, so that it never depends on colour alone
STATUS_TEXT = {
    "hit": "[green]✔ hit[/]",
    "on_track": "[green]↗ on track[/]",
    "at_risk": "[yellow]⚠ at risk[/]",
    "miss": "[red]✘ miss[/]",
    "not_enough_data": "[dim]? not enough data[/]",
}


def goals_command(
    ctx: typer.Context,
    team: Annotated[
        str | None, typer.Option("--team", help="Only the goals scoped to this team id.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Judge the goals as on this day (YYYY-MM-DD); default today."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Read goals.yaml, store the goals in the warehouse and show each one's status."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.goals import evaluate_goals, load_goals, stored_goals, sync_goals
    from cxloop.understand.goals.goals_file import GOALS_FILE

    day = _date(as_of, "--as-of")
    settings = settings_from(ctx)
    goals = load_goals(settings.project / GOALS_FILE)
    with open_project_warehouse(settings) as wh:
        sync_goals(wh, goals)
        chosen = stored_goals(wh, team=team)
        evaluations = evaluate_goals(wh, chosen, as_of=day, small_n=settings.kpi_small_n)
    if json_output:
        print_json([e.model_dump(mode="json") for e in evaluations])
        return
    print_goals(evaluations, team=team)


def print_goals(evaluations: list[GoalEvaluation], *, team: str | None = None) -> None:
    """The goals as a Rich table, then each status's rule as a sentence."""
    from cxloop.understand.goals import format_value

    if not evaluations:
        where = f" for team {escape(team)}" if team else ""
        console.print(f"no goals{where}: add some to goals.yaml (see docs/kpis.md)")
        return
    table = Table(title="goals", title_justify="left")
    for label in ("goal", "status", "target", "latest (95% CI)", "n", "deadline", "owner"):
        table.add_column(label, justify="right" if label in ("target", "n") else "left")
    for e in evaluations:
        g, latest = e.goal, e.latest
        sign = "≥" if g.direction == "higher" else "≤"
        value = "—"
        if latest is not None:
            value = (f"{format_value(g.kpi, latest.value)} ({format_value(g.kpi, latest.ci_low)}"
                     f" – {format_value(g.kpi, latest.ci_high)})")  # fmt: skip
        table.add_row(
            f"{escape(g.id)}\n[dim]{g.kpi} · {escape(g.scope.label)}[/]",
            STATUS_TEXT[e.status.value], f"{sign} {format_value(g.kpi, g.target)}", value,
            (f"{latest.n} ⚠" if latest.small_n else str(latest.n)) if latest else "0",
            g.deadline.isoformat(), escape(g.owner),
        )  # fmt: skip
    console.print(table)
    for e in evaluations:
        console.print(f"[bold]{escape(e.goal.id)}[/]: {escape(e.sentence)}")
