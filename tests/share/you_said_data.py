"""Feedback, cases and actions for the "you said, we did" tests: delivery raised 8 times,
billing 6, price 2 (below the minimum group of 5); 6 delivery cases resolved as fixed, 2
billing cases compensated (too few to show)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cxloop.storage import Warehouse

NOW = datetime.now(UTC)


def add_themes_and_cases(warehouse: Warehouse) -> None:
    rows, insights = [], []
    themes = [["delivery"]] * 6 + [["delivery", "billing"]] * 2 + [["billing"]] * 4
    themes += [["price"]] * 2 + [[]] * 3
    for i, theme_list in enumerate(themes):
        fid = f"F{i}"
        rows.append({"feedback_id": fid, "customer_id": f"C{i}", "source": "test",
                     "ts": NOW - timedelta(days=1 + i), "text": f"Private comment {i}",
                     "language": "en", "nps": 3})  # fmt: skip
        insights.append({"feedback_id": fid, "language": "en", "sentiment_label": "negative",
                         "themes": json.dumps(theme_list),
                         "redacted_text": f"Private comment {i}"})  # fmt: skip
    rows.append({"feedback_id": "OLD", "customer_id": "C0", "source": "test", "language": "en",
                 "ts": NOW - timedelta(days=400), "text": "old"})  # fmt: skip
    insights.append({"feedback_id": "OLD", "language": "en", "themes": json.dumps(["returns"])})
    warehouse.append_rows("feedback", rows)
    warehouse.append_rows("feedback_insights", insights)
    cases, events = [], []
    resolved = [(f"F{k}", "fixed") for k in range(6)]
    resolved += [("F10", "compensated"), ("F11", "compensated")]
    for i, (fid, code) in enumerate(resolved):
        case_id = f"case_{i}"
        opened = NOW - timedelta(days=5)
        cases.append({"case_id": case_id, "customer_id": f"C{i}", "feedback_id": fid,
                      "team_id": "web", "title": "t", "priority": "high", "opened_at": opened,
                      "due_at": opened + timedelta(days=2)})  # fmt: skip
        events.append({"case_event_id": f"ce_o{i}", "case_id": case_id, "ts": opened,
                       "kind": "opened", "actor": "system:loop", "status": "open",
                       "resolution": None, "note": None})  # fmt: skip
        events.append({"case_event_id": f"ce_r{i}", "case_id": case_id, "kind": "resolved",
                       "ts": opened + timedelta(hours=3), "actor": "user:agent.smith@acme",
                       "status": "resolved", "resolution": code,
                       "note": "Called Ann Example"})  # fmt: skip
    warehouse.append_rows("cases", cases)
    warehouse.append_rows("case_events", events)
