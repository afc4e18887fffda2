"""One run of the closed loop: rules open cases on new feedback, breached SLAs escalate to
the team lead, resolved cases close after a while.

De-duplication: a customer has at most one active case per topic. A piece of feedback opens a
case only when its customer has no active case on the rule's topic, and it was given after
the last change of every earlier case on it (feedback given while a case was open is that
case's business); the case id is a hash of (rule, feedback), so a rerun over the same
feedback opens nothing twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from cxloop.act.case_queries import case_state_expr
from cxloop.act.case_workflow import after, append_events, new_event_id
from cxloop.act.routing import resolve_team, route_column, team_leads, touchpoint_owners
from cxloop.act.rule_fields import feedback_features
from cxloop.act.rules import LoadedRule
from cxloop.domain.case import ACTIVE_STATUSES, CaseEvent, CaseOpened, LoopReport
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.act.notify_outbox import Notifier

LOOP_ACTOR = "system:loop"


@dataclass(frozen=True)
class LoopOptions:
    """How far back a run looks and when resolved cases close (see :meth:`from_settings`)."""

    max_feedback_age_days: int = 30
    close_after_days: int = 14

    @classmethod
    def from_settings(cls, settings: object) -> LoopOptions:
        return cls(
            max_feedback_age_days=settings.loop_max_feedback_age_days,  # type: ignore[attr-defined]
            close_after_days=settings.case_close_after_days,  # type: ignore[attr-defined]
        )


def case_id_for(rule_id: str, feedback_id: str) -> str:
    """The id of the case a rule opens on a piece of feedback (stable across runs)."""
    digest = hashlib.sha1(f"{rule_id}\x00{feedback_id}".encode()).hexdigest()[:16]
    return f"case_{digest}"


def run_loop(
    warehouse: Warehouse,
    rules: list[LoadedRule],
    *,
    options: LoopOptions | None = None,
    since: datetime | None = None,
    feedback_ids: list[str] | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    escalate: bool = True,
    open_at_feedback_time: bool = False,
    notifier: Notifier | None = None,
) -> LoopReport:
    """Evaluate ``rules`` on feedback, open cases, escalate breached SLAs, close old resolved
    cases.

    Parameters
    ----------
    since
        Read feedback given at or after this time (default: ``max_feedback_age_days`` before
        ``now``).
    feedback_ids
        Read only these pieces of feedback (the server, after a survey response).
    now
        The time of the run (default: now); cases are due ``sla_hours`` after they open.
    dry_run
        Decide and report only; nothing is written.
    escalate
        Also escalate breached SLAs and close old resolved cases.
    open_at_feedback_time
        Date each case at its feedback's time instead of ``now`` (replaying history, as the
        demo does).
    notifier
        Writes the notifications of the cases opened and escalated into the outbox, in the
        same transaction as their events (:mod:`cxloop.act.notify_outbox`).
    """
    options = options or LoopOptions()
    now = now or datetime.now(UTC)
    start = since if since is not None else now - timedelta(days=options.max_feedback_age_days)
    feedback = warehouse.table("feedback")
    feedback = feedback.filter(feedback.customer_id.notnull(), feedback.ts <= _at(now))
    if feedback_ids is not None:
        feedback = feedback.filter(feedback.feedback_id.isin(feedback_ids))
    else:
        feedback = feedback.filter(feedback.ts >= _at(start))
    considered = int(warehouse.to_pandas(feedback.aggregate(n=feedback.count())).n.iloc[0])
    matches = _matches(warehouse, rules, feedback) if considered and rules else pd.DataFrame()
    opened, duplicates = _decide(warehouse, rules, matches, now, open_at_feedback_time)
    escalated: list[str] = []
    closed: list[str] = []
    if not dry_run:
        _write_opened(warehouse, opened, now, open_at_feedback_time, notifier)
    if escalate:
        escalated, closed = _escalate_and_close(warehouse, options, now, dry_run, notifier)
    return LoopReport(
        dry_run=dry_run,
        since=None if feedback_ids is not None else start,
        feedback_considered=considered,
        opened=[o for o, _ in opened],
        skipped_duplicates=duplicates,
        escalated=escalated,
        closed=closed,
    )


def _at(moment: datetime) -> ibis.Value:
    return ibis.literal(moment, type="timestamp('UTC')")


def _matches(warehouse: Warehouse, rules: list[LoadedRule], feedback: ibis.Table) -> pd.DataFrame:
    """Every (rule, feedback) match with the team its routes name, rules in file order."""
    owners = touchpoint_owners(warehouse)
    frames = []
    for order, rule in enumerate(rules):
        calls = {c.column: c for r in (rule.condition, *rule.routes) for c in r.calls}
        features = feedback_features(
            feedback,
            warehouse.table("feedback_insights"),
            warehouse.table("customers"),
            warehouse.table("customer_clv"),
            list(calls.values()),
        )
        then = rule.definition.then
        routes = [(checked, r.team) for checked, r in zip(rule.routes, then.routes, strict=True)]
        matched = features.filter(rule.condition.predicate(features))
        matched = matched.select(
            "feedback_id", "customer_id", "ts", "touchpoint", "team",
            _routed=route_column(matched, routes, then.team),
        )  # fmt: skip
        frame = warehouse.to_pandas(matched)
        if frame.empty:
            continue
        frame["rule_order"] = order
        frame["team_id"] = [
            resolve_team(routed, _text(team), _text(touchpoint), owners)
            for routed, team, touchpoint in zip(
                frame._routed, frame.team, frame.touchpoint, strict=True
            )
        ]
        frames.append(frame)
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["ts", "rule_order", "feedback_id"], kind="stable")


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


def _existing(warehouse: Warehouse, customer_ids: list[str], now: datetime) -> pd.DataFrame:
    """Cases of these customers: id, customer, topic, status and their feedback's time."""
    cases = warehouse.table("cases")
    cases = cases.filter(cases.customer_id.isin(customer_ids))
    state = case_state_expr(cases, warehouse.table("case_events"), now)
    f = warehouse.table("feedback").select(_fid=ibis._.feedback_id, feedback_ts=ibis._.ts)
    joined = state.left_join(f, state.feedback_id == f._fid)
    return warehouse.to_pandas(
        joined.select("case_id", "customer_id", "topic", "status", "feedback_ts", "updated_at")
    )


def _decide(
    warehouse: Warehouse,
    rules: list[LoadedRule],
    matches: pd.DataFrame,
    now: datetime,
    at_feedback_time: bool,
) -> tuple[list[tuple[CaseOpened, LoadedRule]], int]:
    if matches.empty:
        return [], 0
    existing = _existing(warehouse, sorted(set(matches.customer_id)), now)
    known_ids = set(existing.case_id)
    active: set[tuple[str, str]] = set()
    newest: dict[tuple[str, str], datetime] = {}
    for row in existing.itertuples(index=False):
        key = (row.customer_id, row.topic)
        if row.status in ACTIVE_STATUSES:
            active.add(key)
        # feedback given before the case's last change was covered by it
        when = max(t for t in (row.feedback_ts, row.updated_at) if pd.notna(t))
        if key not in newest or when > newest[key]:
            newest[key] = when
    opened: list[tuple[CaseOpened, LoadedRule]] = []
    duplicates = 0
    for row in matches.itertuples(index=False):
        rule = rules[int(row.rule_order)]
        then = rule.definition.then
        key = (row.customer_id, then.topic)
        case_id = case_id_for(rule.id, row.feedback_id)
        if case_id in known_ids or (key in newest and newest[key] >= row.ts):
            continue  # this feedback, or newer, was already looked at for this topic
        if key in active:
            duplicates += 1
            continue
        opened_at = row.ts.to_pydatetime() if at_feedback_time else now
        opened.append(
            (
                CaseOpened(
                    case_id=case_id,
                    rule_id=rule.id,
                    customer_id=row.customer_id,
                    feedback_id=row.feedback_id,
                    topic=then.topic,
                    team_id=row.team_id,
                    priority=then.priority,
                    due_at=opened_at + timedelta(hours=then.sla_hours),
                ),
                rule,
            )
        )
        known_ids.add(case_id)
        active.add(key)
        newest[key] = row.ts
    return opened, duplicates


def _write_opened(
    warehouse: Warehouse,
    opened: list[tuple[CaseOpened, LoadedRule]],
    now: datetime,
    at_feedback_time: bool,
    notifier: Notifier | None,
) -> None:
    if not opened:
        return
    case_rows: list[dict[str, object]] = []
    events = []
    for case, rule in opened:
        then = rule.definition.then
        opened_at = case.due_at - timedelta(hours=then.sla_hours)
        case_rows.append(
            {
                "case_id": case.case_id, "customer_id": case.customer_id,
                "feedback_id": case.feedback_id, "rule_id": case.rule_id,
                "team_id": case.team_id, "title": then.title, "priority": case.priority,
                "opened_at": opened_at, "due_at": case.due_at, "topic": case.topic,
            }
        )  # fmt: skip
        events.append(
            CaseEvent(
                case_event_id=f"{case.case_id}:opened",
                case_id=case.case_id,
                ts=opened_at,
                kind="opened",
                actor=LOOP_ACTOR,
                status="open",
                note=f"rule {rule.id}",
            )
        )
    with warehouse.transaction():
        warehouse.append_rows("cases", case_rows)
        append_events(warehouse, events, notifier=notifier)


def _escalate_and_close(
    warehouse: Warehouse,
    options: LoopOptions,
    now: datetime,
    dry_run: bool,
    notifier: Notifier | None = None,
) -> tuple[list[str], list[str]]:
    """Escalate active cases past due that are not yet escalated; close resolved cases
    older than ``close_after_days``. Decided and written in one transaction."""
    with warehouse.transaction():
        state = case_state_expr(warehouse.table("cases"), warehouse.table("case_events"), now)
        late = warehouse.to_pandas(
            state.filter(state.overdue & ~state.escalated).select(
                "case_id", "team_id", "due_at", "status", "updated_at"
            )
        ).sort_values("case_id")
        stale = pd.DataFrame(columns=["case_id"])
        if options.close_after_days > 0:
            cutoff = now - timedelta(days=options.close_after_days)
            stale = warehouse.to_pandas(
                state.filter(state.status == "resolved", state.updated_at <= _at(cutoff)).select(
                    "case_id", "updated_at"
                )
            ).sort_values("case_id")
        if dry_run:
            return list(late.case_id), list(stale.case_id)
        leads = team_leads(warehouse)
        events = [
            CaseEvent(
                case_event_id=new_event_id(),
                case_id=row.case_id,
                ts=after(row.updated_at.to_pydatetime(), now),
                kind="escalated",
                actor=LOOP_ACTOR,
                status=row.status,
                assignee=leads.get(row.team_id) if row.team_id else None,
                note=f"SLA breached: due {pd.Timestamp(row.due_at):%Y-%m-%d %H:%M} UTC",
            )
            for row in late.itertuples(index=False)
        ]
        events += [
            CaseEvent(
                case_event_id=new_event_id(),
                case_id=row.case_id,
                ts=after(row.updated_at.to_pydatetime(), now),
                kind="closed",
                actor=LOOP_ACTOR,
                status="closed",
                note=f"closed {options.close_after_days} days after resolution",
            )
            for row in stale.itertuples(index=False)
        ]
        append_events(warehouse, events, notifier=notifier)
    return list(late.case_id), list(stale.case_id)
