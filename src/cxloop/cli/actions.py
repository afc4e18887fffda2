"""``cxloop actions add|list|publish|unpublish|status``: the actions of the public "you said,
we did" page (see docs/you-said-we-did.md)."""

from __future__ import annotations

import getpass
import re
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.domain.public_action import ACTION_STATUSES, PublicAction
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

actions_app = typer.Typer(
    help='Actions for the public "you said, we did" page: add, list, publish, withdraw.',
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ActionId = Annotated[str, typer.Argument(metavar="ID", help="The action's id.")]
AuthorOption = Annotated[
    str | None, typer.Option("--author", help="Who enters it (default: cli:<login>).")
]
#: ``es=Texto``: a two-letter language code, then the text (checked against ACTION_LANGUAGES)
_LANG_PREFIX = re.compile(r"^([a-z]{2})=(.*)$", re.S)


def _by_language(option: str, values: list[str] | None) -> dict[str, str]:
    """``["Faster delivery", "es=Entrega más rápida"]`` → ``{"en": …, "es": …}``."""
    out: dict[str, str] = {}
    for value in values or []:
        match = _LANG_PREFIX.match(value)
        language, text = (match.group(1), match.group(2)) if match else ("en", value)
        if language in out:
            raise UsageError(f"{option}: two texts in {language!r}")
        out[language] = text
    return out


def _author(author: str | None) -> str:
    return author or f"cli:{getpass.getuser()}"


def _print(action: PublicAction, verb: str) -> None:
    shown = "published" if action.published else "not published"
    console.print(
        f"action {action.action_id} {verb}: {escape(action.title('en'))} "
        f"({action.theme}, {action.status.replace('_', ' ')}, {shown})"
    )


@actions_app.command("add")
@report_errors
def add_command(
    ctx: typer.Context,
    theme: Annotated[str, typer.Option("--theme", help="The theme id the action answers.")],
    title: Annotated[
        list[str],
        typer.Option("--title", help="The title; LANG=TEXT for es or zh (repeat per language)."),
    ],
    description: Annotated[
        list[str] | None,
        typer.Option("--description", help="What was done; LANG=TEXT as for --title."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="When (YYYY-MM-DD; default: today).")
    ] = None,
    status: Annotated[
        str, typer.Option("--status", help=f"{', '.join(ACTION_STATUSES)}.")
    ] = "planned",
    publish: Annotated[bool, typer.Option("--publish", help="Publish it at once.")] = False,
    author: AuthorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add an action (unpublished unless --publish) on a theme customers raised."""
    from cxloop.cli.main import settings_from
    from cxloop.share.public_actions import add_action, change_action
    from cxloop.understand.text.taxonomy import load_taxonomy

    settings = settings_from(ctx)
    try:
        when = date.fromisoformat(on) if on else None
    except ValueError:
        raise UsageError(f"--date {on!r}: expected a date like 2026-12-01") from None
    themes = load_taxonomy(settings.project).theme_ids()
    with open_project_warehouse(settings) as wh:
        action = add_action(
            wh, theme=theme, titles=_by_language("--title", title),
            descriptions=_by_language("--description", description), action_date=when,
            status=status, author=_author(author), themes=themes,
        )  # fmt: skip
        if publish:
            action = change_action(wh, action.action_id, _author(author), published=True)
    if json_output:
        print_json(action)
        return
    _print(action, "added")


@actions_app.command("list")
@report_errors
def list_command(
    ctx: typer.Context,
    published: Annotated[
        bool, typer.Option("--published", help="Only the published ones.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Every action as it stands now, newest date first."""
    from cxloop.cli.main import settings_from
    from cxloop.share.public_actions import list_actions

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        actions = list_actions(wh, published_only=published)
    if json_output:
        print_json([a.model_dump(mode="json") for a in actions])
        return
    table = Table("action", "date", "theme", "status", "published", "title", box=None)
    table.columns[0].no_wrap = True
    for a in actions:
        table.add_row(a.action_id, f"{a.action_date:%Y-%m-%d}", escape(a.theme),
                      a.status.replace("_", " "), "yes" if a.published else "no",
                      escape(a.title("en")))  # fmt: skip
    console.print(table)
    console.print(f"{len(actions):,} action(s), {sum(a.published for a in actions):,} published")


def _change(ctx: typer.Context, action_id: str, author: str | None, json_output: bool,
            verb: str, **changes: object) -> None:  # fmt: skip
    from cxloop.cli.main import settings_from
    from cxloop.share.public_actions import change_action

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        action = change_action(wh, action_id, _author(author), **changes)  # type: ignore[arg-type]
    if json_output:
        print_json(action)
        return
    _print(action, verb)


@actions_app.command("publish")
@report_errors
def publish_command(
    ctx: typer.Context, action_id: ActionId, author: AuthorOption = None,
    json_output: JsonOption = False,
) -> None:  # fmt: skip
    """Show an action on the public page."""
    _change(ctx, action_id, author, json_output, "published", published=True)


@actions_app.command("unpublish")
@report_errors
def unpublish_command(
    ctx: typer.Context, action_id: ActionId, author: AuthorOption = None,
    json_output: JsonOption = False,
) -> None:  # fmt: skip
    """Take an action off the public page (it is kept, with its history)."""
    _change(ctx, action_id, author, json_output, "withdrawn", published=False)


@actions_app.command("status")
@report_errors
def status_command(
    ctx: typer.Context,
    action_id: ActionId,
    status: Annotated[str, typer.Argument(help=f"{', '.join(ACTION_STATUSES)}.")],
    author: AuthorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Move an action on: planned, in_progress or done."""
    _change(ctx, action_id, author, json_output, "updated", status=status)
