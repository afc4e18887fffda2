"""Wire formats of the Segment-compatible collector and its tracking-plan report.

The request bodies are Segment's messages, validated by the models in
:mod:`cxloop.collect.segment_messages`; their JSON Schemas are put in the OpenAPI document.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class CollectorAck(BaseModel):
    """The answer to an accepted request: every message of it is committed."""

    success: bool = True


class ViolationCount(BaseModel):
    """How often one event broke the plan in one way."""

    event_name: str | None
    problem: str
    count: int
    rejected: int = Field(description="How many of them were refused (strict plan).")
    last_seen: datetime | None


class ViolationExample(BaseModel):
    """One recorded violation."""

    violation_id: str
    ts: datetime | None
    source: str | None
    event_id: str | None
    event_name: str | None
    problem: str
    rejected: bool | None


class PlanSummary(BaseModel):
    """The tracking plan the collector checks events against."""

    loaded: bool = Field(description="Whether the plan lists any events (else nothing is checked).")
    strict: bool
    events: list[str]


class ViolationReport(BaseModel):
    """``GET /v1/tracking-plan/violations``."""

    plan: PlanSummary
    total: int
    counts: list[ViolationCount]
    recent: list[ViolationExample]
