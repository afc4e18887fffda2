"""Cases of the closed loop: the ``rules/*.yaml`` definitions that open them, their events and
the states those events lead to. See docs/cases.md."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
TEAM_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

Priority = Literal["low", "normal", "high", "urgent"]
#: most urgent first: the inbox sorts by this
PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal", "low")

CaseStatus = Literal["open", "assigned", "acknowledged", "resolved", "closed"]
STATUSES: tuple[str, ...] = ("open", "assigned", "acknowledged", "resolved", "closed")
#: statuses of a case someone still has to work on
ACTIVE_STATUSES: tuple[str, ...] = ("open", "assigned", "acknowledged")

EventKind = Literal[
    "opened",
    "assigned",
    "acknowledged",
    "commented",
    "customer_contacted",
    "resolved",
    "reopened",
    "closed",
    "escalated",
    "reassigned",
]
EVENT_KINDS: tuple[str, ...] = (
    "opened", "assigned", "acknowledged", "commented", "customer_contacted", "resolved",
    "reopened", "closed", "escalated", "reassigned",
)  # fmt: skip
#: the kinds a person may record (the loop records ``opened`` and ``escalated``)
ACTION_KINDS: tuple[str, ...] = (
    "assigned", "acknowledged", "commented", "customer_contacted", "resolved", "reopened",
    "closed", "reassigned",
)  # fmt: skip

#: how a case was resolved: the documented list (docs/cases.md)
RESOLUTION_CODES: dict[str, str] = {
    "fixed": "the problem was fixed for the customer",
    "explained": "the customer got an explanation; nothing was broken",
    "compensated": "the customer got a refund, credit or goodwill gesture",
    "no_action": "nothing to do (praise, or the customer asked for nothing)",
    "unreachable": "the customer could not be reached",
    "duplicate": "another case covers the same problem",
}
#: "the team that owns the feedback's touchpoint" as a rule's ``team``
TOUCHPOINT_TEAM = "touchpoint"


class Route(BaseModel):
    """One row of a rule's routing table: feedback matching ``when`` goes to ``team``."""

    model_config = ConfigDict(extra="forbid")

    when: str = Field(min_length=1, description="A condition in the case rule language.")
    team: str = Field(pattern=TEAM_PATTERN, description="A team id, or 'touchpoint'.")


class CaseAction(BaseModel):
    """A rule's ``then:``: the case it opens."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    topic: str = Field(pattern=RULE_ID_PATTERN, description="One open case per customer and topic.")
    priority: Priority = "normal"
    team: str = Field(
        default=TOUCHPOINT_TEAM,
        pattern=TEAM_PATTERN,
        description="The owning team when no route matches: a team id, or 'touchpoint'.",
    )
    routes: list[Route] = Field(default_factory=list, description="First match wins.")
    sla_hours: float = Field(gt=0, le=24 * 365, description="Hours to resolve the case in.")


class CaseRule(BaseModel):
    """One ``rules/*.yaml`` file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id: a-z, 0-9, _ and -.")
    description: str = ""
    enabled: bool = True
    when: str = Field(min_length=1, description="A condition in the case rule language.")
    then: CaseAction
    #: the file it was loaded from (not part of the YAML)
    path: str | None = Field(default=None, exclude=True)


class CaseEvent(BaseModel):
    """One event of a case's history: who did what, when, and the status it left."""

    case_event_id: str
    case_id: str
    ts: datetime
    kind: str
    actor: str
    status: str
    assignee: str | None = None
    note: str | None = None
    resolution: str | None = None
    #: for ``reassigned``: the team that owns the case (and its SLA) from then on
    team_id: str | None = None


class CaseSummary(BaseModel):
    """A case as lists show it: its facts and its state derived from its events."""

    case_id: str
    customer_id: str
    customer_name: str | None = None
    feedback_id: str | None
    rule_id: str | None
    topic: str | None
    team_id: str | None
    title: str
    priority: str
    status: str
    assignee: str | None
    escalated: bool
    overdue: bool
    resolution: str | None = None
    opened_at: datetime
    due_at: datetime | None
    updated_at: datetime


class CaseDetail(CaseSummary):
    """A case with its events, oldest first, and the feedback that opened it."""

    feedback_text: str | None = None
    feedback_score: str | None = None
    events: list[CaseEvent]


class CasePage(BaseModel):
    """A page of cases and the counts of the whole filtered list."""

    total: int
    limit: int
    offset: int
    counts: dict[str, int] = Field(description="Cases by status, and 'overdue', in the filter.")
    items: list[CaseSummary]


class CaseOpened(BaseModel):
    """A case a loop run opened (or, in a dry run, would open)."""

    case_id: str
    rule_id: str
    customer_id: str
    feedback_id: str
    topic: str
    team_id: str | None
    priority: str
    due_at: datetime


class LoopReport(BaseModel):
    """What one ``cxloop loop run`` did."""

    dry_run: bool
    since: datetime | None
    feedback_considered: int
    opened: list[CaseOpened]
    skipped_duplicates: int = Field(description="Matches with an open case on the same topic.")
    escalated: list[str]
    closed: list[str]
    followups: dict[str, str] = Field(default_factory=dict)
