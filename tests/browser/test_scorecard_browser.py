"""The Scorecard and a team page in a real Chromium: a viewer lands on the Scorecard, the goal
statuses read without colour, the trend chart draws under the strict CSP, the drill-down marks
small n, and the team page withholds a small group's eNPS; on a desktop and on a phone."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from browser.live_server import serve
from browser.test_dashboard import CHROMIUM, DESKTOP, PHONE, WATCH_CSP, Session
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]
EMAIL, PASSWORD = "exec@example.com", "board-meeting-on-monday"
GOALS = """\
goals:
  - id: delivery-csat
    kpi: csat
    scope: {team: delivery}
    target: 0.8
    deadline: 2030-06-30
    owner: Head of Delivery
  - id: stores-csat
    kpi: csat
    scope: {team: stores}
    target: 0.5
    deadline: 2030-06-30
    owner: Stores manager
  - id: company-nps
    kpi: nps
    target: 60
    deadline: 2026-05-31
    owner: Chief Customer Officer
  - id: returns-nps
    kpi: nps
    scope: {team: returns}
    target: 0
    deadline: 2030-06-30
    owner: Returns lead
"""
#: team → (touchpoint, monthly answers, share satisfied in January, change a month)
TEAMS = {"delivery": ("delivery", 80, 0.75, -0.06), "stores": ("store", 80, 0.8, 0.0),
         "returns": ("email", 8, 0.5, 0.0)}  # fmt: skip


def fill(wh: Warehouse) -> None:
    rnd = random.Random(7)
    rows = []
    for team, (touchpoint, count, share, drift) in TEAMS.items():
        for month in range(1, 7):
            p = min(0.95, max(0.05, share + drift * (month - 1)))
            for i in range(count):
                happy = rnd.random() < p
                rows.append({
                    "feedback_id": f"{team}-{month}-{i}", "customer_id": f"c{i % 50}",
                    "ts": datetime(2026, month, 1 + i % 27, 10, tzinfo=UTC), "team_id": team,
                    "touchpoint": touchpoint, "channel": "web", "source": "survey",
                    "language": ("en", "es", "zh")[i % 3], "csat": rnd.choice([4, 5]) if happy
                    else rnd.choice([1, 2, 3]), "nps": rnd.choice([9, 10]) if happy
                    else rnd.choice([0, 3, 6, 8]),
                })  # fmt: skip
    wh.append_rows("feedback", rows)
    wh.append_rows("teams", [
        {"team_id": t, "name": t.title(), "touchpoint": tp} for t, (tp, *_) in TEAMS.items()
    ])  # fmt: skip
    pulses = []
    for team, staff in (("delivery", 8), ("returns", 3)):
        for q in (1, 4):
            for e in range(staff):
                pulses.append({
                    "pulse_id": f"{team}-{q}-{e}", "employee_id": f"{team}-e{e}", "team_id": team,
                    "ts": datetime(2026, q, 15, tzinfo=UTC), "enps": (e * 3) % 11,
                })  # fmt: skip
    wh.append_rows("employee_pulses", pulses)
    # two overlapping segments since their first refresh: c20..c24 are in both
    wh.append_rows("segment_members", [
        {"member_id": f"{seg}-{i}", "segment_id": seg, "customer_id": f"c{i}",
         "computed_at": datetime(2026, 7, 1, tzinfo=UTC), "change": "entered"}
        for seg, members in (("loyal", range(25)), ("at-risk", range(20, 50)))
        for i in members
    ])  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("scorecard") / "acme"
    init_project(root)
    (root / "goals.yaml").write_text(GOALS, encoding="utf-8")
    settings = Settings.load(project=root, company_name="Acme Homes")
    warehouse = open_warehouse(settings.warehouse_url)
    add_user(warehouse, EMAIL, PASSWORD, "viewer", name="Grace Exec")
    fill(warehouse)
    try:
        with serve(create_app(settings, warehouse=warehouse)) as base:
            yield base
    finally:
        warehouse.close()


def sign_in(browser, server: str, viewport: dict) -> Session:
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    session = Session(page, server)
    page.on("console", lambda m: session.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: session.errors.append(str(e)))
    session.go("/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click(".auth-card button[type=submit]")
    page.wait_for_url(server + "/scorecard")  # a viewer lands on the Scorecard
    return session


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_scorecard_and_a_team_page(browser, server: str, viewport: dict, tmp_path: Path) -> None:
    session = sign_in(browser, server, viewport)
    page = session.page
    name = "desktop" if viewport is DESKTOP else "phone"
    assert page.locator("main h1").inner_text() == "Scorecard"
    cards = {
        card.get_attribute("id"): " ".join(card.locator(".goal-status").inner_text().split())
        for card in page.locator(".goal-card").all()
    }
    # every status is a word beside its symbol, not a colour alone
    assert cards == {
        "goal-company-nps": "✘ Miss",
        "goal-delivery-csat": "⚠ At risk",
        "goal-returns-nps": "? Not enough data",
        "goal-stores-csat": "✔ Hit",
    }, page.locator(".goal-list").inner_text()
    page.wait_for_selector("#trend-chart.chart-drawn, #trend-chart.chart-failed")
    assert page.locator("#trend-chart.chart-drawn svg").count() == 1
    assert page.locator("#trend-chart svg g.mark-area path").count() == 1  # the interval band
    table = page.locator("#trend-table-caption")
    assert "95% interval as a band" in (table.text_content() or "")
    drill = page.locator(".drill-table tbody tr")
    assert drill.count() == 3
    assert "small n" in page.locator(".drill-table tbody tr", has_text="returns").inner_text()
    page.screenshot(path=tmp_path / f"scorecard-{name}.png", full_page=True)

    page.click("nav[aria-label='KPI'] >> text=Customer satisfaction (top-2-box)")
    page.wait_for_url(server + "/scorecard?kpi=csat&period=month&by=team")
    page.click(".segmented-wrap >> text=Language")
    page.wait_for_url("**by=language")
    assert page.locator(".drill-table tbody tr").count() == 3
    page.click(".segmented-wrap >> text=Segment")
    page.wait_for_url("**by=segment")
    rows = page.locator(".drill-table tbody th[scope=row]").all_inner_texts()
    assert sorted(rows) == ["at-risk", "loyal"]
    assert page.locator("text=do not add up to the company figure").count() == 1
    page.screenshot(path=tmp_path / f"scorecard-segment-{name}.png", full_page=True)

    page.click("#goal-delivery-csat a")
    page.wait_for_url(server + "/teams/delivery")
    assert page.locator("main h1").inner_text() == "Delivery"
    assert page.locator(".goal-card").count() == 1
    page.wait_for_selector("#team-chart.chart-drawn, #team-chart.chart-failed")
    assert page.locator("#team-chart.chart-drawn svg").count() == 1
    enps = page.locator("#team-enps-heading + .panel-note, section:has(#team-enps-heading)")
    assert "Not shown" not in enps.last.inner_text()  # 8 respondents: shown
    page.screenshot(path=tmp_path / f"team-{name}.png", full_page=True)

    session.go("/teams/returns")
    section = page.locator("section:has(#team-enps-heading)")
    assert section.locator("text=Not shown: too few respondents").count() == 2  # 3 answered
    assert "fewer than 5" in section.inner_text()
    session.go("/teams")
    assert page.locator(".teams-table tbody tr").count() == 3
    session.check_clean()
