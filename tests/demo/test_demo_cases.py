"""The demo's closed loop: its rules open cases on its feedback, and the simulated work gives
plausible, deterministic histories that the workflow itself would accept."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from cxloop.act.case_workflow import CaseState, derive_state, next_status
from cxloop.config import Settings
from cxloop.demo.loading import run_demo
from cxloop.domain.case import CaseEvent
from cxloop.project import open_project_warehouse


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    settings = Settings.load(project=tmp_path_factory.mktemp("demo") / "casa")
    return settings, run_demo(settings, customers=1_200, seed=4)


def _events(settings: Settings) -> dict[str, list[CaseEvent]]:
    with open_project_warehouse(settings) as wh:
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
    assert sum(cases.by_status.get(s, 0) for s in ("open", "assigned", "acknowledged")) >= 1
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


def test_a_rerun_adds_no_cases(demo) -> None:
    settings, result = demo
    again = run_demo(settings, customers=1_200, seed=4, analyse_text=False)
    assert again.cases is not None and again.cases.opened == 0 and again.cases.events == 0
    assert again.tables["cases"] == result.tables["cases"]
