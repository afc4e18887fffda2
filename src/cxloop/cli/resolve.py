"""``cxloop resolve``: link source records into customers, with golden records; and its
sub-commands ``explain``, ``merge``, ``split``, ``overrides`` and ``unoverride``."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.storage import Warehouse
    from cxloop.unify import ResolveOptions, ResolveReport
    from cxloop.unify.corrections import CorrectionResult
    from cxloop.unify.explanation import PairExplanation


def resolve_command(
    ctx: typer.Context,
    full: Annotated[
        bool,
        typer.Option("--full", help="Re-link every record from scratch (ids stay where they can)."),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Resolve identities: one customer per person, across every source."""
    from cxloop.cli.main import settings_from
    from cxloop.unify import ResolveOptions, resolve  # Splink loads only when needed

    settings = settings_from(ctx)
    options = ResolveOptions.from_settings(settings)
    show_progress = not json_output and console.is_terminal
    spinner = console.status("resolving identities…") if show_progress else nullcontext()
    with open_project_warehouse(settings) as wh, spinner:
        report = resolve(wh, options, full=full)
    if json_output:
        print_json(report)
        return
    print_report(report)


def print_report(report: ResolveReport) -> None:
    """The report as a two-column table, then links and methods."""
    table = Table(box=None, show_header=False)
    table.add_row("mode", report.mode)
    table.add_row("source records", f"{report.source_records:,}")
    table.add_row("records resolved", f"{report.records_resolved:,}")
    table.add_row("customers", f"[bold]{report.customers:,}[/]")
    table.add_row("new customers", f"{report.customers_created:,}")
    table.add_row("clusters merged", f"{report.clusters_merged:,}")
    for kind, count in report.links.items():
        table.add_row(f"links: {kind}", f"{count:,}")
    for method, count in report.identities.items():
        table.add_row(f"records by {method}", f"{count:,}")
    linked = ", ".join(f"{n:,} {name}" for name, n in report.activity_linked.items() if n)
    if linked:
        table.add_row("activity linked", linked)
    table.add_row("model", "trained on this data" if report.model_trained else "built-in weights")
    table.add_row("match threshold", f"{report.match_threshold:g}")
    table.add_row("time", f"{report.seconds:.2f} s")
    console.print(table)


resolve_app = typer.Typer(
    help="Resolve identities, explain links, and merge or split customers.",
    rich_markup_mode="rich",
)


@resolve_app.callback(invoke_without_command=True)
def resolve_group(
    ctx: typer.Context,
    full: Annotated[
        bool,
        typer.Option("--full", help="Re-link every record from scratch (ids stay where they can)."),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Resolve identities: one customer per person, across every source.

    With a sub-command: explain a pair, merge or split customers, list or remove overrides.
    """
    if ctx.invoked_subcommand is None:
        report_errors(resolve_command)(ctx, full=full, json_output=json_output)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@resolve_app.command("explain")
@report_errors
def explain_command(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="A source record id (source:source_id).")],
    b: Annotated[str, typer.Argument(help="Another source record id.")],
    model: Annotated[
        str | None, typer.Option(help="A saved model id (default: the latest run's).")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the explanation as JSON.")
    ] = False,
) -> None:
    """Why two source records were or were not linked: keys, Splink's waterfall, path."""
    from cxloop.cli.main import settings_from
    from cxloop.unify.explain import explain_records
    from cxloop.unify.explanation import ExplainOptions

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        explanation = explain_records(wh, a, b, ExplainOptions(model_id=model))
    if json_output:
        print_json(explanation)
        return
    print_explanation(explanation)


def print_explanation(e: PairExplanation) -> None:
    """The two records, the deterministic keys, the waterfall and the decision."""
    sides = Table(box=None, title="records", title_justify="left")
    for column in ("", "a", "b"):
        sides.add_column(column)
    for field in ("record_id", "name", "email", "phone", "customer_id", "method"):
        sides.add_row(field, _cell(getattr(e.a, field)), _cell(getattr(e.b, field)))
    console.print(sides)
    keys = Table(box=None, title="deterministic keys", title_justify="left")
    for column in ("key", "links?", "note"):
        keys.add_column(column)
    for k in e.keys:
        keys.add_row(k.kind, "[green]yes[/]" if k.used else "no", escape(k.note))
    console.print(keys)
    water = Table(
        title=f"waterfall (model {e.model.model_id}"
        f"{', trained' if e.model.trained else ', built-in weights'})",
        title_justify="left",
    )
    for column, justify, wrap in (
        ("comparison", "left", False), ("level", "left", True), ("a", "left", True),
        ("b", "left", True), ("m", "right", False), ("u", "right", False),
        ("weight", "right", False), ("running", "right", False),
    ):  # fmt: skip
        water.add_column(column, justify=justify, no_wrap=not wrap)  # type: ignore[arg-type]
    running = e.prior_weight
    water.add_row("prior", "λ", "", "", "", "", f"{e.prior_weight:+.2f}", f"{running:+.2f}")
    for c in e.comparisons:
        running += c.match_weight
        weight = f"{c.level_weight:+.2f}"
        if c.term_frequency_weight:
            weight += f" {c.term_frequency_weight:+.2f} tf"
        water.add_row(
            c.name,
            "missing" if c.level < 0 else escape(c.label),
            escape(_values(c.values_a)),
            escape(_values(c.values_b)),
            _prob(c.m_probability),
            _prob(c.u_probability),
            weight,
            f"{running:+.2f}",
        )
    water.add_row(
        "[bold]total[/]", f"p={e.match_probability:.4f}", "", "", "", "", "",
        f"[bold]{e.total_weight:+.2f}[/]",
    )  # fmt: skip
    water.add_row(
        "threshold", f"p≥{e.threshold:g}", "", "", "", "", "", f"{e.threshold_weight:+.2f}"
    )
    console.print(water)
    if e.path:
        steps = " → ".join([e.path[0].record_l, *(s.record_r for s in e.path)])
        console.print(f"path: {escape(steps)}")
    for o in e.overrides:
        console.print(f"override in force: {o.override_id} ({o.kind}) {escape(o.reason or '')}")
    colour = "green" if e.decision == "linked" else "yellow"
    console.print(f"[bold {colour}]{e.decision}[/]: {escape(e.reason)}")


def _cell(value: object) -> str:
    return "" if value is None else escape(str(value))


def _values(values: dict[str, str | None]) -> str:
    shown = [v for v in values.values() if v is not None]
    return shown[0] if shown else "∅"


def _prob(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


@resolve_app.command("merge")
@report_errors
def merge_command(
    ctx: typer.Context,
    refs: Annotated[
        list[str],
        typer.Argument(help="Two or more customer ids (cus_…) or source record ids to merge."),
    ],
    reason: Annotated[str | None, typer.Option(help="Why (kept with the override).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Merge customers (must-link): one customer from now on, through every re-run."""
    from cxloop.unify.corrections import merge_customers

    with _corrections(ctx) as (wh, options):
        result = merge_customers(wh, refs, actor=_actor(), reason=reason, options=options)
    _print_correction(result, json_output)


@resolve_app.command("split")
@report_errors
def split_command(
    ctx: typer.Context,
    records: Annotated[
        list[str],
        typer.Argument(help="Source record ids to split from the rest of their customer."),
    ],
    reason: Annotated[str | None, typer.Option(help="Why (kept with the override).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Split records off their customer (cannot-link): never joined again, through every re-run."""
    from cxloop.unify.corrections import split_records

    with _corrections(ctx) as (wh, options):
        result = split_records(wh, records, actor=_actor(), reason=reason, options=options)
    _print_correction(result, json_output)


@resolve_app.command("overrides")
@report_errors
def overrides_command(
    ctx: typer.Context,
    all_overrides: Annotated[
        bool, typer.Option("--all", help="Include removed overrides.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """List the analysts' merges and splits in force (with --all, removed ones too)."""
    from cxloop.cli.main import settings_from
    from cxloop.unify.overrides import list_overrides

    with open_project_warehouse(settings_from(ctx)) as wh:
        found = list_overrides(wh, include_removed=all_overrides)
    if json_output:
        print_json([o.model_dump(mode="json") for o in found])
        return
    table = Table(box=None)
    for column in ("id", "kind", "records", "apart", "by", "when", "reason", "removed"):
        table.add_column(column, no_wrap=column in ("id", "kind"))
    for o in found:
        table.add_row(
            o.override_id,
            o.kind,
            escape(", ".join(o.records)),
            escape(", ".join(o.apart)),
            escape(o.created_by),
            f"{o.created_at:%Y-%m-%d %H:%M}",
            escape(o.reason or ""),
            "" if o.removed_at is None else f"{o.removed_at:%Y-%m-%d %H:%M} {o.removed_by}",
        )
    console.print(table if found else "no overrides")


@resolve_app.command("unoverride")
@report_errors
def unoverride_command(
    ctx: typer.Context,
    override_id: Annotated[str, typer.Argument(help="The override (ovr_…) to remove.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept with the removal).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Remove a merge or split: its records are re-linked by their own links alone."""
    from cxloop.unify.corrections import remove_correction

    with _corrections(ctx) as (wh, options):
        result = remove_correction(wh, override_id, actor=_actor(), reason=reason, options=options)
    _print_correction(result, json_output)


@contextmanager
def _corrections(ctx: typer.Context) -> Iterator[tuple[Warehouse, ResolveOptions]]:
    from cxloop.cli.main import settings_from
    from cxloop.unify import ResolveOptions

    settings = settings_from(ctx)
    spinner = console.status("re-resolving…") if console.is_terminal else nullcontext()
    with open_project_warehouse(settings) as wh, spinner:
        yield wh, ResolveOptions.from_settings(settings)


def _print_correction(result: CorrectionResult, json_output: bool) -> None:
    if json_output:
        print_json(result)
        return
    o = result.override
    console.print(f"[bold]{o.override_id}[/] ({o.kind})")
    for record_id, customer_id in result.customers.items():
        console.print(f"  {escape(record_id)} → {customer_id}")
    if result.superseded:
        console.print(f"superseded: {', '.join(result.superseded)}")
    console.print(
        f"{result.report.customers:,} customers; "
        f"{result.report.records_resolved:,} records re-linked"
    )
