"""Case rules run on a new survey response while the app runs: a detractor's answer opens a
case for the survey's team at once, and a promoter's does not."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from act.case_data import DETRACTOR_RULE, write_rules
from cxloop.collect.surveys import InvitationClaims, sign_invitation
from cxloop.config import Settings
from cxloop.storage import Warehouse

FORM_TOKEN = re.compile(r'name="f" value="([^"]+)"')


def _answer(client: TestClient, settings: Settings, customer_id: str, nps: str) -> None:
    claims = InvitationClaims(
        invitation_id=f"inv-{customer_id}", survey_id="post-delivery", respondent="customer",
        respondent_id=customer_id,
    )  # fmt: skip
    url = f"/s/post-delivery?t={sign_invitation(settings.signing_key(), claims)}&lang=en"
    page = client.get(url).text
    for answers in ({"q_nps": nps}, {"q_improve": "Late again", "q_love": "ok"}):
        match = FORM_TOKEN.search(page)
        assert match, page
        response = client.post(url, data={"f": match.group(1), **answers})
        assert response.status_code == 200
        page = response.text


def test_a_detractor_response_opens_a_case_while_the_app_runs(
    web_settings: Settings, web_warehouse: Warehouse
) -> None:
    from cxloop.api import create_app

    write_rules(web_settings.project, detractor=DETRACTOR_RULE)
    web_warehouse.append_rows(
        "customers",
        [{"customer_id": "C1", "name": "Ana"}, {"customer_id": "C2", "name": "Li"}],
    )
    with TestClient(create_app(web_settings, warehouse=web_warehouse)) as client:
        _answer(client, web_settings, "C1", "2")
        _answer(client, web_settings, "C2", "10")
    cases = web_warehouse.to_pyarrow(web_warehouse.table("cases")).to_pylist()
    assert [(c["customer_id"], c["team_id"], c["rule_id"]) for c in cases] == [
        ("C1", "delivery", "detractor")
    ]
    [event] = web_warehouse.to_pyarrow(web_warehouse.table("case_events")).to_pylist()
    assert (event["kind"], event["status"], event["actor"]) == ("opened", "open", "system:loop")
