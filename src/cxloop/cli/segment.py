"""``cxloop segment list|show|refresh|export``: the project's segments and their members."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

segment_app = typer.Typer(
    help="Segments from segments/*.yaml: list, show, refresh membership, export members.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
EXPORT_FORMATS = ("csv", "parquet")


@segment_app.command("list")
@report_errors
def list_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Every segment with its current member count and last change."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.segments import load_segments, summaries

    settings = settings_from(ctx)
    definitions = [d for d, _ in load_segments(settings.project)]
    with open_project_warehouse(settings) as wh:
        rows = summaries(wh, definitions)
    if json_output:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table(title="segments", title_justify="left")
    for label in ("id", "name", "members", "last change", "rule"):
        table.add_column(label, justify="right" if label == "members" else "left")
    for r in rows:
        changed = r.last_refreshed.strftime("%Y-%m-%d %H:%M") if r.last_refreshed else "—"
        rule = r.rule if r.rule is not None else f"a list of {r.listed or 0:,} customers"
        table.add_row(escape(r.id), escape(r.name), f"{r.members:,}", changed, escape(rule))
    console.print(table)
    if not rows:
        console.print(f"no segments in {escape(str(settings.project / 'segments'))}")


@segment_app.command("show")
@report_errors
def show_command(
    ctx: typer.Context,
    segment_id: Annotated[str, typer.Argument(metavar="ID", help="The segment's id.")],
    json_output: JsonOption = False,
) -> None:
    """A segment's definition, member count and history of entries and exits."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.segments import find_segment, segment_detail

    settings = settings_from(ctx)
    definition, _ = find_segment(settings.project, segment_id)
    with open_project_warehouse(settings) as wh:
        detail = segment_detail(wh, definition)
    if json_output:
        print_json(detail)
        return
    console.print(f"[bold]{escape(detail.name)}[/] ({escape(detail.id)})")
    if detail.description:
        console.print(escape(detail.description))
    if detail.rule is not None:
        console.print(f"rule: {escape(detail.rule)}")
    else:
        console.print(f"a list of {detail.listed or 0:,} customers")
    console.print(f"members: {detail.members:,}")
    table = Table(title="history", title_justify="left")
    for label in ("refreshed", "entered", "left"):
        table.add_column(label, justify="left" if label == "refreshed" else "right")
    for change in detail.history:
        table.add_row(change.ts.strftime("%Y-%m-%d %H:%M:%S"), f"{change.entered:,}",
                      f"{change.left:,}")  # fmt: skip
    console.print(table)


@segment_app.command("refresh")
@report_errors
def refresh_command(
    ctx: typer.Context,
    segment_ids: Annotated[
        list[str] | None, typer.Argument(metavar="[ID]...", help="Segments (default: all).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Bring membership up to date; record who entered and left; call the webhooks."""
    from cxloop.act.segment_refresh import refresh_segments
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        results = refresh_segments(wh, settings, ids=segment_ids or None, environ=os.environ)
    if json_output:
        print_json(
            [r.model_dump(mode="json", exclude={"entered", "left"})
             | {"entered": len(r.entered), "left": len(r.left)} for r in results]
        )  # fmt: skip
        return
    table = Table(title="segment refresh", title_justify="left")
    for label in ("id", "members", "entered", "left", "webhook"):
        table.add_column(label, justify="left" if label in ("id", "webhook") else "right")
    for r in results:
        table.add_row(escape(r.segment_id), f"{r.members:,}", f"{len(r.entered):,}",
                      f"{len(r.left):,}", r.webhook or "—")  # fmt: skip
    console.print(table)
    if results:
        console.print(f"as of {results[0].as_of:%Y-%m-%d %H:%M:%S} UTC")


@segment_app.command("export")
@report_errors
def export_command(
    ctx: typer.Context,
    segment_id: Annotated[str, typer.Argument(metavar="ID", help="The segment's id.")],
    format: Annotated[str, typer.Option("--format", "-f", help="csv or parquet.")] = "csv",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", dir_okay=False, help="File (default: stdout).")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="With --out: print what was written as JSON.")
    ] = False,
) -> None:
    """Current members (customer_id, entered_at) as CSV or Parquet."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from cxloop.cli.main import settings_from
    from cxloop.understand.segments import find_segment, members_expr

    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown --format {format!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    if out is None and format == "parquet":
        raise UsageError("Parquet is binary: give --out FILE")
    if out is None and json_output:
        raise UsageError("--json prints the report of a file export: give --out FILE")
    if out is not None and not out.parent.is_dir():
        raise UsageError(f"--out: folder {out.parent} does not exist")
    settings = settings_from(ctx)
    find_segment(settings.project, segment_id)
    with open_project_warehouse(settings) as wh:
        data = wh.to_pyarrow(members_expr(wh, segment_id))
    if out is None:
        pacsv.write_csv(data, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    temporary = out.with_name(f".{out.name}.partial")
    if format == "csv":
        pacsv.write_csv(data, temporary)
    else:
        pq.write_table(data, temporary)
    os.replace(temporary, out)
    report = {"segment": segment_id, "format": format, "rows": data.num_rows, "path": str(out)}
    if json_output:
        print_json(report)
    else:
        console.print(f"wrote {data.num_rows:,} members of {escape(segment_id)} to "
                      f"{escape(str(out))} ({format})")  # fmt: skip


@segment_app.command("stages")
@report_errors
def stages_command(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Option("--kind", help="ladder (loyalty ladder) or lifecycle.")
    ] = "ladder",
    months: Annotated[
        int, typer.Option("--months", min=2, max=60, help="Monthly snapshots to take.")
    ] = 12,
    json_output: JsonOption = False,
) -> None:
    """Ladder rungs or lifecycle stages at the start of each month, and the moves between them."""
    from cxloop.cli.main import settings_from
    from cxloop.share.segments_overview import stage_history
    from cxloop.understand.segments.options import SegmentOptions, reference_moment

    if kind not in ("ladder", "lifecycle"):
        raise UsageError(f"unknown --kind {kind!r}: choose ladder or lifecycle")
    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        options = SegmentOptions.from_settings(
            settings, reference_moment(wh, settings.segments_as_of)
        )
        history = stage_history(wh, options, kind, months)  # type: ignore[arg-type]
    if json_output:
        print_json(
            {
                "kind": kind,
                "as_of": options.as_of.isoformat(),
                "snapshots": history.distribution.to_dict(orient="records"),
                "transitions": history.transitions.to_dict(orient="records"),
            }
        )
        return
    table = Table(title=f"{kind} at the start of each month", title_justify="left")
    table.add_column("snapshot")
    for stage in history.stages:
        table.add_column(stage, justify="right")
    dist = history.distribution
    for snapshot in sorted(set(dist["snapshot"])):
        counts = dist[dist["snapshot"] == snapshot].set_index("stage")["customers"]
        table.add_row(str(snapshot), *(f"{int(counts.get(s, 0)):,}" for s in history.stages))
    console.print(table)
    moves = Table(title="moves since the month before", title_justify="left")
    for label in ("from", "to", "customers"):
        moves.add_column(label, justify="right" if label == "customers" else "left")
    for source, target, count in history.latest_moves():
        moves.add_row(source, target, f"{count:,}")
    console.print(moves)
