"""Writing survey definitions into the warehouse's ``surveys`` table."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa
from pydantic import BaseModel

from cxloop.collect.surveys.definitions import SurveyDefinition
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema

COLUMNS = ["survey_id", "name", "version", "definition", "created_at"]


class SyncReport(BaseModel):
    """What :func:`sync_surveys` did, by survey id."""

    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []


def definition_json(survey: SurveyDefinition) -> str:
    """The definition as stored in ``surveys.definition`` (stable key order)."""
    return json.dumps(survey.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def sync_surveys(
    warehouse: Warehouse,
    definitions: dict[str, SurveyDefinition],
    *,
    now: datetime | None = None,
) -> SyncReport:
    """Write each definition into ``surveys``; idempotent per (id, version).

    A survey already stored with the same version and definition is left alone; a new
    version (or an edited definition) replaces the stored row.
    """
    report = SyncReport()
    if not definitions:
        return report
    table = warehouse.table("surveys")
    stored = warehouse.to_pandas(
        table.filter(table.survey_id.isin(list(definitions))).select(
            "survey_id", "version", "definition"
        )
    )
    known = {
        row.survey_id: (int(row.version), row.definition) for row in stored.itertuples(index=False)
    }
    when = now or datetime.now(UTC)
    rows: list[dict[str, object]] = []
    for survey_id, survey in sorted(definitions.items()):
        document = definition_json(survey)
        before = known.get(survey_id)
        if before == (survey.version, document):
            report.unchanged.append(survey_id)
            continue
        (report.updated if before else report.added).append(survey_id)
        rows.append(
            {
                "survey_id": survey_id,
                "name": survey.name,
                "version": survey.version,
                "definition": document,
                "created_at": when,
            }
        )
    if rows:
        warehouse.replace(
            "surveys", pa.Table.from_pylist(rows, schema=arrow_schema("surveys", COLUMNS))
        )
    return report


def stored_surveys(warehouse: Warehouse) -> dict[str, SurveyDefinition]:
    """The definitions held in the warehouse's ``surveys`` table, by id (rows that no
    longer validate are skipped)."""
    frame = warehouse.to_pandas(warehouse.table("surveys").select("survey_id", "definition"))
    out: dict[str, SurveyDefinition] = {}
    for row in frame.itertuples(index=False):
        try:
            out[row.survey_id] = SurveyDefinition.model_validate_json(row.definition)
        except ValueError:
            continue
    return out
