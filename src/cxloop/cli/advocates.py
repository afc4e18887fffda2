"""``cxloop advocates list|invite``: promoters ranked by engagement and value, and the
ambassador-programme invitation."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import CxloopError
from cxloop.project import open_project_warehouse

advocates_app = typer.Typer(
    help="Advocates: promoters ranked by engagement and value; invite them to the ambassador "
    "programme.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DEFAULT_LIMIT = 20


@advocates_app.command("list")
@report_errors
def list_command(
    ctx: typer.Context,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=100_000, help="How many, best first.")
    ] = DEFAULT_LIMIT,
    json_output: JsonOption = False,
) -> None:
    """Promoters (latest NPS 9–10) ranked by engagement and value, with the score's parts."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.advocates import rank_advocates
    from cxloop.understand.segments import SegmentOptions, reference_moment

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        options = SegmentOptions.from_settings(
            settings, reference_moment(wh, settings.segments_as_of)
        )
        ranking = rank_advocates(wh, options, limit=limit)
    if json_output:
        print_json(ranking)
        return
    table = Table(
        title=f"advocates ({len(ranking.advocates):,} of {ranking.promoters:,} promoters, "
        f"as of {ranking.as_of:%Y-%m-%d})",
        title_justify="left",
    )
    # the customer id and value fold rather than lose characters on a narrow terminal
    for label in ("#", "customer", "score", "NPS", "orders", "feedback", "events", "referrals",
                  "value", "ladder"):  # fmt: skip
        table.add_column(
            label,
            justify="left" if label in ("customer", "ladder", "value") else "right",
            overflow="fold" if label in ("customer", "value") else "ellipsis",
        )
    for a in ranking.advocates:
        value = f"{a.value:,.2f} {a.currency or ''}".strip() + f" ({a.value_source})"
        table.add_row(
            str(a.rank), escape(a.customer_id), f"{a.score:.1f}", str(a.latest_nps),
            f"{a.orders:,}", f"{a.feedback:,}", f"{a.events:,}", f"{a.referrals:,}",
            escape(value), escape(a.ladder or "—"),
        )  # fmt: skip
    console.print(table)
    if not ranking.advocates:
        console.print("no promoters (latest NPS 9–10) in the ladder window")


@advocates_app.command("invite")
@report_errors
def invite_command(
    ctx: typer.Context,
    survey_id: Annotated[
        str, typer.Option("--survey", help="The survey, e.g. ambassador-programme.")
    ],
    top: Annotated[
        int, typer.Option("--top", min=1, max=10_000, help="How many advocates, best first.")
    ] = DEFAULT_LIMIT,
    segment: Annotated[
        str, typer.Option("--segment", help="The member-list segment that holds the invitees.")
    ] = "ambassadors",
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show who would be added and invited; change nothing."),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Add the top advocates to the ambassador segment and invite its members to a survey by
    e-mail (throttled, with consent, never twice)."""
    from cxloop.act.ambassadors import invite_advocates
    from cxloop.act.email_sender import SmtpConfig, SmtpTransport
    from cxloop.cli.main import settings_from
    from cxloop.cli.survey_invitations import REPORT_ORDER, find_survey

    settings = settings_from(ctx)
    survey = find_survey(settings, survey_id)
    transport = None if dry_run else SmtpTransport(SmtpConfig.from_settings(settings))
    with open_project_warehouse(settings) as wh:
        report = invite_advocates(
            wh, settings, survey, top=top, segment_id=segment, transport=transport,
            dry_run=dry_run,
        )  # fmt: skip
    if json_output:
        print_json(report)
    else:
        verb = "would add" if dry_run else "added"
        state = "would be created" if dry_run else "created"
        console.print(
            f"[bold]{escape(report.segment_id)}[/]: {verb} {len(report.added):,} of the top "
            f"{len(report.chosen):,} advocates; {report.segment_members:,} members"
            + (f" (segment {state})" if report.segment_created else "")
        )
        table = Table("invitation", "people", title=escape(report.survey_id), title_justify="left")
        for status in REPORT_ORDER:
            if report.invitations.get(status):
                label = "would send" if status == "pending" and dry_run else status
                table.add_row(label, f"{report.invitations[status]:,}")
        console.print(table)
        if dry_run:
            console.print("dry run: nothing was written and nothing was sent")
    if report.stopped:
        raise CxloopError(report.stopped)
    if report.smtp_error:
        raise CxloopError(
            f"{report.invitations.get('failed', 0)} invitation(s) failed; the SMTP server said: "
            f"{report.smtp_error} (the next run retries them)"
        )
