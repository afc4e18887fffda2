"""``cxloop demo``: build a realistic multilingual demo company and run the loop on it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.output import console, print_json


def demo_command(
    ctx: typer.Context,
    customers: Annotated[
        int, typer.Option(min=50, help="How many people the company has.")
    ] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 0,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the dashboard afterwards.")
    ] = False,
    host: Annotated[str, typer.Option(help="With --serve: address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="With --serve: port to listen on.")] = 8000,
    resolve_identities: Annotated[
        bool,
        typer.Option("--resolve/--no-resolve", help="Resolve identities (cxloop resolve)."),
    ] = True,
    analyse_text: Annotated[
        bool,
        typer.Option("--text/--no-text", help="Analyse the comments (cxloop text analyze)."),
    ] = True,
    refresh_segments: Annotated[
        bool,
        typer.Option(
            "--segments/--no-segments",
            help="Write the demo's segments/*.yaml and refresh them (cxloop segment refresh).",
        ),
    ] = True,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The demo's last day (YYYY-MM-DD): its 18 months of activity end there. "
            "Default: today. A re-run keeps the first run's dates.",
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Generate the demo company (en/es/zh markets, messy sources, feedback, teams), load it,
    resolve its customers' identities, analyse its comments and refresh its segments."""
    from cxloop.cli.main import settings_from
    from cxloop.demo.loading import run_demo

    settings = settings_from(ctx)
    last_day = _as_of_date(as_of)
    with console.status("building the demo company…", spinner="dots") as status:
        result = run_demo(
            settings,
            customers=customers,
            seed=seed,
            on_file=lambda kind, name: status.update(f"importing {kind} from {name}…"),
            resolve_identities=resolve_identities,
            on_resolve=lambda: status.update("resolving identities…"),
            analyse_text=analyse_text,
            on_text_progress=lambda done, total: status.update(
                f"analysing comments… {done:,} of {total:,}"
            ),
            refresh_segments=refresh_segments,
            as_of=last_day,
        )
    if json_output:
        print_json(result)
        return
    table = Table("file", "kind", "source", "rows", "inserted", box=None)
    for rep in result.imports:
        table.add_row(
            rep.file.rsplit("/", 1)[-1],
            rep.kind,
            rep.source or "",
            f"{rep.rows_read:,}",
            f"{rep.rows_inserted:,}",
        )
    console.print(table)
    console.print(
        f"[bold green]demo company ready[/] in {result.seconds:.1f} s: {result.project}\n"
        f"  data: {result.data_directory}\n  ground truth: {result.ground_truth}"
    )
    console.print(f"  activity: {result.start} to {result.end} (the day before is its last)")
    counts = ", ".join(f"{k} {v:,}" for k, v in result.tables.items() if v)
    console.print(f"  warehouse: {counts}")
    if result.resolved is not None:
        console.print(
            f"  identities: {result.resolved.source_records:,} source records → "
            f"{result.resolved.customers:,} customers; see [bold]cxloop profile[/]"
        )
    if result.text is not None:
        text = result.text
        languages = ", ".join(f"{k} {v:,}" for k, v in text.languages.items())
        sentiments = ", ".join(f"{k} {v:,}" for k, v in text.sentiments.items())
        console.print(
            f"  text analysis: {text.analysed:,} comments in {text.seconds:.1f} s "
            f"({languages}; {sentiments}); see [bold]cxloop text themes[/]"
        )
    elif result.text_skipped:
        console.print(f"  text analysis skipped: {escape(result.text_skipped)}")
    if result.clv is not None:
        console.print(
            f"  lifetime value: {result.clv.customers:,} customers scored in "
            f"{result.clv.fit_seconds:.1f} s; see [bold]cxloop profile[/] or a customer's page"
        )
    elif result.clv_skipped:
        console.print(f"  lifetime value skipped: {escape(result.clv_skipped)}")
    if result.churn is not None and result.churn_scores is not None:
        v = result.churn.validation
        console.print(
            f"  churn risk: {result.churn_scores.customers:,} customers scored; out-of-time AUC "
            f"{v.model.auc:.3f} (recency alone {v.recency_baseline.auc:.3f}); "
            "see [bold]cxloop churn fit[/] or a customer's page"
        )
    elif result.churn_skipped:
        console.print(f"  churn risk skipped: {escape(result.churn_skipped)}")
    if result.segments:
        members = ", ".join(f"{k} {v:,}" for k, v in result.segments.items())
        console.print(f"  segments: {members}; see [bold]cxloop segment list[/]")
    if result.goals:
        console.print(f"  goals: {result.goals} in goals.yaml; see [bold]cxloop goals[/]")
    if result.cases is not None and result.cases.opened:
        statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(result.cases.by_status.items()))
        console.print(
            f"  cases: {result.cases.opened:,} opened by the rules in rules/ ({statuses}); "
            "see [bold]cxloop cases list[/]"
        )
    if result.actions:
        console.print(
            f'  "you said, we did": {result.actions} actions, the public page on at '
            "/you-said-we-did; see [bold]cxloop actions list[/]"
        )
    if serve:
        from cxloop.cli.serve import serve_command
        from cxloop.demo.loading import ensure_demo_admin

        login = ensure_demo_admin(settings)
        console.print(
            f"\n[bold]Sign in at http://{host}:{port}/login[/] as [bold]{login.email}[/] "
            f"with password [bold]{login.password}[/] (kept in {settings.project}/demo_login.txt)"
        )
        serve_command(ctx, host=host, port=port)


def _as_of_date(text: str | None) -> date:
    """``--as-of`` as a date (today when not given); a bad one exits 2 with one line."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint="--as-of"
        ) from None
