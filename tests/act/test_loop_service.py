"""The loop while the server runs: a run on given feedback, a periodic run that escalates,
and a rule file with a mistake logged without stopping anything."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from act.case_data import DETRACTOR_RULE, NOW, add_company, add_feedback, hours_ago, write_rules
from cxloop.act.loop_service import LoopService
from cxloop.config import Settings


def test_runs_on_feedback_then_escalates_periodically(warehouse, tmp_path: Path) -> None:
    add_company(warehouse)
    add_feedback(warehouse, "F1", "C1", hours_ago(1), nps=2)
    add_feedback(warehouse, "F2", "C2", hours_ago(1), nps=2)
    write_rules(tmp_path, detractor=DETRACTOR_RULE)
    service = LoopService(warehouse, Settings.load(project=tmp_path))
    first = service.run_once(feedback_ids=["F1"], now=NOW)
    assert first is not None and [c.customer_id for c in first.opened] == ["C1"]
    assert first.escalated == []  # a run on new feedback does not escalate
    later = service.run_once(now=NOW + timedelta(days=3))
    assert later is not None and [c.customer_id for c in later.opened] == ["C2"]
    assert len(later.escalated) == 1  # C1's case, past its 48 hours


def test_a_broken_rule_is_logged_and_nothing_runs(warehouse, tmp_path: Path, caplog) -> None:
    write_rules(tmp_path, bad="id: bad\nwhen: nps <\nthen: {title: x, topic: x, sla_hours: 1}\n")
    service = LoopService(warehouse, Settings.load(project=tmp_path, loop_interval_s=0))
    with caplog.at_level(logging.WARNING, logger="cxloop.loop"):
        assert service.run_once(now=NOW) is None
    assert "case rules not run: " in caplog.text and "bad.yaml:2: when" in caplog.text
    service.start()  # loop_interval_s = 0: no thread
    assert service._thread is None
    service.stop()
