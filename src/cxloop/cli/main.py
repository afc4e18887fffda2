"""The ``cxloop`` command: global options, the sub-commands, and one-line errors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cxloop import __version__
from cxloop.cli import access, bench, importing, init, serve, status
from cxloop.cli import demo as demo_cmd
from cxloop.cli import drivers as drivers_cmd
from cxloop.cli import gap as gap_cmd
from cxloop.cli import goals as goals_cmd
from cxloop.cli import journeys as journeys_cmd
from cxloop.cli import kpi as kpi_cmd
from cxloop.cli import profile as profile_cmd
from cxloop.cli import resolve as resolve_cmd
from cxloop.cli.actions import actions_app
from cxloop.cli.advocates import advocates_app
from cxloop.cli.cases import cases_app
from cxloop.cli.churn import churn_app
from cxloop.cli.clv import clv_app
from cxloop.cli.digest import digest_app
from cxloop.cli.errors import report_errors
from cxloop.cli.export import export_app
from cxloop.cli.loop import loop_app
from cxloop.cli.notify import notify_app
from cxloop.cli.privacy import consent_app, erase_command, retention_app
from cxloop.cli.segment import segment_app
from cxloop.cli.survey import survey_app
from cxloop.cli.survey_invitations import register_invitation_commands
from cxloop.cli.text import text_app
from cxloop.cli.valuechain import valuechain_app
from cxloop.config import Settings
from cxloop.errors import CxloopError

app = typer.Typer(
    name="cxloop",
    help="cxloop: collect → unify → understand → act → share, for customer experience.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
err_console = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        print(f"cxloop {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            envvar="CXLOOP_PROJECT",
            file_okay=False,
            help="Project directory (default: $CXLOOP_PROJECT, else the current directory).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """cxloop, the open customer-experience platform."""
    ctx.obj = project


def settings_from(ctx: typer.Context, project: Path | None = None) -> Settings:
    """Build the one Settings object for a command (``--project`` decides the directory)."""
    root = ctx.find_root()
    chosen = project if project is not None else root.obj
    return Settings.load(project=chosen if chosen is not None else Path.cwd())


app.command("init")(report_errors(init.init_command))
app.command("status")(report_errors(status.status_command))
app.command("import")(report_errors(importing.import_command))
app.command("demo")(report_errors(demo_cmd.demo_command))
app.command("serve")(report_errors(serve.serve_command))
app.add_typer(resolve_cmd.resolve_app, name="resolve")
app.command("profile")(report_errors(profile_cmd.profile_command))
app.command("kpi")(report_errors(kpi_cmd.kpi_command))
app.command("gap")(report_errors(gap_cmd.gap_command))
app.command("drivers")(report_errors(drivers_cmd.drivers_command))
app.command("goals")(report_errors(goals_cmd.goals_command))
app.command("journeys")(report_errors(journeys_cmd.journeys_command))
app.add_typer(export_app, name="export")
app.add_typer(access.users_app, name="users")
app.add_typer(access.keys_app, name="keys")
app.add_typer(text_app, name="text")
register_invitation_commands(survey_app)
app.add_typer(survey_app, name="survey")
app.add_typer(clv_app, name="clv")
app.add_typer(churn_app, name="churn")
app.add_typer(segment_app, name="segment")
app.add_typer(valuechain_app, name="valuechain")
app.add_typer(loop_app, name="loop")
app.add_typer(cases_app, name="cases")
app.add_typer(notify_app, name="notify")
app.add_typer(advocates_app, name="advocates")
app.command("erase")(report_errors(erase_command))
app.command("bench")(report_errors(bench.bench_command))
app.add_typer(consent_app, name="consent")
app.add_typer(retention_app, name="retention")
app.add_typer(digest_app, name="digest")
app.add_typer(actions_app, name="actions")


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, turning user errors into one line."""
    try:
        app(args=argv, standalone_mode=True)
    except CxloopError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}", soft_wrap=True, markup=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
