"""``cxloop text``: text analytics; here ``eval``, which scores a sentiment model on a file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError

if TYPE_CHECKING:
    from cxloop.understand.text.evaluation import EvaluationReport

text_app = typer.Typer(help="Text analytics: language, sentiment, themes, intent.")


class Backend(StrEnum):
    shipped = "shipped"
    transformers = "transformers"


@text_app.command("eval")
@report_errors
def eval_command(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="CSV or TSV with text, label (negative/neutral/positive or 0/1), "
            "and optional language columns.",
        ),
    ],
    backend: Annotated[
        Backend, typer.Option("--backend", help="shipped (default) or transformers.")
    ] = Backend.shipped,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="Folder of a local Hugging Face model (transformers)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score a sentiment model on a labelled file: accuracy and macro-F1, per language."""
    from cxloop.understand.text.evaluation import evaluate_sentiment, read_labelled
    from cxloop.understand.text.language import LinguaLanguageDetector
    from cxloop.understand.text.parts import SentimentPredictor

    labelled = read_labelled(data)
    predictor: SentimentPredictor
    if backend is Backend.transformers:
        if model is None:
            raise UsageError("--backend transformers needs --model PATH (a local model folder)")
        from cxloop.understand.text.transformer_backend import TransformerSentiment

        predictor = TransformerSentiment(model)
    else:
        if model is not None:
            raise UsageError("--model is for --backend transformers only")
        from cxloop.understand.text.sentiment import ShippedSentimentModel

        predictor = ShippedSentimentModel.load()
    report = evaluate_sentiment(
        labelled, predictor, LinguaLanguageDetector(), backend=backend.value
    )
    if json_output:
        print_json(report)
        return
    print_report(report)


def print_report(report: EvaluationReport) -> None:
    """Overall and per-language scores as one table."""
    kind = "binary (0/1: sign of the score)" if report.binary else "3-class"
    console.print(f"{escape(report.data)}: {report.n:,} texts, {kind}, backend {report.backend}")
    table = Table(box=None)
    table.add_column("language")
    table.add_column("n", justify="right")
    table.add_column("accuracy", justify="right")
    table.add_column("macro-F1", justify="right")
    for lang, s in report.per_language.items():
        table.add_row(escape(lang), f"{s.n:,}", f"{s.accuracy:.3f}", f"{s.macro_f1:.3f}")
    table.add_row("[bold]all[/]", f"{report.n:,}", f"[bold]{report.accuracy:.3f}[/]",
                  f"[bold]{report.macro_f1:.3f}[/]")  # fmt: skip
    console.print(table)
