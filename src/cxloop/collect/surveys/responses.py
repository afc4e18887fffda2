"""Survey responses in the warehouse: who answers, each saved page, the invitation funnel.

A response has one row in ``survey_responses`` that each posted page rewrites (``status``
``partial``, then ``complete``); its id comes from the invitation (or from the anonymous form),
so a retried post rewrites the same row and never adds one. When it is complete, its canonical
measures go to ``feedback`` (customers) or ``employee_pulses`` (employees) in the same
transaction. Invitation events (``opened``, ``started``, ``responded``) are appended with ids
made of the invitation and the status, so each is recorded once.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

import ibis
import pyarrow as pa
from pydantic import BaseModel, Field

from cxloop.collect.surveys.definitions import SurveyDefinition
from cxloop.collect.surveys.projection import feedback_row, pulse_row
from cxloop.collect.surveys.tokens import InvitationClaims
from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema

RESPONSE_COLUMNS = [
    "response_id", "survey_id", "invitation_id", "customer_id", "employee_id", "team_id",
    "ts", "language", "answers", "duration_s", "contact_snapshot", "status", "started_at",
    "updated_at",
]  # fmt: skip
FunnelStatus = Literal["opened", "started", "responded"]


class Respondent(BaseModel):
    """Who answers, as far as the warehouse knows them at answer time."""

    kind: Literal["customer", "employee", "anonymous"]
    id: str | None = None
    language: str | None = None
    team_id: str | None = None
    snapshot: dict[str, Any] = Field(default_factory=dict)


class SurveyResponse(BaseModel):
    """One response as stored: answers by question id, partial or complete."""

    response_id: str
    survey_id: str
    invitation_id: str | None = None
    respondent: Respondent
    language: str
    answers: dict[str, Any] = Field(default_factory=dict)
    status: Literal["partial", "complete"] = "partial"
    started_at: datetime
    completed_at: datetime | None = None

    @property
    def complete(self) -> bool:
        return self.status == "complete"


def response_id_for(claims: InvitationClaims) -> str:
    """The id of the one response an invitation may have."""
    return f"inv:{claims.invitation_id}"


def _one(warehouse: Warehouse, expr: ibis.Table) -> dict[str, Any] | None:
    rows = warehouse.to_pyarrow(expr.limit(1)).to_pylist()
    return rows[0] if rows else None


def find_respondent(warehouse: Warehouse, claims: InvitationClaims) -> Respondent:
    """The respondent named by a token, with their language, team and attribute snapshot
    (a customer or employee the warehouse does not hold is still answered for, with none)."""
    if claims.respondent == "anonymous" or not claims.respondent_id:
        return Respondent(kind="anonymous")
    if claims.respondent == "employee":
        t = warehouse.table("employees")
        row = _one(warehouse, t.filter(t.employee_id == claims.respondent_id))
        team = row["team_id"] if row else None
        return Respondent(
            kind="employee",
            id=claims.respondent_id,
            language=row["language"] if row else None,
            team_id=team,
            snapshot={"team_id": team} if team else {},
        )
    t = warehouse.table("customers")
    row = _one(warehouse, t.filter(t.customer_id == claims.respondent_id))
    snapshot: dict[str, Any] = {}
    if row:
        try:
            attributes = json.loads(row["attributes"]) if row["attributes"] else {}
        except ValueError:
            attributes = {}
        snapshot = {
            "language": row["language"],
            "country": row["country"],
            "city": row.get("city"),
            "first_seen": row["first_seen"].isoformat() if row["first_seen"] else None,
            "attributes": attributes,
        }
        snapshot = {k: v for k, v in snapshot.items() if v not in (None, {}, "")}
    return Respondent(
        kind="customer",
        id=claims.respondent_id,
        language=row["language"] if row else None,
        snapshot=snapshot,
    )


def stored_response(
    warehouse: Warehouse, response_id: str, respondent: Respondent
) -> SurveyResponse | None:
    """The response saved under ``response_id``, if any."""
    t = warehouse.table("survey_responses")
    row = _one(warehouse, t.filter(t.response_id == response_id))
    if row is None:
        return None
    return SurveyResponse(
        response_id=row["response_id"],
        survey_id=row["survey_id"],
        invitation_id=row["invitation_id"],
        respondent=respondent,
        language=row["language"] or "en",
        answers=json.loads(row["answers"] or "{}"),
        status="complete" if row["status"] == "complete" else "partial",
        started_at=row["started_at"] or row["ts"] or datetime.now(UTC),
        completed_at=row["ts"] if row["status"] == "complete" else None,
    )


def invitation_channel(warehouse: Warehouse, invitation_id: str) -> str | None:
    """The channel the invitation was sent by (None when no sender recorded it)."""
    t = warehouse.table("survey_invitations")
    expr = t.filter((t.invitation_id == invitation_id) & t.channel.notnull()).select("channel")
    row = _one(warehouse, expr)
    return row["channel"] if row else None


def record_event(
    warehouse: Warehouse,
    claims: InvitationClaims,
    status: FunnelStatus,
    *,
    ts: datetime,
    channel: str | None = None,
    details: dict[str, Any] | None = None,
) -> bool:
    """Append the invitation event ``status`` once; True if it was new."""
    row: dict[str, object] = {
        "invitation_event_id": f"{claims.invitation_id}:{status}",
        "invitation_id": claims.invitation_id,
        "survey_id": claims.survey_id,
        "customer_id": claims.respondent_id if claims.respondent == "customer" else None,
        "employee_id": claims.respondent_id if claims.respondent == "employee" else None,
        "channel": channel,
        "status": status,
        "ts": ts,
        "details": json.dumps(details or {}, ensure_ascii=False),
    }
    return warehouse.append_rows("survey_invitations", [row]).inserted > 0


def save_response(
    warehouse: Warehouse,
    survey: SurveyDefinition,
    response: SurveyResponse,
    *,
    now: datetime,
    channel: str | None = None,
) -> None:
    """Write the response's row; a complete one also writes its projection, atomically."""
    who = response.respondent
    duration = (
        max(0.0, (response.completed_at - response.started_at).total_seconds())
        if response.completed_at is not None
        else None
    )
    row: dict[str, object] = {
        "response_id": response.response_id,
        "survey_id": response.survey_id,
        "invitation_id": response.invitation_id,
        "customer_id": who.id if who.kind == "customer" else None,
        "employee_id": who.id if who.kind == "employee" else None,
        "team_id": who.team_id if who.kind == "employee" else survey.team,
        "ts": response.completed_at,
        "language": response.language,
        "answers": json.dumps(response.answers, ensure_ascii=False, sort_keys=True),
        "duration_s": duration,
        "contact_snapshot": json.dumps(who.snapshot, ensure_ascii=False, sort_keys=True),
        "status": response.status,
        "started_at": response.started_at,
        "updated_at": now,
    }
    with warehouse.transaction():
        warehouse.replace("survey_responses", _table("survey_responses", [row]))
        if not response.complete or response.completed_at is None:
            return
        if survey.audience == "employees":
            pulse = pulse_row(
                survey, response_id=response.response_id,
                employee_id=who.id if who.kind == "employee" else None, team_id=who.team_id,
                answers=response.answers, ts=response.completed_at, imported_at=now,
            )  # fmt: skip
            warehouse.replace("employee_pulses", _table("employee_pulses", [pulse]))
        else:
            feedback = feedback_row(
                survey, response_id=response.response_id,
                customer_id=who.id if who.kind == "customer" else None,
                answers=response.answers, language=response.language,
                ts=response.completed_at, channel=channel, imported_at=now,
            )  # fmt: skip
            warehouse.replace("feedback", _table("feedback", [feedback]))


def _table(name: str, rows: list[dict[str, object]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=arrow_schema(name, list(rows[0])))
