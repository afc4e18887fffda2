from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cxloop.collect.surveys import load_survey
from cxloop.demo.surveys import SURVEY_ID, load_survey_funnel, write_definition
from cxloop.share.survey_funnel import survey_funnels
from cxloop.storage import Warehouse


def test_the_demo_survey_mirrors_its_feedback(warehouse: Warehouse, tmp_path: Path) -> None:
    survey = load_survey(write_definition(tmp_path))
    assert survey.id == SURVEY_ID and survey.languages == ["en", "es", "zh"]
    start = datetime(2025, 3, 1, tzinfo=UTC)
    rows = [
        {"feedback_id": f"crm:s{i}", "source": "crm", "customer_id": f"C{i}", "ts": start
         + timedelta(days=i), "survey_id": SURVEY_ID, "csat": 1 + i % 5,
         "nps": i % 11 if i % 2 else None, "text": "late" if i % 3 == 0 else None,
         "language": "es", "channel": "email"}
        for i in range(40)
    ]  # fmt: skip
    rows.append({**rows[0], "feedback_id": "crm:other", "survey_id": "store_visit"})
    warehouse.append_rows("feedback", rows)
    assert load_survey_funnel(warehouse, seed=3) == 40
    assert load_survey_funnel(warehouse, seed=3) == 40  # again: nothing added
    responses = warehouse.to_pandas(warehouse.table("survey_responses"))
    complete = responses[responses.status == "complete"]
    assert len(complete) == 40 and (responses.status == "partial").sum() > 0
    first = complete.set_index("invitation_id").loc["demo-crm:s3"]
    assert json.loads(first.answers) == {"csat": 4, "nps": 3, "comment": "late"}
    assert first.customer_id == "C3" and first.started_at < first.ts
    funnel = survey_funnels(warehouse, [SURVEY_ID])[SURVEY_ID]
    assert funnel.invitations == 104 and funnel.responses == 40
    assert 0.3 < funnel.response_rate < 0.5 and funnel.opened > funnel.responses
    assert 30 < funnel.median_seconds < 200
