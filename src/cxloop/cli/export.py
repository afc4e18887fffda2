"""``cxloop export identities|customers``: what identity resolution made, as files.

A command group, so that other exports (a person's own data: ``export customer ID``) join it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse
from cxloop.share.exports import ExportFormat, ExportReport, ExportTable

export_app = typer.Typer(
    help="Export identities and golden records (CSV, Parquet, JSON Lines), or one customer's "
    "data (JSON).",
    no_args_is_help=True,
)

FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="csv, parquet or json (JSON Lines: one object per line)."),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", dir_okay=False, help="File to write (default: standard output)."),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="With --out: print what was written as JSON.")
]


def run_export(
    ctx: typer.Context, table: ExportTable, format: str, out: Path | None, json_output: bool
) -> None:
    from cxloop.cli.main import settings_from
    from cxloop.share.exports import EXPORT_FORMATS, export_to_file, export_to_stdout

    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {format!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    chosen: ExportFormat = format  # type: ignore[assignment]
    if out is None and chosen == "parquet":
        raise UsageError("Parquet is binary: give --out FILE")
    if out is None and json_output:
        raise UsageError("--json prints the report of a file export: give --out FILE")
    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        if out is None:
            export_to_stdout(wh, table, chosen)
            return
        report = export_to_file(wh, table, chosen, out)
    if json_output:
        print_json(report)
    else:
        _say(report)


def _say(report: ExportReport) -> None:
    console.print(
        f"wrote {report.rows:,} {report.table} to {escape(str(report.path))} ({report.format})"
    )


@export_app.command("identities")
@report_errors
def export_identities(
    ctx: typer.Context,
    format: FormatOption = "csv",
    out: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Which source record is which customer: source, source_id, customer_id,
    match_probability, method, record_id, resolved_at."""
    run_export(ctx, "identities", format, out, json_output)


@export_app.command("customers")
@report_errors
def export_customers(
    ctx: typer.Context,
    format: FormatOption = "csv",
    out: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Golden records: one row per customer."""
    run_export(ctx, "customers", format, out, json_output)


@export_app.command("customer")
@report_errors
def export_customer_command(
    ctx: typer.Context,
    reference: Annotated[
        str,
        typer.Argument(
            metavar="ID|EMAIL", help="A customer id, an e-mail address or source:source_id."
        ),
    ],
    out: OutOption = None,
) -> None:
    """All of one customer's data as JSON, grouped by table (a privacy request; see
    docs/privacy.md for the format)."""
    import getpass
    import json

    from cxloop.access import audit
    from cxloop.cli.main import settings_from
    from cxloop.privacy.person_export import export_customer

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        document = export_customer(wh, settings.project, reference)
        audit.record(
            wh,
            f"cli:{getpass.getuser()}",
            "read",
            target_table="customers",
            target_id=document["customer_id"],
            details={"via": "cli", "export": True, "tables": sorted(document["tables"])},
        )
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    if out is None:
        print(text)
        return
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write: {exc.strerror or exc}") from None
    rows = sum(len(v) for v in document["tables"].values())
    console.print(
        f"wrote {rows:,} rows of {len(document['tables'])} tables about "
        f"{document['customer_id']} to {escape(str(out))}"
    )
