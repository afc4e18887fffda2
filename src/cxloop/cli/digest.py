"""``cxloop digest send``: the weekly team digests and the customers' progress e-mails."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import CxloopError, UsageError
from cxloop.project import open_project_warehouse

digest_app = typer.Typer(
    help="Digests: the weekly team digest and the customers' progress e-mails.",
    no_args_is_help=True,
)


@digest_app.command("send")
@report_errors
def send_command(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Option("--kind", help="team, customer (progress e-mails) or all.")
    ] = "all",
    team: Annotated[
        str | None, typer.Option("--team", help="Only this team's digest (a team id).")
    ] = None,
    period_end: Annotated[
        str | None,
        typer.Option(
            "--period-end",
            help="Last day (YYYY-MM-DD) of the digest week. Default: the day before the "
            "latest digest_weekday.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Send nothing and record nothing.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            file_okay=False,
            help="With --dry-run: write each message as .eml and .html into this folder.",
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Send the week's team digests and the month's progress e-mails that were not sent yet
    (a second run for the same period sends nothing)."""
    from cxloop.act.email_sender import SmtpConfig, SmtpTransport
    from cxloop.cli.main import settings_from
    from cxloop.share.digests import DigestOptions, send_digests

    if out is not None and not dry_run:
        raise UsageError("--out writes the messages of a --dry-run; add --dry-run")
    if kind not in ("team", "customer", "all"):
        raise UsageError(f"--kind {kind!r}: use team, customer or all")
    end = None
    if period_end is not None:
        try:
            end = date.fromisoformat(period_end)
        except ValueError:
            raise UsageError(f"--period-end {period_end!r}: expected a date YYYY-MM-DD") from None
    settings = settings_from(ctx)
    options = DigestOptions.from_settings(settings)
    transport = None if dry_run else SmtpTransport(SmtpConfig.from_settings(settings))
    with open_project_warehouse(settings) as wh:
        report = send_digests(
            wh, options, kind=kind, team=team, period_end=end,  # type: ignore[arg-type]
            transport=transport, dry_run=dry_run, out_dir=out,
        )  # fmt: skip
    if json_output:
        print_json(report)
    else:
        table = Table("digest", "period", "recipient", "team", "language", "status", box=None)
        for o in report.outcomes[:200]:
            table.add_row(
                o.kind, o.period, escape(o.recipient_id), escape(o.team_id or "—"),
                o.language or "—", o.status + (f" ({escape(o.reason)})" if o.reason else ""),
            )  # fmt: skip
        console.print(table)
        counts = ", ".join(f"{k} {v:,}" for k, v in sorted(report.counts.items())) or "nobody"
        written = f"; previews in {out}" if out is not None and report.outcomes else ""
        console.print(f"{report.week}, {report.month}: {escape(counts)}{written}")
    if report.stopped:
        raise CxloopError(report.stopped)
