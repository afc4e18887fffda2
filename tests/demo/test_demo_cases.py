"""The demo's closed loop: its rules open cases on its feedback, and the simulated work gives
plausible, deterministic histories that the workflow itself would accept."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from cxloop.act.case_workflow import CaseState, derive_state, next_status
from cxloop.config import Settings
from cxloop.domain.case import CaseEvent
from cxloop.project import open_project_warehouse
from demo_warehouses import PLANTED, DemoWarehouses

pytestmark = PLANTED.mark


@pytest.fixture(scope="module")
def demo(demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    shared = demo_warehouses.get(PLANTED, request)
    return shared.settings, shared.result


def _events(settings: Settings) -> dict[str, list[CaseEvent]]:
    with open_project_warehouse(settings, read_only=True) as wh:
        rows = wh.to_pyarrow(wh.table("case_events")).to_pylist()
    out: dict[str, list[CaseEvent]] = defaultdict(list)
    for row in rows:
        out[row["case_id"]].append(CaseEvent.model_validate(row))
    return {k: sorted(v, key=lambda e: (e.ts, e.case_event_id)) for k, v in out.items()}


def test_the_demo_has_cases_in_every_state_with_valid_histories(demo) -> None:
    settings, result = demo
    cases = result.cases
    assert cases is not None and cases.opened > 50
    assert {"resolved", "closed"} <= set(cases.by_status)
    assert sum(cases.by_status.values()) == cases.opened
    # no backlog piles up: at the demo's end only its latest cases can still be open (on this
    # 2,000-person demo none are; the mix on a larger one: test_demo_case_mix.py)
    active = sum(cases.by_status.get(s, 0) for s in ("open", "assigned", "acknowledged"))
    assert active <= 0.02 * cases.opened
    assert sorted(p.name for p in (Path(settings.project) / "rules").glob("demo_*.yaml")) == [
        "demo_angry_detractors.yaml", "demo_billing_complaints.yaml", "demo_detractors.yaml",
    ]  # fmt: skip
    histories = _events(settings)
    assert len(histories) == cases.opened
    escalated = 0
    for events in histories.values():
        assert events[0].kind == "opened"
        status = "open"
        for event in events[1:]:  # each step is one the workflow allows
            assert next_status(event.kind, status) == event.status, events
            status = event.status
        state: CaseState = derive_state(events)
        if any(e.kind == "escalated" for e in events):
            escalated += 1
            assert state.escalated or state.status in ("resolved", "closed")
        if state.status == "closed":
            assert state.resolution is not None
    assert escalated > 0


def test_a_rerun_adds_no_cases(demo, demo_warehouses: DemoWarehouses) -> None:
    result = demo[1]
    _, again = demo_warehouses.rerun(PLANTED)  # run_demo over a copy, once more
    assert again.cases is not None and again.cases.opened == 0 and again.cases.events == 0
    assert again.tables["cases"] == result.tables["cases"]
