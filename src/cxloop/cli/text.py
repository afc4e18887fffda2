"""``cxloop text``: analyse the voice of the customer, its themes; score a sentiment model."""

from __future__ import annotations

from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.understand.text.analyse_feedback import TextAnalysisReport
    from cxloop.understand.text.discovery import DiscoveredTheme
    from cxloop.understand.text.evaluation import EvaluationReport
    from cxloop.understand.text.theme_counts import ThemeSummary

text_app = typer.Typer(
    help="Text analytics: language, sentiment, intent, themes and redaction of feedback.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@text_app.command("analyze")
@report_errors
def analyze_command(
    ctx: typer.Context,
    full: Annotated[
        bool, typer.Option("--full", help="Analyse all feedback again, not only the new.")
    ] = False,
    backend: Annotated[
        str | None,
        typer.Option(help="Sentiment backend: shipped or transformers (default: text_backend)."),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="With --backend transformers: a local Hugging Face model directory."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Analyse feedback with text that has no insight yet (language, sentiment, intent,
    themes, redacted copy) into feedback_insights."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.text.analyse_feedback import analyse_feedback
    from cxloop.understand.text.analyser import default_analyser

    settings = settings_from(ctx)
    show = not json_output and console.is_terminal
    progress = Progress(
        TextColumn("analysing feedback"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not show,
    )
    with open_project_warehouse(settings) as wh:  # first: a busy warehouse fails fast
        with console.status("loading the text models…") if show else nullcontext():
            analyser = default_analyser(settings, backend=backend, model=model)
        with progress:
            task = progress.add_task("analyse", total=None)
            report = analyse_feedback(
                wh,
                analyser,
                full=full,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    if json_output:
        print_json(report.model_dump(mode="json") | {"texts_per_second": report.texts_per_second})
        return
    print_analysis(report)


def print_analysis(report: TextAnalysisReport) -> None:
    """Rows analysed, then their counts by language, sentiment and intent."""
    head = Table(box=None, show_header=False)
    head.add_row("rows analysed", f"[bold]{report.analysed:,}[/]")
    if report.retagged:
        head.add_row("themes re-tagged", f"{report.retagged:,} (taxonomy changed)")
    head.add_row("mode", report.mode)
    head.add_row("analyser", escape(report.analyser))
    rate = f" ({report.texts_per_second:,.0f} texts/s)" if report.analysed else ""
    head.add_row("time", f"{report.seconds:.2f} s{rate}")
    console.print(head)
    if not report.analysed:
        if not report.retagged:
            console.print("nothing to analyse: every piece of feedback with text has its insight")
        return
    for title, counts in (
        ("language", report.languages),
        ("sentiment", report.sentiments),
        ("intent", report.intents),
    ):
        table = Table(title, "rows", "share", title_justify="left", box=None)
        for column in table.columns[1:]:
            column.justify = "right"
        for key, n in counts.items():
            table.add_row(escape(key), f"{n:,}", f"{n / report.analysed:.1%}")
        console.print(table)


@text_app.command("themes")
@report_errors
def themes_command(
    ctx: typer.Context,
    discover: Annotated[
        bool,
        typer.Option(
            "--discover", help="Find candidate new themes among feedback that matches none."
        ),
    ] = False,
    limit: Annotated[
        int,
        typer.Option(min=1, help="With --discover: uncovered comments to look at, newest first."),
    ] = 20_000,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Themes of the analysed feedback, counted by language and by sentiment; with
    --discover, candidate new themes to promote into the taxonomy."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.text.theme_counts import theme_counts

    settings = settings_from(ctx)
    if discover:
        from cxloop.understand.text.feedback_themes import discover_feedback_themes

        show = not json_output and console.is_terminal
        with (
            open_project_warehouse(settings) as wh,
            console.status("discovering themes…") if show else nullcontext(),
        ):
            found = discover_feedback_themes(wh, settings.project, limit=limit)
        if json_output:
            print_json([t.model_dump(mode="json") for t in found])
            return
        print_discovered(found)
        return
    with open_project_warehouse(settings) as wh:
        summary = theme_counts(wh)
    if json_output:
        print_json(summary.model_dump(mode="json") | {"totals": summary.totals()})
        return
    print_themes(summary)


def print_discovered(found: list[DiscoveredTheme]) -> None:
    """Each candidate theme: id, language, label, size, top terms and example comments."""
    if not found:
        console.print("no new themes: too few comments match no theme")
        return
    for t in found:
        console.print(
            f"[bold]{escape(t.id)}[/] ({t.language}) {escape(t.label)}: "
            f"{t.size:,} comments, {t.share:.0%} of the uncovered"
        )
        console.print(f"  terms: {escape(', '.join(t.terms))}", soft_wrap=True)
        for example in t.examples:
            console.print(f"  “{escape(example)}”", soft_wrap=True)
    console.print("promote one into the taxonomy with [bold]cxloop text promote ID[/]")


@text_app.command("promote")
@report_errors
def promote_command(
    ctx: typer.Context,
    discovered_id: Annotated[
        str, typer.Argument(help="The id of a theme that cxloop text themes --discover found.")
    ],
    theme_id: Annotated[
        str | None, typer.Option("--id", help="Id to give it in the taxonomy.")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Label to give it.")] = None,
    keyword: Annotated[
        list[str] | None,
        typer.Option("--keyword", "-k", help="A keyword (repeat it); default: the top terms."),
    ] = None,
    extend: Annotated[
        bool, typer.Option("--extend", help="Add the keywords to the existing theme --id.")
    ] = False,
    language: Annotated[
        str | None,
        typer.Option(help="Taxonomy file to write (needed for a theme of undetermined language)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Promote a discovered theme into the project's themes/<language>.yaml."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.text.feedback_themes import promote_feedback_theme

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        promoted = promote_feedback_theme(
            wh,
            settings.project,
            discovered_id,
            theme_id=theme_id,
            label=label,
            keywords=keyword or None,
            extend=extend,
            language=language,
        )
    if json_output:
        print_json(promoted.model_dump(mode="json"))
        return
    console.print(
        f"[bold]{escape(promoted.theme_id)}[/] ({promoted.language}) "
        f"{'extended' if promoted.extend else 'added'} in {escape(str(promoted.path))}: "
        f"{escape(', '.join(promoted.keywords))}\n"
        "run [bold]cxloop text analyze[/] to tag the feedback with it"
    )


def print_themes(summary: ThemeSummary) -> None:
    """One row per theme: total, per language, per sentiment and the negative share."""
    if not summary.analysed:
        console.print("no analysed feedback yet: run [bold]cxloop text analyze[/] first")
        return
    languages = sorted({c.language for c in summary.counts})
    sentiments = ("negative", "neutral", "positive")
    table = Table("theme", "feedback", *languages, *sentiments, "negative share", box=None)
    for column in table.columns[1:]:
        column.justify = "right"
    for theme, total in summary.totals().items():
        per_language = summary.by(theme, "language")
        per_sentiment = summary.by(theme, "sentiment")
        table.add_row(
            escape(theme),
            f"{total:,}",
            *(f"{per_language.get(lang, 0):,}" for lang in languages),
            *(f"{per_sentiment.get(s, 0):,}" for s in sentiments),
            f"{per_sentiment.get('negative', 0) / total:.0%}",
        )
    console.print(table)
    console.print(
        f"{summary.analysed:,} pieces of feedback analysed; {summary.uncovered:,} "
        f"({summary.uncovered / summary.analysed:.0%}) match no theme"
    )


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
