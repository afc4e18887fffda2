"""``cxloop drivers``: key drivers of an outcome by relative weights and Shapley values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.domain.drivers import DriverReport


def drivers_command(
    ctx: typer.Context,
    outcome: Annotated[
        str, typer.Option("--outcome", help="What to explain: nps, csat, ces or churn.")
    ] = "nps",
    drivers: Annotated[
        str | None,
        typer.Option(
            "--drivers",
            help="Comma-separated driver names (touchpoint:delivery,theme:billing,"
            "rating:SURVEY.QUESTION); default: every driver with enough data, at most 15.",
        ),
    ] = None,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", help="Bootstrap resamples for 95% intervals (0: none).")
    ] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 20_000,
    churn_days: Annotated[
        int, typer.Option("--churn-days", help="churn: days without an order that count.")
    ] = 180,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Which drivers (attribute ratings, themes, touchpoint CSAT) explain an outcome most:
    Johnson's relative weights and Shapley-value regression, with bootstrap intervals, and
    each driver's performance for the importance × performance quadrant."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.drivers import driver_report

    names = None
    if drivers is not None:
        names = [n.strip() for n in drivers.split(",") if n.strip()]
        if not names:
            raise UsageError("--drivers names no driver; give names separated by commas")
    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        report = driver_report(
            wh, outcome, drivers=names, bootstrap=bootstrap, seed=seed, churn_days=churn_days
        )
    if json_output:
        print_json(report)
        return
    print_drivers(report)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{low:.3f}–{high:.3f}"


def print_drivers(report: DriverReport) -> None:
    """The drivers as a Rich table, most important first."""
    r2 = f"R² = {report.r2:.3f}"
    if report.r2_ci_low is not None:
        r2 += f" ({_interval(report.r2_ci_low, report.r2_ci_high)})"
    title = f"key drivers of {report.outcome} ({report.model}, n = {report.n}, {r2})"
    table = Table(title=escape(title), title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False)  # fmt: skip
    table.add_column("#", justify="right", no_wrap=True, min_width=2)
    table.add_column("driver", no_wrap=True)
    for label in ("n", "Shapley", "95% CI", "weight", "perf."):
        table.add_column(label, justify="right", no_wrap=True)
    for d in report.drivers:
        table.add_row(
            str(d.rank), f"{escape(d.name)} {'+' if d.correlation >= 0 else '−'}", str(d.n),
            f"{d.shapley:.3f}",
            _interval(d.shapley_ci_low, d.shapley_ci_high), f"{d.relative_weight:.3f}",
            _share(d.performance),
        )  # fmt: skip
    console.print(table)
    console.print(
        "+/−: the direction of the driver's correlation with the outcome. Shapley: average "
        "gain in R² over all orderings (LMG); weight: Johnson's relative weight (its interval "
        "is in --json); both sum to R². perf.: share satisfied (themes: mentions not negative)."
    )
    if report.left_out:
        names = ", ".join(f"{d.name} ({d.reason}, n={d.n})" for d in report.left_out)
        console.print(f"left out: {escape(names)}")
    if report.bootstrap:
        console.print(f"intervals: {report.bootstrap} bootstrap resamples, seed {report.seed}")
