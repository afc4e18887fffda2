"""``cxloop users`` and ``cxloop keys``: who may sign in, and keys for the API and collector."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError

users_app = typer.Typer(
    help="Manage the people who sign in to the dashboard.", no_args_is_help=True
)
keys_app = typer.Typer(help="Manage API keys and collector write keys.", no_args_is_help=True)


def _warehouse(ctx: typer.Context):
    from cxloop.cli.main import settings_from
    from cxloop.project import open_project_warehouse

    return open_project_warehouse(settings_from(ctx))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin: no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise UsageError("no terminal to ask for a password: use --password-stdin")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
@report_errors
def users_add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The person's e-mail, used to sign in.")],
    role: Annotated[str, typer.Option(help="viewer, agent, analyst or admin.")] = "viewer",
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    language: Annotated[str | None, typer.Option(help="Dashboard language: en, es or zh.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the user as JSON.")] = False,
) -> None:
    """Add a user (the password is asked for, or read with --password-stdin)."""
    from cxloop.access.users import add_user

    password = _read_password(password_stdin)
    with _warehouse(ctx) as wh:
        user = add_user(wh, email, password, role, name=name, language=language)
    if json_output:
        print_json(user)
    else:
        console.print(f"added {user.email} as {user.role.value}")


@users_app.command("list")
@report_errors
def users_list(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List users and their roles."""
    from cxloop.access.users import list_users

    with _warehouse(ctx) as wh:
        users = list_users(wh)
    if json_output:
        print_json([u.model_dump(mode="json") for u in users])
        return
    table = Table("email", "role", "language", "disabled", box=None)
    for u in users:
        table.add_row(u.email, u.role.value, u.language or "", "yes" if u.disabled_at else "")
    console.print(table)


@users_app.command("disable")
@report_errors
def users_disable(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The user's e-mail.")]
) -> None:
    """Disable a user: they can no longer sign in."""
    from cxloop.access.users import disable_user

    with _warehouse(ctx) as wh:
        user = disable_user(wh, email)
    console.print(f"disabled {user.email}")


@keys_app.command("add")
@report_errors
def keys_add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help="api (for /v1) or write (for the collector).")],
    role: Annotated[str | None, typer.Option(help="Role of an API key.")] = None,
    name: Annotated[str | None, typer.Option(help="What the key is for.")] = None,
    source: Annotated[
        str | None, typer.Option(help="Write keys: the source name events are stored under.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Make a key. It is printed once and stored only as a hash."""
    from cxloop.access.keys import add_key

    with _warehouse(ctx) as wh:
        key, secret = add_key(wh, kind, role=role, name=name, source=source, created_by="cli")
    if json_output:
        print_json({**key.model_dump(mode="json"), "secret": secret})
        return
    console.print(f"[bold]{secret}[/]")
    console.print("[dim]Copy it now: it is not shown again.[/]")


@keys_app.command("list")
@report_errors
def keys_list(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List keys (ids, kinds, roles; never secrets)."""
    from cxloop.access.keys import list_keys

    with _warehouse(ctx) as wh:
        keys = list_keys(wh)
    if json_output:
        print_json([k.model_dump(mode="json") for k in keys])
        return
    table = Table("id", "kind", "role", "source", "name", "revoked", box=None)
    for k in keys:
        table.add_row(
            k.key_id,
            k.kind.value,
            k.role.value if k.role else "",
            k.source or "",
            k.name or "",
            "yes" if k.revoked_at else "",
        )
    console.print(table)


@keys_app.command("revoke")
@report_errors
def keys_revoke(
    ctx: typer.Context, key_id: Annotated[str, typer.Argument(help="The key's id.")]
) -> None:
    """Revoke a key: it stops working at once."""
    from cxloop.access.keys import revoke_key

    with _warehouse(ctx) as wh:
        revoke_key(wh, key_id)
    console.print(f"revoked {key_id}")
