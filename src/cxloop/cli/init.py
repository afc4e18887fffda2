"""``cxloop init DIR``: write a starter project and create its warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxloop.cli.output import console, print_json
from cxloop.project import init_project


def init_command(
    directory: Annotated[Path, typer.Argument(help="Project directory to create or complete.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Write a starter project (settings and example definitions) and create its warehouse."""
    result = init_project(directory)
    if json_output:
        print_json(result)
        return
    console.print(f"[bold]cxloop project[/] {result.project}")
    for rel in result.created:
        console.print(f"  [green]created[/] {rel}")
    for rel in result.kept:
        console.print(f"  [dim]kept   {rel} (already there)[/]")
    console.print(f"warehouse {result.warehouse} at schema version {result.schema_version}")
    console.print(f"next: cd {directory} && cxloop import customers FILE  (or: cxloop demo)")
