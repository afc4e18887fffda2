"""``cxloop clv fit`` and ``cxloop clv score``: customer lifetime value (BG/NBD + Gamma-Gamma)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.domain.clv import ClvFitReport
    from cxloop.understand.clv.scoring import ClvScoreReport

clv_app = typer.Typer(help="Customer lifetime value: BG/NBD + Gamma-Gamma.", no_args_is_help=True)

TimeUnitOption = Annotated[
    str, typer.Option("--time-unit", help="D (days) or W (weeks): the unit of recency and T.")
]


def _unit(value: str) -> str:
    unit = value.upper()
    if unit not in ("D", "W"):
        raise UsageError(f"--time-unit {value!r}: use D (days) or W (weeks)")
    return unit


@clv_app.command("fit")
@report_errors
def fit_command(
    transactions: Annotated[
        Path | None,
        typer.Option(
            "--transactions",
            dir_okay=False,
            help="Transactions file (CSV, TSV, "
            "whitespace-separated with a header line, or Parquet).",
        ),
    ] = None,
    customer_col: Annotated[
        str | None, typer.Option("--customer-col", help="Column of the customer id.")
    ] = None,
    date_col: Annotated[
        str | None, typer.Option("--date-col", help="Column of the purchase date or time.")
    ] = None,
    amount_col: Annotated[
        str | None,
        typer.Option("--amount-col", help="Column of the amount (fits Gamma-Gamma too)."),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            "--date-format", help="strftime format of the dates, e.g. %Y%m%d (default: ISO 8601)."
        ),
    ] = None,
    calibration_end: Annotated[
        str | None,
        typer.Option(
            "--calibration-end",
            help="Last day of calibration, YYYY-MM-DD (default: the last transaction's day).",
        ),
    ] = None,
    time_unit: TimeUnitOption = "D",
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            dir_okay=False,
            help="Summary file instead: frequency, recency, T and optionally monetary_value.",
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fit BG/NBD (and Gamma-Gamma, given amounts) by maximum likelihood on a file."""
    from cxloop.understand.clv.fitting import fit_clv_summary_file, fit_clv_transactions_file
    from cxloop.understand.clv.input_files import parse_day

    unit = _unit(time_unit)
    if (transactions is None) == (summary is None):
        raise UsageError("give either --transactions FILE or --summary FILE")
    if summary is not None:
        extra = [name for name, value in (
            ("--customer-col", customer_col), ("--date-col", date_col),
            ("--amount-col", amount_col), ("--date-format", date_format),
            ("--calibration-end", calibration_end)) if value is not None]  # fmt: skip
        if extra:
            raise UsageError(f"{', '.join(extra)} only go with --transactions, not --summary")
        models = fit_clv_summary_file(summary, time_unit=unit)  # type: ignore[arg-type]
    else:
        if customer_col is None or date_col is None:
            raise UsageError("--transactions needs --customer-col and --date-col")
        end = parse_day(calibration_end, "--calibration-end") if calibration_end else None
        models = fit_clv_transactions_file(
            transactions,  # type: ignore[arg-type]
            customer_col=customer_col, date_col=date_col, amount_col=amount_col,
            date_format=date_format, calibration_end=end, time_unit=unit,  # type: ignore[arg-type]
        )  # fmt: skip
    report = models.report()
    if json_output:
        print_json(report.model_dump(mode="json"))
        return
    print_fit(report)


def print_fit(report: ClvFitReport) -> None:
    """The parameters with their standard errors, as a Rich table."""
    table = Table("model", "parameter", "estimate", "std. error", title="CLV model fit")
    fits: list[tuple[str, dict[str, float], dict[str, float | None]]] = [
        ("BG/NBD", report.bgnbd.model_dump(include={"r", "alpha", "a", "b"}),
         report.bgnbd.standard_errors),
    ]  # fmt: skip
    if report.gamma_gamma is not None:
        gg = report.gamma_gamma
        fits.append(("Gamma-Gamma", gg.model_dump(include={"p", "q", "gamma"}),
                     gg.standard_errors))  # fmt: skip
    for model, params, errors in fits:
        for name, value in params.items():
            error = errors.get(name)
            table.add_row(model, name, f"{value:.4f}", "—" if error is None else f"{error:.4f}")
    console.print(table)
    console.print(
        f"{report.customers:,} customers, {report.repeat_customers:,} with repeat purchases; "
        f"time unit {report.time_unit}; BG/NBD log-likelihood {report.bgnbd.log_likelihood:,.2f}"
    )


@clv_app.command("score")
@report_errors
def score_command(
    ctx: typer.Context,
    horizon_months: Annotated[
        int, typer.Option("--horizon-months", help="CLV horizon in months.")
    ] = 12,
    discount_rate: Annotated[
        float, typer.Option("--discount-rate", help="Discount rate per month.")
    ] = 0.01,
    calibration_end: Annotated[
        str | None,
        typer.Option(
            "--calibration-end",
            help="Fit on orders up to this day, YYYY-MM-DD (default: the last order's day).",
        ),
    ] = None,
    time_unit: TimeUnitOption = "D",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fit on the warehouse's orders and store each customer's CLV, P(alive) and expected
    purchases (replacing the previous scores)."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.clv.input_files import parse_day
    from cxloop.understand.clv.scoring import score_clv

    unit = _unit(time_unit)
    end = parse_day(calibration_end, "--calibration-end") if calibration_end else None
    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        report = score_clv(
            wh, horizon_months=horizon_months, discount_rate=discount_rate,
            calibration_end=end, time_unit=unit,  # type: ignore[arg-type]
        )  # fmt: skip
    if json_output:
        print_json(report)
        return
    print_score(report)


def print_score(report: ClvScoreReport) -> None:
    """What was scored, as a few lines and a table of totals."""
    b = report.bgnbd
    console.print(
        f"scored {report.customers:,} customers ({report.repeat_customers:,} repeat buyers) "
        f"on orders up to {report.calibration_end}; model {report.model_id}, "
        f"fitted in {report.fit_seconds:.2f} s"
    )
    console.print(f"BG/NBD r={b.r:.4f} alpha={b.alpha:.4f} a={b.a:.4f} b={b.b:.4f} "
                  f"(time unit {report.time_unit})")  # fmt: skip
    table = Table("currency", "p", "q", "gamma", "repeat buyers",
                  f"CLV, {report.horizon_months} months", title="spend models")  # fmt: skip
    for gg in report.gamma_gamma:
        total = report.total_clv.get(gg.currency or "", 0.0)
        table.add_row(gg.currency or "—", f"{gg.p:.3f}", f"{gg.q:.3f}", f"{gg.gamma:.3f}",
                      f"{gg.customers:,}", f"{total:,.2f}")  # fmt: skip
    console.print(table)
    if report.currencies_without_spend_model:
        console.print(
            "no spend model (too few repeat buyers) for: "
            + ", ".join(report.currencies_without_spend_model)
        )
