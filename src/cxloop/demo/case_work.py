"""The demo's closed loop: its case rules replayed over its feedback, and the teams' work on
the cases simulated, deterministically, so the Cases inbox has a plausible history.

Each case is assigned to someone of its team, acknowledged, the customer contacted and the
case resolved, at times drawn per team: engaged teams (see :data:`~cxloop.demo.organisation.
TEAMS`) answer faster. A few cases stall (untouched, assigned or contacted, then waiting on
something: a part, a refund's approval, the customer's answer) and the work resumes a few days
after their due time. A case not resolved by its due time is escalated to the team's manager
at that moment; a resolved case closes ``case_close_after_days`` later. Whatever would happen
after the demo's last feedback has not happened yet, so the newest cases are still open: most
within their SLA, some due within the day, and a minority overdue (the stalled ones of the
last days and the late ones), as in a company that works its loop.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources

from pydantic import BaseModel

from cxloop.act.case_queries import case_state_expr
from cxloop.act.case_workflow import append_events
from cxloop.act.loop import LOOP_ACTOR, LoopOptions, run_loop
from cxloop.act.routing import team_leads
from cxloop.act.rules import RULES_DIR, load_rules
from cxloop.config import Settings
from cxloop.demo.organisation import TEAMS
from cxloop.domain.case import CaseEvent
from cxloop.storage import Warehouse

#: resolution codes and how often the demo's agents pick them
RESOLUTIONS = (
    ("fixed", 0.38), ("explained", 0.24), ("compensated", 0.2), ("no_action", 0.06),
    ("unreachable", 0.08), ("duplicate", 0.04),
)  # fmt: skip
CONTACT_NOTES = (
    "Called the customer and apologised.",
    "Phoned back; the customer explained what went wrong.",
    "Wrote to the customer and offered to help.",
    "Reached the customer by chat.",
)
RESOLVE_NOTES = {
    "fixed": "Sorted out the problem with the customer.",
    "explained": "Explained what happened and what to expect next time.",
    "compensated": "Refund or voucher issued.",
    "no_action": "The customer asked for nothing more.",
    "unreachable": "Three attempts, no answer.",
    "duplicate": "Covered by another case.",
}
_BASE = {team.team_id: team.base for team in TEAMS}
#: spread (lognormal sigma) of the time to contact the customer, whose median is 0.3 SLA
CONTACT_SPREAD = 0.6
#: share of cases that stall (untouched, assigned or contacted, then waiting on something)
STALLED = 0.03
#: median days a stalled case waits past its due time before the work on it resumes
STALL_WAIT_DAYS = 1.5

#: one step of a simulated history: time, event kind, status after it, and its fields
Step = tuple[datetime, str, str, dict[str, str | None]]


class DemoCases(BaseModel):
    """What the demo's loop did: cases opened, and cases by status at the demo's end."""

    opened: int
    events: int
    by_status: dict[str, int]


def demo_rule_files() -> dict[str, str]:
    """The demo's case rules, as file name → text."""
    folder = resources.files("cxloop") / "demo" / "rules"
    return {
        item.name: item.read_text(encoding="utf-8")
        for item in folder.iterdir()
        if item.name.endswith(".yaml")
    }


def run_demo_cases(wh: Warehouse, settings: Settings, *, seed: int = 0) -> DemoCases:
    """Write the demo's rules into ``<project>/rules`` (keeping files there), replay them over
    the demo's feedback and simulate the work on the cases. Done once: a re-run finds cases
    and adds nothing (the replay decides all cases in one pass, before the simulated work
    closes any, so replaying again over the worked cases would decide differently)."""
    folder = settings.project / RULES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(demo_rule_files().items()):
        if not (folder / name).exists():
            (folder / name).write_text(text, encoding="utf-8")
    if wh.holds_keys("cases"):
        return DemoCases(opened=0, events=0, by_status=_by_status(wh, None))
    feedback = wh.table("feedback")
    span = wh.to_pandas(feedback.aggregate(first=feedback.ts.min(), last=feedback.ts.max()))
    if span.empty or span["first"].isna().iloc[0]:
        return DemoCases(opened=0, events=0, by_status={})
    first = span["first"].iloc[0].to_pydatetime()
    end = span["last"].iloc[0].to_pydatetime() + timedelta(hours=1)
    options = LoopOptions.from_settings(settings)
    report = run_loop(
        wh, load_rules(settings.project), options=options, since=first, now=end,
        escalate=False, open_at_feedback_time=True,
    )  # fmt: skip
    events = simulate_work(wh, report.opened, end, options.close_after_days, seed)
    written = append_events(wh, events)
    return DemoCases(opened=len(report.opened), events=written, by_status=_by_status(wh, end))


def _by_status(wh: Warehouse, end: datetime | None) -> dict[str, int]:
    state = case_state_expr(wh.table("cases"), wh.table("case_events"), end or datetime.now(UTC))
    counts = wh.to_pandas(state.group_by("status").aggregate(n=state.count()))
    return {str(r.status): int(r.n) for r in counts.itertuples(index=False)}


@dataclass(frozen=True)
class CaseFacts:
    """What the simulation needs of one opened case, and who would work on it."""

    case_id: str
    team_id: str
    opened_at: datetime
    due_at: datetime
    agent: str
    lead: str | None


def simulate_work(
    wh: Warehouse, opened: list, end: datetime, close_after_days: int, seed: int
) -> list[CaseEvent]:
    """The events of the teams' work on ``opened`` cases (from :func:`run_loop`) up to
    ``end``, the same for the same seed."""
    staff = wh.table("employees")
    people = wh.to_pyarrow(
        staff.filter(staff.email.notnull()).select("team_id", "email").order_by("email")
    ).to_pylist()
    members: dict[str, list[str]] = {}
    for row in people:
        members.setdefault(row["team_id"], []).append(row["email"])
    leads = team_leads(wh)
    rnd = random.Random(f"cases-{seed}")
    cases = wh.table("cases")
    facts = {
        row["case_id"]: row
        for row in wh.to_pyarrow(
            cases.filter(cases.case_id.isin([c.case_id for c in opened])).select(
                "case_id", "team_id", "opened_at", "due_at"
            )
        ).to_pylist()
    }
    out: list[CaseEvent] = []
    for case in sorted(opened, key=lambda c: c.case_id):
        fact = facts[case.case_id]
        team = fact["team_id"] or ""
        agent = rnd.choice(members.get(team) or [leads.get(team) or "agent@demo"])
        case_facts = CaseFacts(
            case.case_id, team, fact["opened_at"], fact["due_at"], agent, leads.get(team)
        )
        steps = case_history(case_facts, rnd, end=end, close_after_days=close_after_days)
        out.extend(_events(case_facts, steps))
    return out


def case_history(
    case: CaseFacts, rnd: random.Random, *, end: datetime, close_after_days: int
) -> list[Step]:
    """The steps of the work on one case that happened by ``end``, in time order, drawn from
    ``rnd``: assigned, acknowledged, the customer contacted (maybe a comment), resolved, and
    ``close_after_days`` later closed; a case resolved after its due time is escalated then."""
    opened_at, due = case.opened_at, case.due_at
    sla = (due - opened_at).total_seconds() / 3600
    pace = math.exp(-0.45 * _BASE.get(case.team_id, 0.0))  # engaged teams answer sooner
    codes, weights = zip(*RESOLUTIONS, strict=True)
    assigned = opened_at + timedelta(hours=rnd.uniform(0.1, 3) * pace)
    acknowledged = assigned + timedelta(hours=rnd.uniform(0.05, 2) * pace)
    to_contact = rnd.lognormvariate(math.log(sla * 0.3), CONTACT_SPREAD) * pace
    contacted = acknowledged + timedelta(hours=to_contact)
    resolved = contacted + timedelta(hours=rnd.uniform(0.2, 0.5) * sla)
    code = rnd.choices(codes, weights)[0]
    steps: list[Step] = [
        (assigned, "assigned", "assigned", {"assignee": case.agent}),
        (acknowledged, "acknowledged", "acknowledged", {}),
        (contacted, "customer_contacted", "acknowledged", {"note": rnd.choice(CONTACT_NOTES)}),
        (resolved, "resolved", "resolved", {"resolution": code, "note": RESOLVE_NOTES[code]}),
    ]
    if rnd.random() < 0.25:
        note = "Customer asked to be called after 6 pm."
        steps.insert(2, (acknowledged + timedelta(minutes=5), "commented", "acknowledged",
                         {"note": note}))  # fmt: skip
    stall = rnd.random()
    if stall < STALLED:  # waiting on something: the work resumes days after the due time
        at = 0 if stall < STALLED / 4 else 1 if stall < STALLED / 2 else len(steps) - 1
        waited = timedelta(days=rnd.lognormvariate(math.log(STALL_WAIT_DAYS), 0.6))
        shift = max(due + waited - steps[at][0], timedelta(0))
        steps = steps[:at] + [(ts + shift, k, st, f) for ts, k, st, f in steps[at:]]
        resolved = steps[-1][0]
    if resolved > due:  # breached: escalated to the lead at the due time
        before = [step[2] for step in steps if step[0] < due]
        status = before[-1] if before else "open"
        steps.append((due, "escalated", status, {"assignee": case.lead}))
        steps.sort(key=lambda s: s[0])
    if close_after_days > 0:
        steps.append((resolved + timedelta(days=close_after_days), "closed", "closed", {}))
    happened: list[Step] = []
    for step in steps:
        if step[0] > end:
            break
        happened.append(step)
    return happened


def _events(case: CaseFacts, steps: list[Step]) -> list[CaseEvent]:
    actor = f"user:{case.agent}"
    return [
        CaseEvent(
            case_event_id=f"{case.case_id}:demo:{k}",
            case_id=case.case_id,
            ts=ts,
            kind=kind,
            actor=LOOP_ACTOR if kind in ("escalated", "closed") else actor,
            status=status,
            assignee=fields.get("assignee"),
            note=fields.get("note")
            or (
                f"SLA breached: due {case.due_at:%Y-%m-%d %H:%M} UTC"
                if kind == "escalated"
                else None
            ),
            resolution=fields.get("resolution"),
        )
        for k, (ts, kind, status, fields) in enumerate(steps)
    ]
