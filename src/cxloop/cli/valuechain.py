"""``cxloop valuechain fit`` (a PLS path model on a file) and ``cxloop valuechain run`` (the
employee → customer chain on the warehouse)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.kpi import _date
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.domain.valuechain import ValueChainFit, ValueChainRun

valuechain_app = typer.Typer(
    help="The value chain: PLS path models, employee engagement → customer outcomes.",
    no_args_is_help=True,
)
SCHEMES = ("centroid", "factorial", "path")

BootstrapOption = Annotated[
    int | None,
    typer.Option("--bootstrap", help="Bootstrap resamples for 95% intervals (0: none)."),
]
SeedOption = Annotated[int | None, typer.Option("--seed", help="Seed of the bootstrap.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@valuechain_app.command("fit")
@report_errors
def fit_command(
    data: Annotated[
        Path, typer.Option("--data", dir_okay=False, help="Cases: CSV, TSV or Parquet.")
    ],
    model: Annotated[
        Path, typer.Option("--model", dir_okay=False, help="Model file: blocks, modes, paths.")
    ],
    scheme: Annotated[
        str, typer.Option("--scheme", help="Inner weighting: centroid, factorial or path.")
    ] = "path",
    bootstrap: BootstrapOption = None,
    seed: SeedOption = None,
    json_output: JsonOption = False,
) -> None:
    """Fit a PLS path model (standardised indicators, Mode A or B blocks) on a file."""
    from cxloop.understand.valuechain import fit_value_chain, load_model_file, read_case_file

    if scheme not in SCHEMES:
        raise UsageError(f"--scheme {scheme!r}: expected one of {', '.join(SCHEMES)}")
    resamples = 0 if bootstrap is None else bootstrap
    if resamples < 0 or resamples == 1:
        raise UsageError(f"--bootstrap {resamples}: use 0 (no intervals) or at least 2")
    frame = read_case_file(data)
    spec = load_model_file(model, columns=frame.columns)
    fit = fit_value_chain(frame, spec, scheme=scheme, bootstrap_resamples=resamples,  # type: ignore[arg-type]
                          seed=seed or 0)  # fmt: skip
    if json_output:
        print_json(fit)
        return
    print_fit(fit)


@valuechain_app.command("run")
@report_errors
def run_command(
    ctx: typer.Context,
    bootstrap: BootstrapOption = None,
    seed: SeedOption = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First day (YYYY-MM-DD), included.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day (YYYY-MM-DD), excluded.")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Fit the project's valuechain.yaml on the warehouse: team engagement → service quality →
    satisfaction → loyalty → revenue, one case per team and quarter."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.valuechain import CHAIN_FILE, load_chain_file, value_chain_run

    if bootstrap is not None and (bootstrap < 0 or bootstrap == 1):
        raise UsageError(f"--bootstrap {bootstrap}: use 0 (no intervals) or at least 2")
    settings = settings_from(ctx)
    chain = load_chain_file(Path(settings.project) / CHAIN_FILE)
    start, end = _date(since, "--since"), _date(until, "--until")
    with open_project_warehouse(settings) as wh:
        result = value_chain_run(wh, chain, bootstrap_resamples=bootstrap, seed=seed,
                                 since=start, until=end)  # fmt: skip
    if json_output:
        print_json(result)
        return
    print_run(result)


def _interval(low: float | None, high: float | None) -> str:
    return "—" if low is None or high is None else f"{low:.3f} to {high:.3f}"


def print_fit(fit: ValueChainFit) -> None:
    """Paths, R² and GoF as Rich tables."""
    table = Table(title=f"path coefficients ({fit.scheme} scheme, n={fit.n})", title_justify="left")
    for label in ("from", "to", "coef", "95% interval", "total effect"):
        table.add_column(label, justify="right" if label != "from" and label != "to" else "left")
    totals = {(e.source, e.target): e.coef for e in fit.total_effects}
    for p in fit.paths:
        total = totals.get((p.source, p.target), 0.0)
        table.add_row(escape(p.source), escape(p.target), f"{p.coef:.3f}",
                      _interval(p.ci_low, p.ci_high), f"{total:.3f}")  # fmt: skip
    console.print(table)
    blocks = Table(title="constructs", title_justify="left")
    for label in ("construct", "mode", "R²", "communality", "redundancy"):
        blocks.add_column(label, justify="left" if label in ("construct", "mode") else "right")
    for c in fit.constructs:
        r2 = "—" if c.r2 is None else f"{c.r2:.3f}"
        blocks.add_row(escape(c.name), c.mode, r2, f"{c.communality:.3f}", f"{c.redundancy:.3f}")
    console.print(blocks)
    tail = f" · {fit.bootstrap} bootstrap resamples, seed {fit.seed}" if fit.bootstrap else ""
    console.print(f"GoF {fit.gof:.3f} · {fit.iterations} iterations{tail}")


def print_run(result: ValueChainRun) -> None:
    """The chain's fit and what engagement explains of each customer outcome."""
    console.print(
        f"{result.cases} cases ({result.unit}; {result.teams} teams, {result.periods} periods, "
        f"{result.since} to {result.until})"
        + (" · team means removed" if result.within_team else "")
    )
    print_fit(result.fit)
    table = Table(title=f"what {result.engagement} explains", title_justify="left")
    for label in ("outcome", "total effect", "95% interval", "variance explained"):
        table.add_column(label, justify="left" if label == "outcome" else "right")
    for o in result.outcomes:
        table.add_row(escape(o.outcome), f"{o.total_effect:.3f}", _interval(o.ci_low, o.ci_high),
                      f"{100 * o.explained_share:.1f}%")  # fmt: skip
    console.print(table)
