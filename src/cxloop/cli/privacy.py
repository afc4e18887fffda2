"""``cxloop erase``, ``cxloop consent show`` and ``cxloop retention apply``: privacy requests
and retention (``cxloop export customer`` is in :mod:`cxloop.cli.export`)."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import NotFoundError, UsageError
from cxloop.project import open_project_warehouse

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Reference = Annotated[
    str,
    typer.Argument(
        metavar="ID|EMAIL", help="A customer id, an e-mail address or source:source_id."
    ),
]


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _confirm(customer_id: str, rows: dict[str, int]) -> None:
    """Ask on the terminal; no answer on standard input is an error asking for --yes."""
    listed = ", ".join(f"{t} {n}" for t, n in rows.items() if n) or "no rows"
    sys.stderr.write(
        f"Erase customer {customer_id} from every table ({listed})? This cannot be undone. "
        "Type 'yes' to erase: "
    )
    sys.stderr.flush()
    answer = sys.stdin.readline() if sys.stdin is not None else ""
    if answer == "":
        sys.stderr.write("\n")
        raise UsageError("no answer on standard input: give --yes to erase without asking")
    if answer.strip().lower() not in ("y", "yes"):
        raise UsageError(f"not erased: the answer was {answer.strip()!r}, not 'yes'")


def erase_command(
    ctx: typer.Context,
    reference: Reference,
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Erase a customer from every table (a privacy request); asks first unless --yes."""
    from cxloop.cli.main import settings_from
    from cxloop.privacy.erasure import customer_to_erase, erase_customer, person_rows
    from cxloop.privacy.person import gather_person

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        if not yes:
            customer_id = customer_to_erase(wh, reference)
            rows = person_rows(wh, gather_person(wh, customer_id))
            if not any(n for t, n in rows.items() if t != "audit_log"):
                raise NotFoundError(
                    f"no customer {customer_id!r}: nothing in the warehouse is theirs"
                )
            _confirm(customer_id, rows)
        report = erase_customer(wh, settings, reference, actor=_actor())
    if json_output:
        print_json(report)
        return
    table = Table("table", "rows deleted")
    for name, n in report.rows.items():
        if n:
            table.add_row(name, f"{n:,}")
    for name, n in report.scrubbed.items():
        if n:
            table.add_row(f"{name} (scrubbed)", f"{n:,}")
    console.print(table)
    console.print(
        f"erased {report.customer_id}: {report.total:,} rows; {report.suppressed} contact "
        f"hash(es) kept so they are not contacted again; audit record {report.audit_id} "
        f"names them {report.erased_as}"
    )
    for path in report.segment_files:
        console.print(f"taken out of member list {escape(path)}")


consent_app = typer.Typer(
    help="Customers' consent: the history and the current state.", no_args_is_help=True
)


@consent_app.command("show")
@report_errors
def consent_show(ctx: typer.Context, reference: Reference, json_output: JsonOption = False) -> None:
    """A customer's consent events, oldest first, and the current state per channel and purpose."""
    from cxloop.cli.main import settings_from
    from cxloop.privacy.consent_history import consent_history

    settings = settings_from(ctx)
    with open_project_warehouse(settings, read_only=True) as wh:
        history = consent_history(wh, reference)
    if json_output:
        print_json(history)
        return
    console.print(f"consent of {history.customer_id}")
    current = Table("channel", "purpose", "granted", "since", "source", title="current state")
    for s in history.current:
        current.add_row(
            s.channel, s.purpose, _yes_no(s.granted), _when(s.since), escape(s.source or "")
        )
    console.print(current if history.current else "no consent recorded")
    if history.events:
        events = Table("when", "channel", "purpose", "granted", "source", title="history")
        for e in history.events:
            events.add_row(
                _when(e.ts), e.channel, e.purpose, _yes_no(e.granted), escape(e.source or "")
            )
        console.print(events)


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _when(value: object) -> str:
    return "" if value is None else str(value)[:19]


retention_app = typer.Typer(
    help="Delete rows older than the retention policies.", no_args_is_help=True
)


@retention_app.command("apply")
@report_errors
def retention_apply(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only; delete nothing.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Delete rows older than the `retention` setting's policies, table by table."""
    from cxloop.cli.main import settings_from
    from cxloop.privacy.retention import apply_retention

    settings = settings_from(ctx)
    if not settings.retention:
        raise UsageError(
            "no retention policies: set retention in cxloop.toml, e.g. "
            'retention = {events = "24 months"}'
        )
    with open_project_warehouse(settings, read_only=dry_run) as wh:
        report = apply_retention(wh, settings.retention, dry_run=dry_run, actor=_actor())
    if json_output:
        print_json(report)
        return
    table = Table("table", "keep", "cutoff", "rows would go" if dry_run else "rows deleted")
    for t in report.tables:
        table.add_row(t.table, t.keep, t.cutoff.isoformat()[:19], f"{t.rows:,}")
    console.print(table)
