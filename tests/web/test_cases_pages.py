"""The Cases inbox and a case's page: roles, counts and filters, "my team", the forms with
CSRF, a refused transition, escaping, and the customer beside the case."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from act.case_data import BILLING_RULE, DETRACTOR_RULE, add_company, add_feedback, write_rules
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.config import Settings
from cxloop.storage import Warehouse

CASE_LINK = re.compile(r'href="/cases/(case_[0-9a-f]+)"')


@pytest.fixture
def cases(web_settings: Settings, web_warehouse: Warehouse) -> list[str]:
    add_company(web_warehouse)
    now = datetime.now(UTC)
    add_feedback(web_warehouse, "F1", "C1", now - timedelta(hours=60), nps=3,
                 text="<script>alert(1)</script> rude")  # fmt: skip
    add_feedback(web_warehouse, "F2", "C2", now - timedelta(hours=1), nps=2, text="Cobro doble",
                 themes=["billing"], sentiment="negative")  # fmt: skip
    write_rules(web_settings.project, detractor=DETRACTOR_RULE, billing=BILLING_RULE)
    opened = run_loop(web_warehouse, load_rules(web_settings.project),
                      now=now - timedelta(hours=59), since=now - timedelta(days=5))  # fmt: skip
    later = run_loop(web_warehouse, load_rules(web_settings.project), now=now)
    return [c.case_id for c in opened.opened + later.opened]


def test_viewers_have_no_cases_agents_get_the_inbox(cases, signed_in) -> None:
    viewer = signed_in("viewer")
    assert viewer.get("/cases").status_code == 403
    assert 'href="/cases"' not in viewer.get("/").text
    agent = signed_in("agent")
    page = agent.get("/cases")
    assert page.status_code == 200 and 'href="/cases"' in page.text
    assert len(set(CASE_LINK.findall(page.text))) == 3
    assert "Overdue" in page.text and "Escalated" in page.text
    billing = agent.get("/cases", params={"team": "billing"})
    assert len(set(CASE_LINK.findall(billing.text))) == 2
    overdue = agent.get("/cases", params={"team": "all", "overdue": "1"})
    assert len(set(CASE_LINK.findall(overdue.text))) == 1
    closed = agent.get("/cases", params={"status": "closed"})
    assert CASE_LINK.findall(closed.text) == [] and "No cases here" in closed.text
    assert agent.get("/cases", params={"status": "nope"}).status_code == 400


def test_my_team_is_the_default_filter(cases, client, web_warehouse) -> None:
    from cxloop.access.users import add_user
    from web.conftest import PASSWORD, sign_in

    add_user(web_warehouse, "bill@acme.example", PASSWORD, "agent", name="Bill")
    sign_in(client, "bill@acme.example")
    page = client.get("/cases")
    assert len(set(CASE_LINK.findall(page.text))) == 2  # billing's cases only
    assert "(my team)" in page.text
    everything = client.get("/cases", params={"team": "all"})
    assert len(set(CASE_LINK.findall(everything.text))) == 3


def test_work_a_case_through_its_forms(cases, signed_in, csrf_of) -> None:
    agent = signed_in("agent", language="es")
    url = f"/cases/{cases[0]}"
    page = agent.get(url)
    assert page.status_code == 200 and 'lang="es"' in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "Ann Example" in page.text  # the customer beside the case
    token = csrf_of(page.text)
    forged = agent.post(f"{url}/events", data={"kind": "acknowledged"}, follow_redirects=False)
    assert forged.status_code == 403
    for data in (
        {"kind": "acknowledged"},
        {"kind": "customer_contacted", "note": "Llamada: <b>reembolso</b>"},
        {"kind": "commented", "note": "Hecho"},
        {"kind": "resolved", "resolution": "compensated", "note": "Reembolsado"},
    ):
        done = agent.post(f"{url}/events", data={**data, "csrf_token": token},
                          follow_redirects=False)  # fmt: skip
        assert done.status_code == 303, done.text
        assert done.headers["location"].startswith(f"{url}?done={data['kind']}")
    shown = agent.get(url)
    assert "Resuelto" in shown.text and "Compensado" in shown.text
    assert "&lt;b&gt;reembolso&lt;/b&gt;" in shown.text
    refused = agent.post(f"{url}/events", data={"kind": "acknowledged", "csrf_token": token})
    assert refused.status_code == 409
    assert "a case that is resolved cannot be acknowledged" in refused.text


def test_reassign_a_case_from_its_page(cases, signed_in, csrf_of) -> None:
    agent = signed_in("agent")
    url = f"/cases/{cases[0]}"
    page = agent.get(url)
    assert 'name="kind" value="reassigned"' in page.text
    assert '<option value="billing">Billing</option>' in page.text
    token = csrf_of(page.text)
    unknown = agent.post(f"{url}/events", data={"kind": "reassigned", "team": "nope",
                                                 "note": "x", "csrf_token": token})  # fmt: skip
    assert unknown.status_code == 400 and "no team &#39;nope&#39;" in unknown.text
    done = agent.post(f"{url}/events", data={"kind": "reassigned", "team": "billing",
                                              "note": "Billing's to fix", "csrf_token": token},
                      follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    shown = agent.get(url)
    assert "Reassigned" in shown.text and "→ Billing" in shown.text
    assert '<option value="billing">' not in shown.text  # now its own team
