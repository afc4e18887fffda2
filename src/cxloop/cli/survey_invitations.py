"""``cxloop survey send`` and ``cxloop survey funnel``: invite people by e-mail, and see how
many opened and answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import CxloopError, NotFoundError, UsageError, WarehouseBusyError
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.act.invitations import InvitationFunnel, SendReport
    from cxloop.collect.surveys import SurveyDefinition
    from cxloop.config import Settings

#: how far back ``--after-event`` looks without ``--since``
DEFAULT_EVENT_WINDOW_DAYS = 7
#: the statuses of a send report, in the order they are shown
REPORT_ORDER = ("sent", "pending", "failed", "throttled", "no_consent", "already_invited")
SHOWN_FAILURES = 10


def _since(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC) - timedelta(days=DEFAULT_EVENT_WINDOW_DAYS)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since {value!r} is not a date (YYYY-MM-DD or an ISO time)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def find_survey(settings: Settings, survey_id: str) -> SurveyDefinition:
    from cxloop.collect.surveys import load_surveys

    surveys = load_surveys(settings.project)
    if survey_id not in surveys:
        known = ", ".join(sorted(surveys)) or "none"
        raise NotFoundError(f"survey {survey_id!r}: not in surveys/*.yaml (known: {known})")
    return surveys[survey_id]


def send_command(
    ctx: typer.Context,
    survey_id: Annotated[str, typer.Argument(metavar="SURVEY", help="The survey's id.")],
    segment: Annotated[
        str | None, typer.Option("--segment", help="Invite the members of this segment.")
    ] = None,
    customers: Annotated[
        Path | None,
        typer.Option(
            "--customers",
            dir_okay=False,
            help="Invite the customers in this file (a CSV with a customer_id column, or "
            "one id per line).",
        ),
    ] = None,
    after_event: Annotated[
        str | None,
        typer.Option(
            "--after-event",
            help="Invite customers who had this event (their latest one), once per event.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help=f"With --after-event: events at or after this date "
            f"(default: the last {DEFAULT_EVENT_WINDOW_DAYS} days).",
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", help="Employee survey: invite the employees of this team."),
    ] = None,
    employees: Annotated[
        Path | None,
        typer.Option(
            "--employees",
            dir_okay=False,
            help="Employee survey: invite the employees in this file (a CSV with an "
            "employee_id column, or one id per line).",
        ),
    ] = None,
    all_employees: Annotated[
        bool, typer.Option("--all-employees", help="Employee survey: invite every employee.")
    ] = False,
    wave: Annotated[
        str | None,
        typer.Option("--wave", help="A label for a new round: invites the same people again."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show who would be invited; write and send nothing.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Invite customers (or, to an employee survey, employees) by e-mail: throttled, with
    consent, never twice."""
    from cxloop.act.email_sender import SmtpConfig, SmtpTransport
    from cxloop.act.invitations import (
        InvitationOptions,
        all_employees_audience,
        customers_audience,
        employees_audience,
        event_audience,
        segment_audience,
        send_invitations,
        team_audience,
    )
    from cxloop.cli.main import settings_from

    given = (segment, customers, after_event, team, employees, all_employees or None)
    if sum(value is not None for value in given) != 1:
        raise UsageError(
            "give exactly one of --segment, --customers or --after-event (customer surveys), "
            "or --team, --employees or --all-employees (employee surveys)"
        )
    if since is not None and after_event is None:
        raise UsageError("--since goes with --after-event")
    if team is not None:
        audience = team_audience(team, wave=wave)
    elif employees is not None:
        audience = employees_audience(employees, wave=wave)
    elif all_employees:
        audience = all_employees_audience(wave=wave)
    elif segment is not None:
        audience = segment_audience(segment, wave=wave)
    elif customers is not None:
        audience = customers_audience(customers, wave=wave)
    else:
        assert after_event is not None
        audience = event_audience(after_event, _since(since), wave=wave)
    settings = settings_from(ctx)
    survey = find_survey(settings, survey_id)
    options = InvitationOptions.from_settings(settings)
    transport = None if dry_run else SmtpTransport(SmtpConfig.from_settings(settings))
    show = not json_output and console.is_terminal and not dry_run
    progress = Progress(
        TextColumn("sending invitations"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not show,
    )
    try:
        opened = open_project_warehouse(settings)
    except WarehouseBusyError:
        raise WarehouseBusyError(
            f"the warehouse is in use by another process (is `cxloop serve` running?): send "
            f"through the server with POST /v1/surveys/{survey_id}/send (an analyst's API key; "
            "the same options as JSON), or stop it and run this again"
        ) from None
    with opened as wh, progress:
        task = progress.add_task("send", total=None)
        report = send_invitations(
            wh, survey, audience, options, transport=transport, dry_run=dry_run,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )  # fmt: skip
    if json_output:
        print_json(report)
    else:
        print_send_report(report)
    if report.stopped:
        raise CxloopError(report.stopped)
    if report.smtp_error:
        failed = report.counts.get("failed", 0)
        raise CxloopError(
            f"{failed} invitation(s) failed; the SMTP server said: {report.smtp_error} "
            "(the next run retries them)"
        )


def print_send_report(report: SendReport) -> None:
    """Counts by outcome, then the first failures with their reasons."""
    console.print(f"[bold]{escape(report.survey_id)}[/] → {escape(report.audience)}")
    if not report.outcomes:
        console.print("nobody in this audience")
    else:
        table = Table("outcome", "people")
        for status in REPORT_ORDER:
            if report.counts.get(status):
                label = "would send" if status == "pending" and report.dry_run else status
                table.add_row(label, str(report.counts[status]))
        console.print(table)
    failures = [o for o in report.outcomes if o.status == "failed"]
    for outcome in failures[:SHOWN_FAILURES]:
        who = outcome.customer_id or outcome.employee_id or ""
        console.print(f"failed: {escape(who)}: {escape(outcome.reason or '')}")
    if len(failures) > SHOWN_FAILURES:
        console.print(f"… and {len(failures) - SHOWN_FAILURES} more failures (--json lists all)")
    if report.dry_run:
        console.print("dry run: nothing was written and nothing was sent")


def funnel_command(
    ctx: typer.Context,
    survey_id: Annotated[
        str | None,
        typer.Argument(metavar="[SURVEY]", help="The survey's id (default: every survey)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The invitation funnel: sent → opened → started → responded, with rates."""
    from cxloop.act.invitations import invitation_funnel, invitation_funnels
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        funnels = [invitation_funnel(wh, survey_id)] if survey_id else invitation_funnels(wh)
    if json_output:
        rows = [f.model_dump(mode="json") for f in funnels]
        print_json(rows[0] if survey_id else rows)
        return
    for funnel in funnels:
        print_funnel(funnel)
    if not funnels:
        console.print("no invitations yet")


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"


def print_funnel(funnel: InvitationFunnel) -> None:
    table = Table("stage", "invitations", "rate", title=escape(funnel.survey_id),
                  title_justify="left")  # fmt: skip
    table.add_row("sent", str(funnel.sent), "")
    table.add_row("opened", str(funnel.opened), _percent(funnel.open_rate) + " of sent")
    table.add_row("started", str(funnel.started), "")
    table.add_row("responded", str(funnel.responded), _percent(funnel.response_rate) + " of sent")
    table.add_row("", "", _percent(funnel.completion_rate) + " of started")
    table.add_row("failed", str(funnel.failed), "")
    table.add_row("throttled", str(funnel.throttled), "")
    table.add_row("no consent", str(funnel.no_consent), "")
    console.print(table)


def register_invitation_commands(survey_app: typer.Typer) -> None:
    """Add ``send`` and ``funnel`` to the ``cxloop survey`` group."""
    survey_app.command("send")(report_errors(send_command))
    survey_app.command("funnel")(report_errors(funnel_command))
