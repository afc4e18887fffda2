"""``cxloop status``: the warehouse, its schema version and its row counts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cxloop.cli.output import console, print_json
from cxloop.project import project_status


def status_command(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Show the warehouse URL, schema version and rows per table."""
    from cxloop.cli.main import settings_from

    report = project_status(settings_from(ctx))
    if json_output:
        print_json(report)
        return
    console.print(f"[bold]warehouse[/] {report.warehouse}")
    console.print(f"[bold]schema version[/] {report.schema_version}")
    table = Table("table", "rows", box=None)
    for name, rows in report.tables.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
