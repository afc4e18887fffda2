"""The demo's closed loop: its case rules replayed over its feedback, and the teams' work on
the cases simulated, deterministically, so the Cases inbox has a plausible history.

Each case is assigned to someone of its team, acknowledged, the customer contacted and the
case resolved, at times drawn per team: engaged teams (see :data:`~cxloop.demo.organisation.
TEAMS`) answer faster. A few cases stall (untouched, assigned or acknowledged, never
resolved): the backlog the inbox shows as overdue. A case not resolved by its due time is
escalated to the team's manager at that moment; a resolved case closes
``case_close_after_days`` later. Whatever would happen after the demo's last feedback has not
happened yet, so the newest cases are still open.
"""

from __future__ import annotations

import math
import random
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
#: share of cases that stall (assigned or acknowledged, never resolved): the backlog
STALLED = 0.04


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
    codes, weights = zip(*RESOLUTIONS, strict=True)
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
        opened_at, due = fact["opened_at"], fact["due_at"]
        sla = (due - opened_at).total_seconds() / 3600
        pace = math.exp(-0.45 * _BASE.get(team, 0.0))  # engaged teams answer sooner
        agent = rnd.choice(members.get(team) or [leads.get(team) or "agent@demo"])
        actor = f"user:{agent}"
        assigned = opened_at + timedelta(hours=rnd.uniform(0.1, 3) * pace)
        acknowledged = assigned + timedelta(hours=rnd.uniform(0.05, 2) * pace)
        contacted = acknowledged + timedelta(hours=rnd.lognormvariate(math.log(sla * 0.3), 0.8)
                                             * pace)  # fmt: skip
        resolved = contacted + timedelta(hours=rnd.uniform(0.2, 0.5) * sla)
        code = rnd.choices(codes, weights)[0]
        steps: list[tuple[datetime, str, str, dict[str, str | None]]] = [
            (assigned, "assigned", "assigned", {"assignee": agent}),
            (acknowledged, "acknowledged", "acknowledged", {}),
            (contacted, "customer_contacted", "acknowledged",
             {"note": rnd.choice(CONTACT_NOTES)}),
            (resolved, "resolved", "resolved",
             {"resolution": code, "note": RESOLVE_NOTES[code]}),
        ]  # fmt: skip
        if rnd.random() < 0.25:
            note = "Customer asked to be called after 6 pm."
            steps.insert(2, (acknowledged + timedelta(minutes=5), "commented", "acknowledged",
                             {"note": note}))  # fmt: skip
        stall = rnd.random()
        if stall < STALLED:  # waiting on something: never resolved by the demo's end
            resolved = end + timedelta(days=365)
            steps = steps[: 0 if stall < STALLED / 4 else 1 if stall < STALLED / 2 else 3]
        if resolved > due:  # breached: escalated to the lead at the due time
            before = [step[2] for step in steps if step[0] < due]
            status = before[-1] if before else "open"
            steps.append((due, "escalated", status, {"assignee": leads.get(team)}))
            steps.sort(key=lambda s: s[0])
        if close_after_days > 0 and resolved <= end:
            steps.append((resolved + timedelta(days=close_after_days), "closed", "closed", {}))
        for k, (ts, kind, status, fields) in enumerate(steps):
            if ts > end:
                break
            system = kind in ("escalated", "closed")
            out.append(
                CaseEvent(
                    case_event_id=f"{case.case_id}:demo:{k}",
                    case_id=case.case_id,
                    ts=ts,
                    kind=kind,
                    actor=LOOP_ACTOR if system else actor,
                    status=status,
                    assignee=fields.get("assignee"),
                    note=fields.get("note")
                    or (
                        f"SLA breached: due {due:%Y-%m-%d %H:%M} UTC"
                        if kind == "escalated"
                        else None
                    ),
                    resolution=fields.get("resolution"),
                )
            )
    return out
