"""``cxloop cases list|show`` and the actions on a case (assign, reassign, acknowledge,
comment, contact, resolve, reopen, close), every one through :func:`_act`."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.domain.case import RESOLUTION_CODES
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.act.notify_outbox import Notifier
    from cxloop.config import Settings

err_console = Console(stderr=True, highlight=False)

cases_app = typer.Typer(
    help="Cases of the closed loop: list, show, and act on them.", no_args_is_help=True
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case's id.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="What was done or said.")]


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who acts, as the history shows it (default: cli:<login>)."),
]


@cases_app.command("list")
@report_errors
def list_command(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            help="open, assigned, acknowledged, resolved, closed, or active (the "
            "first three); repeat for several."
        ),
    ] = None,
    team: Annotated[str | None, typer.Option(help="Owning team id.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases past due.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=500, help="Cases to show.")] = 50,
    json_output: JsonOption = False,
) -> None:
    """Cases, most urgent first (overdue, then priority, then due time), with counts."""
    from cxloop.act.case_queries import CaseFilter, list_cases
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    where = CaseFilter(status=tuple(status) if status else None, team=team, overdue=overdue)
    with open_project_warehouse(settings) as wh:
        page = list_cases(wh, where, limit=limit)
    if json_output:
        print_json(page)
        return
    table = Table("case", "status", "priority", "team", "customer", "title", "due", "assignee",
                  box=None)  # fmt: skip
    for c in page.items:
        due = f"{c.due_at:%Y-%m-%d %H:%M}" if c.due_at else "—"
        flag = " [red]overdue[/]" if c.overdue else ""
        flag += " [yellow]escalated[/]" if c.escalated else ""
        table.add_row(
            c.case_id, c.status + flag, c.priority, escape(c.team_id or "—"),
            escape(c.customer_name or c.customer_id), escape(c.title), due,
            escape(c.assignee or "—"),
        )  # fmt: skip
    console.print(table)
    counts = ", ".join(f"{k} {v:,}" for k, v in page.counts.items())
    console.print(f"{page.total:,} case(s) listed, {min(page.limit, page.total):,} shown; {counts}")


@cases_app.command("show")
@report_errors
def show_command(ctx: typer.Context, case_id: CaseId, json_output: JsonOption = False) -> None:
    """One case: its facts, state and the timeline of its events."""
    from cxloop.act.case_queries import get_case
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        case = get_case(wh, case_id)
    if json_output:
        print_json(case)
        return
    console.print(f"[bold]{escape(case.title)}[/] ({case.case_id})")
    console.print(
        f"status {case.status}, priority {case.priority}, team {escape(case.team_id or '—')}, "
        f"assignee {escape(case.assignee or '—')}"
        + (", [red]overdue[/]" if case.overdue else "")
        + (", [yellow]escalated[/]" if case.escalated else "")
    )
    console.print(
        f"customer {escape(case.customer_name or '')} ({escape(case.customer_id)}); "
        f"rule {escape(case.rule_id or '—')}, topic {escape(case.topic or '—')}"
    )
    if case.resolution:
        console.print(f"resolution {case.resolution}")
    if case.due_at:
        console.print(f"opened {case.opened_at:%Y-%m-%d %H:%M}, due {case.due_at:%Y-%m-%d %H:%M}")
    if case.feedback_score or case.feedback_text:
        console.print(
            f"feedback: {escape(case.feedback_score or '')} {escape(case.feedback_text or '')}"
        )
    table = Table("when", "event", "by", "status", "assignee", "note", box=None)
    for e in case.events:
        note = e.note or ""
        if e.resolution:
            note = f"[{e.resolution}] {note}".strip()
        if e.team_id:
            note = f"→ team {e.team_id}: {note}".strip()
        table.add_row(f"{e.ts:%Y-%m-%d %H:%M}", e.kind, escape(e.actor), e.status,
                      escape(e.assignee or ""), escape(note))  # fmt: skip
    console.print(table)


def _notifier(settings: Settings) -> Notifier | None:
    """The notifier for an action; a mistake in notifications.yaml is said, and the action
    goes ahead without notifications (``cxloop notify channels`` names the mistake)."""
    import os

    from cxloop.act.notify_config import load_notify_config
    from cxloop.act.notify_outbox import Notifier
    from cxloop.errors import ConfigError

    try:
        config = load_notify_config(settings, os.environ)
    except ConfigError as exc:
        err_console.print(f"warning: no notifications: {escape(exc.message)}")
        return None
    return Notifier(config) if config.active else None


def _act(
    ctx: typer.Context,
    case_id: str,
    kind: str,
    actor: str | None,
    json_output: bool,
    *,
    note: str | None = None,
    assignee: str | None = None,
    resolution: str | None = None,
    team: str | None = None,
) -> None:
    """Record one action of ``kind`` on a case and print what it did: the one helper behind
    every action command."""
    from cxloop.act.case_actions import act_on_case, followup_for
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    followup = problem = None
    if kind == "resolved" and settings.case_followup_survey:
        from cxloop.collect.surveys import load_surveys

        followup, problem = followup_for(settings, load_surveys(settings.project), kind)
    notifier = _notifier(settings)
    with open_project_warehouse(settings) as wh:
        result = act_on_case(
            wh, case_id, kind, _actor(actor), assignee=assignee, note=note,
            resolution=resolution, team=team, followup=followup, notifier=notifier,
        )  # fmt: skip
    if problem and result.followup is None:
        result.followup = problem
    if json_output:
        print_json(result)
        return
    line = f"case {case_id}: {kind.replace('_', ' ')}; now {result.status}"
    if kind == "reassigned" and result.team_id:
        line += f", team {escape(result.team_id)}"
    if result.assignee:
        line += f", assigned to {escape(result.assignee)}"
    if result.followup:
        line += f"; follow-up survey: {escape(result.followup)}"
    console.print(line)


#: the actions that take nothing but an optional note: command name → (event kind, help)
NOTE_ONLY_ACTIONS: dict[str, tuple[str, str]] = {
    "acknowledge": ("acknowledged", "Say the case is being worked on."),
    "contact": (
        "customer_contacted",
        "Log a contact with the customer (call, e-mail, chat) in the case's contact log.",
    ),
    "reopen": ("reopened", "Reopen a resolved or closed case."),
    "close": ("closed", "Close a resolved case."),
}


def _note_only_command(name: str, kind: str, help_text: str) -> None:
    @cases_app.command(name, help=help_text)
    @report_errors
    def command(
        ctx: typer.Context,
        case_id: CaseId,
        note: NoteOption = None,
        actor: ActorOption = None,
        json_output: JsonOption = False,
    ) -> None:
        _act(ctx, case_id, kind, actor, json_output, note=note)

    command.__name__ = f"{name}_command"


@cases_app.command("assign")
@report_errors
def assign_command(
    ctx: typer.Context,
    case_id: CaseId,
    to: Annotated[str, typer.Option("--to", help="Who takes the case (e-mail or name).")],
    note: NoteOption = None,
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Assign a case to a person."""
    _act(ctx, case_id, "assigned", actor, json_output, assignee=to, note=note)


@cases_app.command("reassign")
@report_errors
def reassign_command(
    ctx: typer.Context,
    case_id: CaseId,
    team: Annotated[str, typer.Option("--team", help="The team id the case goes to.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it goes to that team.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Who in that team takes it (default: nobody yet).")
    ] = None,
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Hand a case to another team: that team owns it and its SLA from then on."""
    _act(ctx, case_id, "reassigned", actor, json_output, team=team, note=reason, assignee=to)


@cases_app.command("comment")
@report_errors
def comment_command(
    ctx: typer.Context,
    case_id: CaseId,
    text: Annotated[str, typer.Argument(help="The note.")],
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add an internal note to a case."""
    _act(ctx, case_id, "commented", actor, json_output, note=text)


@cases_app.command("resolve")
@report_errors
def resolve_command(
    ctx: typer.Context,
    case_id: CaseId,
    code: Annotated[
        str, typer.Option("--code", help=f"Resolution code: {', '.join(RESOLUTION_CODES)}.")
    ],
    note: NoteOption = None,
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Resolve a case with a resolution code (and invite the customer to the follow-up
    survey when case_followup_survey is set)."""
    _act(ctx, case_id, "resolved", actor, json_output, resolution=code, note=note)


for _name, (_kind, _help) in NOTE_ONLY_ACTIONS.items():
    _note_only_command(_name, _kind, _help)
