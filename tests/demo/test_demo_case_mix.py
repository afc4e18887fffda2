"""The demo's simulated case work leaves the inbox a company that works its loop would have:
most cases resolved within their SLA, a minority still active at the demo's end, a few of those
due within the day and under a quarter of them overdue, however long the demo's window."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from cxloop.act.case_workflow import next_status
from cxloop.demo.case_work import STALLED, CaseFacts, case_history
from cxloop.demo.organisation import TEAMS

#: the demo's end (its work is simulated up to here) and when someone looks at it, that day
END = datetime(2026, 12, 7, tzinfo=UTC)
NOON = END + timedelta(hours=12)
ACTIVE = ("open", "assigned", "acknowledged")
#: the demo's rules' SLAs in hours, about as often as they open cases
SLAS = (24, 24, 72, 72, 72, 120)


def _cases(n: int, days: int, seed: int = 1) -> list[CaseFacts]:
    """``n`` cases opened at random times over the ``days`` before :data:`END`."""
    rnd = random.Random(seed)
    out = []
    for k in range(n):
        opened = END - timedelta(days=rnd.uniform(0, days))
        team = rnd.choice(TEAMS).team_id
        due = opened + timedelta(hours=rnd.choice(SLAS))
        out.append(CaseFacts(f"case{k:05d}", team, opened, due, "agent@demo", "lead@demo"))
    return out


def _status_at_end(case: CaseFacts, rnd: random.Random) -> tuple[str, bool]:
    """The case's status at :data:`END` (and at :data:`NOON`: nothing happens in between) and
    whether it was resolved by its due time."""
    steps = case_history(case, rnd, end=END, close_after_days=14)
    status = "open"
    for _, kind, after, _ in steps:
        assert next_status(kind, status) == after  # every step is one the workflow allows
        status = after
    resolved = [ts for ts, kind, _, _ in steps if kind == "resolved"]
    return status, bool(resolved) and resolved[0] <= case.due_at


def test_a_long_window_leaves_a_realistic_inbox() -> None:
    # the 20,000-person demo opens some 3,000 cases in 18 months, six a day, and has about a
    # dozen active at its end: too few to measure shares on, so twelve times as many here
    cases = _cases(40_000, 540)
    rnd = random.Random("cases-0")
    outcomes = [_status_at_end(case, rnd) for case in cases]
    statuses = Counter(status for status, _ in outcomes)
    active = [c for c, (s, _) in zip(cases, outcomes, strict=True) if s in ACTIVE]
    overdue = [c for c in active if c.due_at < NOON]
    due_today = [c for c in active if NOON <= c.due_at < NOON + timedelta(hours=24)]
    on_time = sum(in_time for _, in_time in outcomes)
    assert on_time / len(cases) > 0.7  # most resolved within their SLA
    assert statuses["closed"] > statuses["resolved"] > len(active)
    assert 0 < len(active) < 0.02 * len(cases)  # a minority open at the end
    assert due_today  # a few at risk of breaching today
    assert 0.05 * len(active) < len(overdue) < 0.25 * len(active), (len(overdue), len(active))


def test_stalled_cases_breach_are_escalated_and_are_worked_later() -> None:
    cases = _cases(4_000, 400, seed=2)
    rnd = random.Random("cases-1")
    late = 0
    for case in cases:
        steps = case_history(case, rnd, end=END, close_after_days=14)
        kinds = [kind for _, kind, _, _ in steps]
        resolved = [ts for ts, kind, _, _ in steps if kind == "resolved"]
        if case.due_at < END - timedelta(days=60):  # long past: resolved, however late
            assert resolved and "closed" in kinds, steps
            if resolved[0] > case.due_at + timedelta(days=1):
                late += 1
                assert kinds.count("escalated") == 1
                escalation = next(s for s in steps if s[1] == "escalated")
                assert escalation[0] == case.due_at and escalation[3]["assignee"] == "lead@demo"
    assert 0.5 * STALLED * len(cases) < late < 4 * STALLED * len(cases)
