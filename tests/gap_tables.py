"""A small company for perception-gap tests: two statement surveys, three teams, answers.

Managers per team: ``T-A`` 4 (all answer 5), ``T-D`` 3 (all answer 4) and ``T-B`` 5 (5, 5, 5, 1,
1: 60% agree). A and D are under the default survey_min_group_n of 5 and are withheld; together
they hold 7 respondents, so B (exactly 5) can be shown. Each team has 6 other employees (2 agree)
and 10 customers (2 agree).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cxloop.storage import Warehouse

STATEMENTS = {
    "listen": ("They listen to me.", "Me escuchan.", "We listen to our customers."),
    "keep_promises": ("They keep their promises.", "Cumplen sus promesas.",
                      "We keep the promises we make to customers."),
}  # fmt: skip
MANAGERS = {"T-A": [5, 5, 5, 5], "T-D": [4, 4, 4], "T-B": [5, 5, 5, 1, 1]}
STAFF = [5, 4, 3, 3, 2, 1]
CUSTOMERS = [5, 4, 3, 3, 2, 2, 1, 1, 1, 2]
TEAM_NAMES = {"T-A": "Team A", "T-B": "Team B", "T-D": "Team D"}


def _definition(survey_id: str, audience: str) -> str:
    wording = 2 if audience == "employees" else 0
    questions = [
        {
            "id": sid, "type": "statement", "statement": sid,
            "text": {"en": texts[wording]} | ({"es": texts[1]} if audience == "customers" else {}),
        }
        for sid, texts in STATEMENTS.items()
    ]  # fmt: skip
    return json.dumps(
        {"id": survey_id, "version": 1, "audience": audience, "languages": ["en", "es"],
         "title": {"en": survey_id}, "questions": questions}
    )  # fmt: skip


def seed_gap_company(wh: Warehouse) -> None:
    """Write the surveys, teams, employees and complete responses described above."""
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    wh.append_rows(
        "surveys",
        [
            {"survey_id": "cc", "name": "cc", "version": 1,
             "definition": _definition("cc", "customers"), "created_at": now},
            {"survey_id": "ecc", "name": "ecc", "version": 1,
             "definition": _definition("ecc", "employees"), "created_at": now},
        ],
    )  # fmt: skip
    wh.append_rows("teams", [{"team_id": team, "name": name} for team, name in TEAM_NAMES.items()])
    employees, responses = [], []
    for team, manager_answers in MANAGERS.items():
        people = [(v, True) for v in manager_answers] + [(v, False) for v in STAFF]
        for i, (value, manager) in enumerate(people):
            employee = f"{team}-e{i}"
            employees.append({"employee_id": employee, "team_id": team, "is_manager": manager})
            responses.append({
                "response_id": f"r-{employee}", "survey_id": "ecc", "employee_id": employee,
                "team_id": team, "ts": now, "status": "complete",
                "answers": json.dumps({"listen": value, "keep_promises": value}),
            })  # fmt: skip
        for i, value in enumerate(CUSTOMERS):
            responses.append({
                "response_id": f"r-{team}-c{i}", "survey_id": "cc", "customer_id": f"{team}-c{i}",
                "team_id": team, "ts": now, "status": "complete",
                "answers": json.dumps({"listen": value, "keep_promises": value}),
            })  # fmt: skip
    # a partial response never counts
    responses.append({
        "response_id": "r-partial", "survey_id": "ecc", "employee_id": "T-A-e0", "team_id": "T-A",
        "ts": datetime(2026, 3, 2, tzinfo=UTC), "status": "partial",
        "answers": json.dumps({"listen": 1}),
    })  # fmt: skip
    wh.append_rows("employees", employees)
    columns = sorted({k for r in responses for k in r})
    wh.append_rows("survey_responses", [{c: r.get(c) for c in columns} for r in responses])
