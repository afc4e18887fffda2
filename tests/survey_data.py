"""Survey responses and invitation events written straight into a warehouse, for tests of
what the Surveys pages, the API and the share functions make of them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cxloop.collect.surveys import SurveyDefinition
from cxloop.collect.surveys.responses import Respondent, SurveyResponse, save_response
from cxloop.storage import Warehouse

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

PULSE = SurveyDefinition.model_validate(
    {
        "id": "pulse", "audience": "employees", "title": {"en": "Pulse"},
        "questions": [{"id": "enps", "type": "enps", "text": {"en": "Recommend working here?"}},
                      {"id": "why", "type": "text", "text": {"en": "Why?"}}],
    }
)  # fmt: skip


def invitation_events(warehouse: Warehouse, survey_id: str, funnel: dict[str, int]) -> None:
    """``funnel = {"sent": 10, "opened": 6, "responded": 3}``: the first n invitations of each."""
    rows = []
    for status, count in funnel.items():
        for i in range(count):
            rows.append(
                {
                    "invitation_event_id": f"{survey_id}-{i}:{status}",
                    "invitation_id": f"{survey_id}-{i}",
                    "survey_id": survey_id,
                    "customer_id": f"C{i}",
                    "channel": "email",
                    "status": status,
                    "ts": START + timedelta(hours=i),
                    "details": json.dumps({}),
                }
            )
    warehouse.append_rows("survey_invitations", rows)


def respond(
    warehouse: Warehouse,
    survey: SurveyDefinition,
    answers: list[dict[str, object]],
    *,
    complete: bool = True,
    seconds: float = 60.0,
    kind: str = "customer",
    teams: list[str] | None = None,
    first: int = 0,
) -> None:
    """Save one response per answers dict (customer ``C<i>`` or employee ``E<i>``)."""
    for n, given in enumerate(answers, start=first):
        started = START + timedelta(minutes=n)
        who = Respondent(
            kind=kind,  # type: ignore[arg-type]
            id=f"{'E' if kind == 'employee' else 'C'}{n}",
            team_id=(teams[n - first] if teams else None),
        )
        response = SurveyResponse(
            response_id=f"inv:{survey.id}-{n}", survey_id=survey.id,
            invitation_id=f"{survey.id}-{n}", respondent=who, language="en", answers=given,
            status="complete" if complete else "partial", started_at=started,
            completed_at=started + timedelta(seconds=seconds) if complete else None,
        )  # fmt: skip
        save_response(warehouse, survey, response, now=START, channel="email")
