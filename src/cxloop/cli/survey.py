"""``cxloop survey``: list, validate, sync, and SurveyJS import/export of survey definitions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import NotFoundError, UsageError

survey_app = typer.Typer(
    help="Surveys: definitions in surveys/*.yaml, SurveyJS import and export.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def _summary(survey: object) -> dict[str, object]:
    from cxloop.collect.surveys import SurveyDefinition

    assert isinstance(survey, SurveyDefinition)
    return {
        "id": survey.id,
        "version": survey.version,
        "title": survey.name,
        "audience": survey.audience,
        "touchpoint": survey.touchpoint,
        "team": survey.team,
        "languages": survey.languages,
        "anonymous": survey.anonymous,
        "questions": len(survey.questions),
    }


@survey_app.command("list")
@report_errors
def list_command(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the project's surveys (surveys/*.yaml)."""
    from cxloop.cli.main import settings_from
    from cxloop.collect.surveys import load_surveys

    settings = settings_from(ctx)
    rows = [_summary(s) for s in load_surveys(settings.project).values()]
    if json_output:
        print_json(rows)
        return
    if not rows:
        console.print(f"no surveys in {escape(str(settings.project / 'surveys'))}")
        return
    table = Table("id", "version", "title", "audience", "touchpoint", "languages", "questions")
    for row in rows:
        table.add_row(
            *(escape(str(row[k] or "")) for k in ("id", "version", "title", "audience",
                                                   "touchpoint")),
            ", ".join(row["languages"]),  # type: ignore[arg-type]
            str(row["questions"]),
        )  # fmt: skip
    console.print(table)


@survey_app.command("validate")
@report_errors
def validate_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Definition files (default: every surveys/*.yaml of the project)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check survey definitions; the first mistake is reported as file:line: field: problem."""
    from cxloop.cli.main import settings_from
    from cxloop.collect.surveys import load_survey, load_surveys

    if files:
        surveys = [load_survey(path) for path in files]
    else:
        surveys = list(load_surveys(settings_from(ctx).project).values())
    ids = [s.id for s in surveys]
    if json_output:
        print_json({"valid": ids})
    else:
        console.print(f"{len(ids)} survey definition(s) valid: {escape(', '.join(ids))}")


@survey_app.command("sync")
@report_errors
def sync_command(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write the project's survey definitions into the warehouse's surveys table."""
    from cxloop.cli.main import settings_from
    from cxloop.collect.surveys import load_surveys, sync_surveys
    from cxloop.project import open_project_warehouse

    settings = settings_from(ctx)
    definitions = load_surveys(settings.project)
    with open_project_warehouse(settings) as wh:
        report = sync_surveys(wh, definitions)
    if json_output:
        print_json(report)
        return
    console.print(
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}"
    )


@survey_app.command("import-surveyjs")
@report_errors
def import_surveyjs_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A SurveyJS JSON file.")],
    survey_id: Annotated[
        str | None, typer.Option("--id", help="Survey id (default: from the file).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing surveys/<id>.yaml.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Import a SurveyJS JSON survey as surveys/<id>.yaml."""
    from cxloop.cli.main import settings_from
    from cxloop.collect.surveys import SurveyDefinition
    from cxloop.collect.surveys.definitions import survey_yaml
    from cxloop.collect.surveys.surveyjs import read_surveyjs

    settings = settings_from(ctx)
    survey = read_surveyjs(file)
    if survey_id is not None:
        survey = SurveyDefinition.model_validate({**survey.model_dump(), "id": survey_id})
    target = settings.project / "surveys" / f"{survey.id}.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} exists; pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(survey_yaml(survey), encoding="utf-8")
    if json_output:
        print_json({"survey": survey.id, "file": str(target), "questions": len(survey.questions)})
    else:
        console.print(f"wrote {escape(str(target))} ({len(survey.questions)} questions)")


@survey_app.command("export-surveyjs")
@report_errors
def export_surveyjs_command(
    ctx: typer.Context,
    survey_id: Annotated[str, typer.Argument(help="The survey id.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Print (or write) a survey as SurveyJS JSON."""
    from cxloop.cli.main import settings_from
    from cxloop.collect.surveys import load_surveys
    from cxloop.collect.surveys.surveyjs import to_surveyjs

    surveys = load_surveys(settings_from(ctx).project)
    if survey_id not in surveys:
        known = ", ".join(sorted(surveys)) or "none"
        raise NotFoundError(f"no survey {survey_id!r} in surveys/ (known: {known})")
    text = json.dumps(to_surveyjs(surveys[survey_id]), ensure_ascii=False, indent=2)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
