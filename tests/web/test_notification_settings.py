"""The Settings page's Notifications section: admins only, channels with their readiness (no
secret shown), recent notifications with their status, in the page's language; a case action
on the case page writes its notification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from act.case_data import DETRACTOR_RULE, add_company, add_feedback, write_rules
from cxloop.act.loop import run_loop
from cxloop.act.rules import load_rules
from cxloop.config import Settings
from cxloop.storage import Warehouse

CHANNELS = """\
channels:
  - id: ops-hook
    type: webhook
    url: https://hooks.example/cx?a=<b>
    secret_env: CXLOOP_TEST_UNSET_SECRET_VARIABLE
  - id: people
    type: email
    to: [assignee]
    events: [assigned]
"""


def test_only_admins_see_notifications(
    signed_in: Callable[..., TestClient], web_settings: Settings
) -> None:
    (web_settings.project / "notifications.yaml").write_text(CHANNELS, encoding="utf-8")
    assert "notifications-heading" not in signed_in("analyst").get("/settings").text
    html = signed_in("admin").get("/settings").text
    assert "notifications-heading" in html and "ops-hook" in html
    assert "Secret or URL not set" in html and "Signed webhook" in html
    assert "https://hooks.example/cx?a=&lt;b&gt;" in html and "<b>" not in html
    assert "No notifications yet." in html


def test_an_assignment_on_the_case_page_shows_up_in_spanish(
    signed_in: Callable[..., TestClient],
    web_settings: Settings,
    web_warehouse: Warehouse,
    csrf_of: Callable[[str], str],
) -> None:
    (web_settings.project / "notifications.yaml").write_text(CHANNELS, encoding="utf-8")
    write_rules(web_settings.project, detractor=DETRACTOR_RULE)
    add_company(web_warehouse)
    add_feedback(web_warehouse, "F1", "C1", datetime.now(UTC) - timedelta(hours=1), nps=2)
    [case] = run_loop(web_warehouse, load_rules(web_settings.project)).opened
    client = signed_in("agent")
    page = client.get(f"/cases/{case.case_id}")
    posted = client.post(
        f"/cases/{case.case_id}/events",
        data={"kind": "assigned", "assignee": "ann@acme.example", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    html = signed_in("admin", language="es").get("/settings").text
    assert "Notificaciones" in html and "ann@acme.example" in html
    assert "Pendiente" in html and "Asignado" in html
