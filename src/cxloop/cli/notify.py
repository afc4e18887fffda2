"""``cxloop notify channels|test|deliveries|retry``: the notifications of case events."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.domain.notification import NOTIFICATION_STATUSES
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

notify_app = typer.Typer(
    help="Notifications of case events (notifications.yaml): e-mail, signed webhooks, Slack.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _config(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from cxloop.act.notify_config import load_notify_config
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    # the edge: webhook secrets and Slack URLs come from this process's environment
    return settings, load_notify_config(settings, os.environ)


@notify_app.command("channels")
@report_errors
def channels_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Check notifications.yaml (a mistake names the file and line) and list its channels."""
    _, config = _config(ctx)
    rows = []
    for channel in config.file.channels:
        if channel.type == "email":
            where = ", ".join(channel.to)
            ready = True
        elif channel.type == "webhook":
            where, ready = channel.url, config.secrets.get(channel.id) is not None
        else:
            where = f"${channel.url_env}" if channel.url_env else "(url in the file)"
            ready = config.slack_urls.get(channel.id) is not None
        rows.append(
            {"id": channel.id, "type": channel.type, "to": where, "events": channel.events,
             "priorities": channel.priorities, "teams": channel.teams,
             "enabled": channel.enabled, "ready": ready}
        )  # fmt: skip
    if json_output:
        print_json(rows)
        return
    if not rows:
        console.print(f"no channels in {escape(str(config.path))}")
        return
    table = Table("id", "type", "to", "events", "priorities", "teams", "ready", box=None)
    for row in rows:
        table.add_row(
            escape(row["id"]), row["type"], escape(row["to"]), ", ".join(row["events"]),
            ", ".join(row["priorities"] or ["all"]), escape(", ".join(row["teams"] or ["all"])),
            "yes" if row["ready"] else "[red]no: secret or URL unset[/red]",
        )  # fmt: skip
    console.print(table)


@notify_app.command("test")
@report_errors
def test_command(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(help="The channel's id in notifications.yaml.")],
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="E-mail channels: the address to write to (repeatable)."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Send a test message through one channel now, and say how it went."""
    from cxloop.act.notify_dispatch import delivery_log
    from cxloop.act.notify_probe import send_test_message
    from cxloop.act.notify_service import mail_transport

    settings, config = _config(ctx)
    with open_project_warehouse(settings) as wh:
        report = send_test_message(
            wh, config, channel, to=to or None, transport=mail_transport(settings)
        )
        tries = delivery_log(wh, notification_ids=report.sent + report.failed)
    if json_output:
        print_json([t.model_dump(mode="json") for t in tries])
    else:
        for t in tries:
            verdict = "sent" if t.ok else f"[red]failed[/red]: {escape(t.error or '')}"
            console.print(f"{escape(t.channel_id)} → {escape(t.recipient)}: {verdict}")
    if report.failed:
        raise typer.Exit(1)


@notify_app.command("deliveries")
@report_errors
def deliveries_command(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(help="Only notifications in this state: " + ", ".join(NOTIFICATION_STATUSES)),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Notifications to show.")] = 50,
    json_output: JsonOption = False,
) -> None:
    """The newest notifications and how each stands (tries, last error, next try)."""
    from cxloop.act.notify_dispatch import notification_records

    if status is not None and status not in NOTIFICATION_STATUSES:
        raise UsageError(f"--status {status!r}: use one of {', '.join(NOTIFICATION_STATUSES)}")
    settings, config = _config(ctx)
    with open_project_warehouse(settings) as wh:
        records = notification_records(wh, config, status=status, limit=limit)
    if json_output:
        print_json([r.model_dump(mode="json") for r in records])
        return
    if not records:
        console.print("no notifications" + (f" with status {status}" if status else ""))
        return
    table = Table("created", "event", "channel", "to", "status", "tries", "next / error", box=None)
    for r in records:
        tail = (
            escape(r.last_error or "")
            if r.status == "failed"
            else (f"{r.next_try_at:%Y-%m-%d %H:%M}" if r.next_try_at else "")
        )
        table.add_row(
            f"{r.created_at:%Y-%m-%d %H:%M}", r.event_kind, escape(r.channel_id),
            escape(r.recipient), r.status, str(r.attempts), tail,
        )  # fmt: skip
    console.print(table)


@notify_app.command("retry")
@report_errors
def retry_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Try every failed notification once more now (a new round of tries with backoff)."""
    from cxloop.act.notify_dispatch import retry_failed
    from cxloop.act.notify_service import mail_transport

    settings, config = _config(ctx)
    with open_project_warehouse(settings) as wh:
        report = retry_failed(wh, config, transport=mail_transport(settings))
    if json_output:
        print_json(report.as_dict())
        return
    console.print(
        f"retried {len(report.sent) + len(report.failed):,} failed notification(s): "
        f"{len(report.sent):,} sent, {len(report.failed):,} failed again"
    )
