"""``cxloop churn fit`` and ``cxloop churn score``: churn risk with reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.domain.churn import ChurnFitReport

churn_app = typer.Typer(
    help="Churn risk: a calibrated model validated out of time, and reasons per customer.",
    no_args_is_help=True,
)


@churn_app.command("fit")
@report_errors
def fit_command(
    ctx: typer.Context,
    horizon_days: Annotated[
        int,
        typer.Option("--horizon-days", help="Churn = no purchase within this many days."),
    ] = 90,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Last day of data to use, YYYY-MM-DD (default: the last order's day)."
        ),
    ] = None,
    active_days: Annotated[
        int,
        typer.Option(
            "--active-days", help="Customers count when they bought within this many days."
        ),
    ] = 365,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Validate a churn model on a later cutoff (AUC, Brier, reliability, recency baseline),
    fit it on the latest labels and store it."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.churn.fitting import check_churn_options, fit_churn
    from cxloop.understand.clv.input_files import parse_day

    check_churn_options(horizon_days, active_days)
    day = parse_day(as_of, "--as-of") if as_of else None
    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        report = fit_churn(
            wh, settings.project, horizon_days=horizon_days, as_of=day, active_days=active_days
        )
    if json_output:
        print_json(report)
        return
    print_fit(report)


def print_fit(report: ChurnFitReport) -> None:
    """The validation figures and the reliability table."""
    v = report.validation
    console.print(
        f"model {report.model_id}: churn = no purchase within {report.horizon_days} days; "
        f"fitted on {report.train_rows:,} rows (cutoffs "
        f"{', '.join(str(c) for c in report.train_cutoffs)}) in {report.fit_seconds:.1f} s"
    )
    title = f"trained up to {v.train_cutoff}, validated at {v.validation_cutoff}"
    metrics = Table("out-of-time check", "AUC", "Brier", "customers", "churn rate", title=title)
    for name, m in (("model", v.model), ("recency only", v.recency_baseline)):
        metrics.add_row(name, f"{m.auc:.3f}", f"{m.brier:.3f}", f"{m.customers:,}",
                        f"{m.churn_rate:.1%}")  # fmt: skip
    console.print(metrics)
    bins = Table("decile", "customers", "predicted", "observed", title="reliability")
    for b in v.reliability:
        bins.add_row(str(b.decile), f"{b.customers:,}", f"{b.predicted:.1%}", f"{b.observed:.1%}")
    console.print(bins)
    ranked = sorted(v.importance.items(), key=lambda item: -item[1])
    console.print("AUC lost when a feature group is shuffled: "
                  + ", ".join(f"{g} {d:+.3f}" for g, d in ranked))  # fmt: skip
    console.print(f"largest calibration gap {v.max_calibration_gap:.1%}; "
                  f"model file {escape(report.model_file)}")  # fmt: skip


@churn_app.command("score")
@report_errors
def score_command(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score every active customer with the latest model and store risk and reasons
    (replacing the previous scores)."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.churn.scoring import score_churn

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        report = score_churn(wh, settings.project)
    if json_output:
        print_json(report)
        return
    console.print(
        f"scored {report.customers:,} customers on data up to {report.cutoff} with model "
        f"{report.model_id} in {report.seconds:.1f} s: mean risk {report.mean_risk:.1%}, "
        f"{report.high_risk:,} at 50% or more; see cxloop profile or a customer's page"
    )
