"""The case workflow: which event may follow which state, and recording events.

A case's state is derived from its append-only events (``case_events``); every event carries
the status the case has after it, who recorded it (``actor``) and when (``ts``), so later
analyses (time to contact, time to close) read the history as it happened.

==================  ==================================  ====================
event               allowed when the case is            status after
==================  ==================================  ====================
opened              (new)                               open
assigned            open, assigned, acknowledged        assigned (or as was)
acknowledged        open, assigned                      acknowledged
commented           any but closed                      unchanged
customer_contacted  open, assigned, acknowledged        unchanged
resolved            open, assigned, acknowledged        resolved
reopened            resolved, closed                    open
closed              resolved                            closed
escalated           open, assigned, acknowledged        unchanged
reassigned          open, assigned, acknowledged        open
==================  ==================================  ====================

A ``reassigned`` event hands the case to another team (its ``team_id``), with the reason in
its note: the new team owns the case and its SLA from then on (its lead is the one a breach
escalates to; an escalation before the reassignment no longer counts), the due time stays
(the customer has been waiting all along), and the case waits unassigned in the new team's
inbox unless the event names an assignee.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from cxloop.domain.case import ACTION_KINDS, ACTIVE_STATUSES, RESOLUTION_CODES, CaseEvent
from cxloop.errors import ConflictError, NotFoundError, UsageError
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.act.notify_outbox import Notifier

MAX_NOTE_LENGTH = 4_000

_ALLOWED: dict[str, tuple[str, ...]] = {
    "assigned": ACTIVE_STATUSES,
    "acknowledged": ("open", "assigned"),
    "commented": ("open", "assigned", "acknowledged", "resolved"),
    "customer_contacted": ACTIVE_STATUSES,
    "resolved": ACTIVE_STATUSES,
    "reopened": ("resolved", "closed"),
    "closed": ("resolved",),
    "escalated": ACTIVE_STATUSES,
    "reassigned": ACTIVE_STATUSES,
}


@dataclass(frozen=True)
class CaseState:
    """What a case's events add up to."""

    status: str
    assignee: str | None
    escalated: bool
    resolution: str | None
    updated_at: datetime
    #: the team a reassignment handed the case to (None: the team it was opened for)
    team_id: str | None = None


def derive_state(events: list[CaseEvent]) -> CaseState:
    """The state after ``events`` (in any order; they are sorted by time, then id)."""
    if not events:
        raise ValueError("a case has at least its opened event")
    ordered = sorted(events, key=lambda e: (e.ts, e.case_event_id))
    assignee = resolution = team = None
    escalated = False
    for event in ordered:
        if event.kind == "reassigned":
            assignee, escalated, team = event.assignee, False, event.team_id
        elif event.assignee is not None:
            assignee = event.assignee
        if event.kind in ("opened", "reopened"):
            escalated, resolution = False, None
        elif event.kind == "escalated":
            escalated = True
        elif event.kind == "resolved":
            resolution = event.resolution
    last = ordered[-1]
    return CaseState(last.status, assignee, escalated, resolution, last.ts, team)


def next_status(kind: str, status: str) -> str:
    """The status after an event of ``kind`` on a case whose status is ``status``.

    Raises
    ------
    ConflictError
        When the event cannot follow that status (a closed case cannot be resolved).
    """
    allowed = _ALLOWED.get(kind)
    if allowed is None:
        raise UsageError(f"kind: {kind!r} is not an event one can record")
    if status not in allowed:
        raise ConflictError(
            f"a case that is {status} cannot be {kind.replace('_', ' ')} "
            f"(only a case that is {' or '.join(allowed)})",
            details={"status": status, "kind": kind, "allowed_from": list(allowed)},
        )
    if kind == "assigned":
        return "assigned" if status == "open" else status
    if kind in ("acknowledged", "resolved", "closed"):
        return kind
    if kind in ("reopened", "reassigned"):
        return "open"
    return status


def case_events(warehouse: Warehouse, case_id: str) -> list[CaseEvent]:
    """Every event of one case, oldest first; NotFoundError if there is no such case."""
    t = warehouse.table("case_events")
    rows = warehouse.to_pyarrow(
        t.filter(t.case_id == case_id).select(*CaseEvent.model_fields)
    ).to_pylist()
    if not rows:
        raise NotFoundError(f"no case {case_id!r}")
    events = [CaseEvent.model_validate(row) for row in rows]
    return sorted(events, key=lambda e: (e.ts, e.case_event_id))


def after(previous: datetime, now: datetime) -> datetime:
    """``now``, or a microsecond after ``previous`` if ``now`` is not later: a case's events
    keep a strict order by time even when two arrive at once or clocks disagree."""
    return now if now > previous else previous + timedelta(microseconds=1)


def new_event_id() -> str:
    return f"ce_{uuid.uuid4().hex}"


def record_case_event(
    warehouse: Warehouse,
    case_id: str,
    kind: str,
    actor: str,
    *,
    assignee: str | None = None,
    note: str | None = None,
    resolution: str | None = None,
    team: str | None = None,
    now: datetime | None = None,
    event_id: str | None = None,
    notifier: Notifier | None = None,
) -> tuple[CaseEvent, CaseState]:
    """Record a person's action on a case after checking it may follow the case's state.

    Parameters
    ----------
    kind
        One of :data:`~cxloop.domain.case.ACTION_KINDS`.
    actor
        Who: ``user:<email>``, ``key:<id>``, ``cli:<name>``, ``system:loop``.
    assignee
        For ``assigned``: who the case goes to (required).
    note
        Free text: the comment, what was said to the customer, how it was resolved.
    resolution
        For ``resolved``: one of :data:`~cxloop.domain.case.RESOLUTION_CODES` (required).
    team
        For ``reassigned``: the id of the team the case goes to (required; a team of the
        ``teams`` table other than the case's own), with the reason in ``note`` (required).
    notifier
        Writes the notifications the event causes, in the same transaction.

    Returns
    -------
    tuple
        The event written and the case's state after it.

    Raises
    ------
    NotFoundError, ConflictError, UsageError
    """
    if kind not in ACTION_KINDS and kind != "escalated":
        raise UsageError(f"kind: {kind!r}; use one of {', '.join(ACTION_KINDS)}")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise UsageError(f"note: at most {MAX_NOTE_LENGTH} characters, got {len(note)}")
    if kind == "commented" and note is None:
        raise UsageError("note: a comment needs text")
    assignee = (assignee or "").strip() or None
    if kind == "assigned" and assignee is None:
        raise UsageError("assignee: say whom the case is assigned to")
    if kind == "resolved":
        if resolution not in RESOLUTION_CODES:
            raise UsageError(
                f"resolution: {resolution!r} is not a resolution code; use one of "
                f"{', '.join(RESOLUTION_CODES)}"
            )
    elif resolution is not None:
        raise UsageError("resolution: only a resolved event carries a resolution code")
    team = _checked_team(warehouse, kind, team, note)
    now = now or datetime.now(UTC)
    with warehouse.transaction():
        events = case_events(warehouse, case_id)
        before = derive_state(events)
        status = next_status(kind, before.status)
        if team is not None and team == (before.team_id or _opening_team(warehouse, case_id)):
            raise ConflictError(
                f"team: the case already belongs to {team!r}",
                details={"team": team, "kind": kind},
            )
        now = after(before.updated_at, now)
        event = CaseEvent(
            case_event_id=event_id or new_event_id(),
            case_id=case_id,
            ts=now,
            kind=kind,
            actor=actor,
            status=status,
            assignee=assignee,
            note=note,
            resolution=resolution,
            team_id=team,
        )
        append_events(warehouse, [event], notifier=notifier)
    return event, derive_state([*events, event])


def _checked_team(
    warehouse: Warehouse, kind: str, team: str | None, note: str | None
) -> str | None:
    """The team a ``reassigned`` event hands the case to, checked against ``teams``."""
    team = (team or "").strip() or None
    if kind != "reassigned":
        if team is not None:
            raise UsageError("team: only a reassigned event names a team")
        return None
    if team is None:
        raise UsageError("team: say which team the case is reassigned to")
    if note is None:
        raise UsageError("note: say why the case is reassigned")
    teams = warehouse.table("teams")
    known = warehouse.to_pyarrow(teams.select("team_id")).column("team_id").to_pylist()
    if team not in known:
        listed = ", ".join(sorted(t for t in known if t)) or "none"
        raise UsageError(f"team: no team {team!r} (teams: {listed})")
    return team


def _opening_team(warehouse: Warehouse, case_id: str) -> str | None:
    cases = warehouse.table("cases")
    rows = warehouse.to_pyarrow(
        cases.filter(cases.case_id == case_id).select("team_id")
    ).to_pylist()
    return rows[0]["team_id"] if rows else None


def append_events(
    warehouse: Warehouse, events: list[CaseEvent], *, notifier: Notifier | None = None
) -> int:
    """Append events (idempotent by id) and, with a ``notifier``, the notifications they
    cause, all in one transaction; return how many events were new."""
    if not events:
        return 0
    rows = [{**e.model_dump(), "details": None} for e in events]
    with warehouse.transaction():
        inserted = warehouse.append_rows("case_events", rows).inserted
        if notifier is not None:
            notifier.enqueue(warehouse, events)
    return inserted
