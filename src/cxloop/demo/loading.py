"""Build the demo company and import it into a project's warehouse, as ``cxloop demo`` does."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, Field

from cxloop.collect.importer import ImportReport, import_file
from cxloop.collect.surveys import load_survey, load_surveys, sync_surveys
from cxloop.config import Settings
from cxloop.demo.case_work import DemoCases, run_demo_cases
from cxloop.demo.demo_actions import add_demo_actions, publish_demo_page
from cxloop.demo.demo_goals import write_demo_goals
from cxloop.demo.manifest import DemoSurveys, previous_start
from cxloop.demo.surveys import load_survey_funnel
from cxloop.demo.surveys import write_definition as write_demo_survey
from cxloop.demo.timeline import add_months, window_start
from cxloop.domain.churn import ChurnFitReport, ChurnScoreReport
from cxloop.errors import DataError
from cxloop.project import init_project, open_project_warehouse
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema
from cxloop.understand.churn import fit_churn, score_churn
from cxloop.understand.clv.scoring import ClvScoreReport, score_clv
from cxloop.understand.goals import sync_goals
from cxloop.understand.kpi.rollup import refresh_rollup
from cxloop.understand.segments.definitions import SEGMENTS_DIR
from cxloop.understand.text.analyse_feedback import (
    ProgressCallback,
    TextAnalysisReport,
    analyse_feedback,
)
from cxloop.understand.text.analyser import MissingTextPartError, default_analyser
from cxloop.unify import ResolveOptions, ResolveReport, resolve

DEMO_DATA_DIR = "demo_data"
#: how many months of activity the demo company has
DEMO_MONTHS = 18
#: the fixed window's first day, when no ``as_of`` date anchors the demo (tests rely on it)
DEMO_FIXED_START = date(2025, 1, 1)


class DemoResult(BaseModel):
    """What ``cxloop demo`` built and loaded, and what text analysis found in its comments."""

    project: str
    data_directory: str
    ground_truth: str
    customers: int
    seed: int
    imports: list[ImportReport]
    survey_responses_loaded: int = 0
    tables: dict[str, int]
    resolved: ResolveReport | None = None
    survey_responses: int = 0
    text: TextAnalysisReport | None = None
    text_skipped: str | None = None
    clv: ClvScoreReport | None = None
    clv_skipped: str | None = None
    churn: ChurnFitReport | None = None
    churn_scores: ChurnScoreReport | None = None
    churn_skipped: str | None = None
    segments: dict[str, int] | None = Field(
        default=None, description="Members of each demo segment after its refresh."
    )
    goals: int = 0
    cases: DemoCases | None = Field(
        default=None, description="Cases the demo's rules opened and their status at its end."
    )
    actions: int = Field(
        default=0, description='"You said, we did" actions added (none on a re-run).'
    )
    start: date = Field(description="The first day of the demo's activity.")
    end: date = Field(description="The day after the demo's last activity.")
    seconds: float


def run_demo(
    settings: Settings,
    *,
    customers: int = 20_000,
    seed: int = 0,
    on_file: Callable[[str, str], None] | None = None,
    resolve_identities: bool = True,
    on_resolve: Callable[[], None] | None = None,
    analyse_text: bool = True,
    on_text_progress: ProgressCallback | None = None,
    refresh_segments: bool = True,
    as_of: date | None = None,
) -> DemoResult:
    """Generate the demo company into ``<project>/demo_data``, import every file, resolve the
    source records into customers (``resolve_identities``, as ``cxloop resolve`` does),
    analyse the comments (``analyse_text``) into ``feedback_insights``, after resolving score
    every customer's lifetime value (as ``cxloop clv score`` does, once) and their churn risk
    (``cxloop churn fit`` and ``cxloop churn score``, once), then write the demo's segment
    definitions into ``<project>/segments`` (keeping files already there) and refresh their
    membership (``refresh_segments``; needs resolved identities), and store the demo's KPI goals
    (``goals.yaml``, see :mod:`cxloop.demo.demo_goals`) in ``kpi_goals``, and after resolving
    write the demo's case rules into ``<project>/rules``, replay them over the feedback and
    simulate the teams' work on the cases (:mod:`cxloop.demo.case_work`), record the demo's
    "you said, we did" actions and turn its public page on (:mod:`cxloop.demo.demo_actions`).

    The activity spans :data:`DEMO_MONTHS` months that end on ``as_of`` (``cxloop demo``
    passes the run date, so cases are due, at risk and overdue as of today); without it, the
    fixed window from :data:`DEMO_FIXED_START`. A re-run keeps the window of the first run
    (read from ``demo_data/manifest.json``), so it adds nothing: the same seed and window give
    the same data (imports and text analysis are incremental).
    """
    from cxloop.demo import generate_demo_company

    started = time.perf_counter()
    project = settings.project
    if not (project / "cxloop.toml").exists():
        init_project(project, warehouse_url=settings.warehouse)
    write_demo_survey(project)
    out = project / DEMO_DATA_DIR
    start = previous_start(out) or (
        window_start(as_of, DEMO_MONTHS) if as_of is not None else DEMO_FIXED_START
    )
    if out.exists():
        shutil.rmtree(out)
    manifest = generate_demo_company(
        out, customers=customers, seed=seed, start=start, months=DEMO_MONTHS
    )
    reports = []
    with open_project_warehouse(settings) as wh:
        for item in manifest.files:
            if on_file is not None:
                on_file(item.kind, Path(item.path).name)
            reports.append(
                import_file(
                    wh,
                    item.kind,
                    item.path,
                    source=item.source,
                    mapping=item.mapping,
                    id_column=item.id_column,
                    batch_rows=settings.import_batch_rows,
                    timezone=settings.timezone,
                )
            )
        refresh_rollup(wh)  # the survey KPIs' daily rollup, built over the feedback just loaded
        loaded = 0
        if manifest.surveys is not None:
            if on_file is not None:
                on_file("survey_responses", manifest.surveys.responses.name)
            loaded = load_survey_answers(wh, manifest.surveys)
        resolved = None
        if resolve_identities:
            if on_resolve is not None:
                on_resolve()
            resolved = resolve(wh, ResolveOptions.from_settings(settings))
        sync_surveys(wh, load_surveys(project))
        survey_responses = load_survey_funnel(wh, seed=seed)
        text, skipped = None, None
        if analyse_text:
            try:
                analyser = default_analyser(settings)
            except MissingTextPartError as exc:
                skipped = exc.message
            else:
                text = analyse_feedback(wh, analyser, on_progress=on_text_progress)
        clv, clv_skipped = None, None
        if resolve_identities and wh.counts()["customer_clv"] == 0:
            # scored once: a re-run loads no new orders, so the scores would not change
            try:
                clv = score_clv(wh)
            except DataError as exc:
                clv_skipped = exc.message
        churn, churn_scores, churn_skipped = None, None, None
        if resolve_identities and wh.counts()["customer_churn"] == 0:
            try:
                churn = fit_churn(wh, project)
                churn_scores = score_churn(wh, project)
            except DataError as exc:
                churn_skipped = exc.message
        segments = None
        if refresh_segments and resolve_identities:
            segments = _refresh_demo_segments(wh, settings)
        goals = sync_goals(wh, write_demo_goals(project, today=as_of))
        cases = run_demo_cases(wh, settings, seed=seed) if resolve_identities else None
        actions = add_demo_actions(wh, add_months(start, DEMO_MONTHS) - timedelta(days=1))
        publish_demo_page(project)
        tables = wh.counts()
    return DemoResult(
        project=str(project.resolve()),
        data_directory=str(out.resolve()),
        ground_truth=str(Path(manifest.ground_truth).resolve()),
        customers=customers,
        seed=seed,
        imports=reports,
        survey_responses_loaded=loaded,
        tables=tables,
        resolved=resolved,
        survey_responses=survey_responses,
        text=text,
        text_skipped=skipped,
        clv=clv,
        clv_skipped=clv_skipped,
        churn=churn,
        churn_scores=churn_scores,
        churn_skipped=churn_skipped,
        segments=segments,
        goals=goals,
        actions=actions,
        start=start,
        end=add_months(start, DEMO_MONTHS),
        cases=cases,
        seconds=round(time.perf_counter() - started, 2),
    )


def load_survey_answers(wh: Warehouse, surveys: DemoSurveys) -> int:
    """Store the demo's survey definitions (as ``cxloop survey sync`` does) and append their
    complete responses; return how many responses were new (a re-run adds none)."""
    definitions = {d.id: d for d in (load_survey(path) for path in surveys.definitions)}
    sync_surveys(wh, definitions)
    frame = pd.read_json(surveys.responses, lines=True, dtype=False)
    if frame.empty:
        return 0
    for column in ("ts", "started_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    columns = list(frame.columns)
    table = pa.Table.from_pandas(
        frame, schema=arrow_schema("survey_responses", columns), preserve_index=False
    )
    return wh.append("survey_responses", table).inserted


def demo_segment_files() -> dict[str, str]:
    """The demo's segment definitions, as file name → text."""
    folder = resources.files("cxloop") / "demo" / "segments"
    return {
        item.name: item.read_text(encoding="utf-8")
        for item in folder.iterdir()
        if item.name.endswith(".yaml")
    }


def _refresh_demo_segments(wh: Warehouse, settings: Settings) -> dict[str, int]:
    from cxloop.act.segment_refresh import refresh_segments

    folder = settings.project / SEGMENTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(demo_segment_files().items()):
        if not (folder / name).exists():
            (folder / name).write_text(text, encoding="utf-8")
    return {r.segment_id: r.members for r in refresh_segments(wh, settings)}


DEMO_ADMIN_EMAIL = "admin@demo.cxloop.dev"
DEMO_LOGIN_FILE = "demo_login.txt"


class DemoLogin(BaseModel):
    """The demo admin's sign-in, kept in ``<project>/demo_login.txt`` (readable by you only)."""

    email: str
    password: str


def ensure_demo_admin(settings: Settings) -> DemoLogin:
    """Create the demo admin on first use (random password), and return its login."""
    import os
    import secrets

    from cxloop.access.users import add_user, find_user

    path = settings.project / DEMO_LOGIN_FILE
    with open_project_warehouse(settings) as wh:
        exists = find_user(wh, email=DEMO_ADMIN_EMAIL) is not None
        if exists and path.is_file():
            email, password = path.read_text(encoding="utf-8").split()[:2]
            return DemoLogin(email=email, password=password)
        password = secrets.token_urlsafe(12)
        if exists:  # the login file was lost: give the account a new password
            from cxloop.access.secrets import hash_password

            wh.update(
                "users", "email", [DEMO_ADMIN_EMAIL], {"password_hash": hash_password(password)}
            )
        else:
            add_user(wh, DEMO_ADMIN_EMAIL, password, "admin", name="Demo admin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"{DEMO_ADMIN_EMAIL} {password}\n")
    return DemoLogin(email=DEMO_ADMIN_EMAIL, password=password)
