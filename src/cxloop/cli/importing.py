"""``cxloop import KIND FILE``: load a CSV, JSON Lines or Parquet file into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cxloop.cli.output import console, print_json
from cxloop.collect.importer import ImportReport, import_file
from cxloop.domain.records import IMPORT_KINDS
from cxloop.errors import ValidationReportError
from cxloop.project import open_project_warehouse
from cxloop.understand.kpi.rollup import refresh_rollup

KINDS = ", ".join(IMPORT_KINDS)


def import_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"What the file holds: {KINDS}.")],
    file: Annotated[Path, typer.Argument(help="A .csv, .jsonl or .parquet file.")],
    source: Annotated[
        str | None, typer.Option(help="The system the data comes from (default: file name).")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Column mapping YAML (see mappings/).")
    ] = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="The column with each record's id.")
    ] = None,
    skip_bad_rows: Annotated[
        bool,
        typer.Option("--skip-bad-rows", help="Load good rows; write bad ones to a rejects file."),
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Where rejected rows go (default: FILE.rejects.csv).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import a file of customers, events, orders, feedback, teams, employees, pulses or
    consents."""
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    show_progress = not json_output and console.is_terminal
    with (
        open_project_warehouse(settings) as wh,
        Progress(
            TextColumn("[bold]importing[/] {task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
            disable=not show_progress,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task(file.name, total=None)
        try:
            report = import_file(
                wh,
                kind,
                file,
                source=source,
                mapping=mapping,
                id_column=id_column,
                skip_bad_rows=skip_bad_rows,
                rejects_path=rejects,
                batch_rows=settings.import_batch_rows,
                timezone=settings.timezone,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except ValidationReportError as exc:
            if json_output:
                print_json(exc.report)
            else:
                _print_errors(exc.report)  # type: ignore[arg-type]
            raise
        if report.table == "feedback" and report.rows_inserted:
            refresh_rollup(wh)  # incremental: the rows just imported go into the daily rollup
    if json_output:
        print_json(report)
        return
    _print_report(report)


def _print_errors(report: ImportReport) -> None:
    for line in report.error_lines():
        console.print(f"  [red]{_esc(line)}[/]", soft_wrap=True)
    if report.error_count > len(report.errors):
        console.print(f"  … and {report.error_count - len(report.errors)} more")


def _print_report(report: ImportReport) -> None:
    table = Table(box=None, show_header=False)
    table.add_row("file", report.file)
    table.add_row(
        "into", f"{report.table}" + (f" (source {report.source})" if report.source else "")
    )
    table.add_row("rows read", f"{report.rows_read:,}")
    table.add_row("inserted", f"[green]{report.rows_inserted:,}[/]")
    table.add_row("already present", f"{report.rows_already_present:,}")
    if report.rows_rejected:
        table.add_row("rejected", f"[red]{report.rows_rejected:,}[/] → {report.rejects_file}")
    if report.kept_as_attributes:
        table.add_row("kept as attributes", ", ".join(report.kept_as_attributes))
    if report.ignored_columns:
        table.add_row("ignored columns", ", ".join(report.ignored_columns))
    table.add_row("time", f"{report.seconds:.2f} s")
    console.print(table)
    if report.rows_rejected:
        _print_errors(report)


def _esc(text: str) -> str:
    return text.replace("[", "\\[")
