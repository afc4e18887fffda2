"""``cxloop resolve``: link source records into customers, with golden records."""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cxloop.cli.output import console, print_json
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.unify import ResolveReport


def resolve_command(
    ctx: typer.Context,
    full: Annotated[
        bool,
        typer.Option("--full", help="Re-link every record from scratch (ids stay where they can)."),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Resolve identities: one customer per person, across every source."""
    from cxloop.cli.main import settings_from
    from cxloop.unify import ResolveOptions, resolve  # Splink loads only when needed

    settings = settings_from(ctx)
    options = ResolveOptions.from_settings(settings)
    show_progress = not json_output and console.is_terminal
    spinner = console.status("resolving identities…") if show_progress else nullcontext()
    with open_project_warehouse(settings) as wh, spinner:
        report = resolve(wh, options, full=full)
    if json_output:
        print_json(report)
        return
    print_report(report)


def print_report(report: ResolveReport) -> None:
    """The report as a two-column table, then links and methods."""
    table = Table(box=None, show_header=False)
    table.add_row("mode", report.mode)
    table.add_row("source records", f"{report.source_records:,}")
    table.add_row("records resolved", f"{report.records_resolved:,}")
    table.add_row("customers", f"[bold]{report.customers:,}[/]")
    table.add_row("new customers", f"{report.customers_created:,}")
    table.add_row("clusters merged", f"{report.clusters_merged:,}")
    for kind, count in report.links.items():
        table.add_row(f"links: {kind}", f"{count:,}")
    for method, count in report.identities.items():
        table.add_row(f"records by {method}", f"{count:,}")
    linked = ", ".join(f"{n:,} {name}" for name, n in report.activity_linked.items() if n)
    if linked:
        table.add_row("activity linked", linked)
    table.add_row("model", "trained on this data" if report.model_trained else "built-in weights")
    table.add_row("match threshold", f"{report.match_threshold:g}")
    table.add_row("time", f"{report.seconds:.2f} s")
    console.print(table)
