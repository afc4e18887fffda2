"""The demo's window ends on the day it is built for (``as_of``), so a fresh demo's open cases
are the latest ones as of that day, and its "you said, we did" page is on and shows recent
actions in three languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from cxloop.act.case_queries import case_state_expr
from cxloop.config import Settings
from cxloop.demo.demo_actions import DEMO_ACTIONS, publish_demo_page
from cxloop.demo.loading import DEMO_DATA_DIR, run_demo
from cxloop.demo.manifest import previous_start
from cxloop.demo.timeline import make_timeline, window_start
from cxloop.project import init_project, open_project_warehouse
from cxloop.share.public_actions import list_actions
from cxloop.share.you_said import you_said_we_did

AS_OF = date(2026, 12, 7)


def test_the_window_ends_on_the_day_given() -> None:
    assert window_start(AS_OF, 18) == date(2025, 6, 7)
    timeline = make_timeline(window_start(AS_OF, 18), 18)
    assert datetime.fromtimestamp(timeline.end, UTC).date() == AS_OF
    # days after the 28th fall back to the 28th, as the generator's months do
    assert window_start(date(2027, 1, 31), 18) == date(2025, 7, 28)


def test_the_public_page_setting_is_added_once_and_never_overrides(tmp_path: Path) -> None:
    init_project(tmp_path)
    assert publish_demo_page(tmp_path) and Settings.load(project=tmp_path).you_said_we_did
    assert not publish_demo_page(tmp_path)
    off = tmp_path / "off"
    init_project(off)
    with (off / "cxloop.toml").open("a", encoding="utf-8") as handle:
        handle.write("you_said_we_did = false\n")
    assert not publish_demo_page(off) and not Settings.load(project=off).you_said_we_did


@pytest.mark.slow
def test_a_demo_built_today_has_only_its_latest_cases_open_today(tmp_path: Path) -> None:
    settings = Settings.load(project=tmp_path / "demo")
    result = run_demo(settings, customers=600, seed=0, refresh_segments=False, as_of=AS_OF)
    assert (result.start, result.end) == (date(2025, 6, 7), AS_OF)
    assert previous_start(tmp_path / "demo" / DEMO_DATA_DIR) == result.start
    settings = Settings.load(project=tmp_path / "demo")  # the demo turned the public page on
    assert settings.you_said_we_did
    noon = datetime.combine(AS_OF, time(12), tzinfo=UTC)
    with open_project_warehouse(settings, read_only=True) as wh:
        feedback = wh.table("feedback")
        last = wh.to_pandas(feedback.aggregate(last=feedback.ts.max()))["last"].iloc[0]
        assert noon - timedelta(days=2) < last.to_pydatetime() < noon
        state = case_state_expr(wh.table("cases"), wh.table("case_events"), noon)
        cases = wh.to_pandas(state.select("status", "opened_at"))
        # a company that works its loop: 18 months left no backlog, only the latest cases are
        # open, none older than a month (their mix: tests/demo/test_demo_case_mix.py)
        active = cases[cases["status"].isin(["open", "assigned", "acknowledged"])]
        assert len(active) < 0.05 * len(cases) and (cases["status"] == "closed").mean() > 0.8
        assert (active["opened_at"] > noon - timedelta(days=30)).all(), active

        actions = list_actions(wh)
        assert len(actions) == len(DEMO_ACTIONS) == result.actions
        published = list_actions(wh, published_only=True)
        assert len(published) == 4
        assert all(set(a.titles) == {"en", "es", "zh"} for a in actions)
        report = you_said_we_did(wh, days=90, min_group_n=5, now=noon)
        raised = {t.theme for t in report.themes}
        assert {a.theme for a in published} <= raised  # each answers a theme raised lately
        assert max(a.action_date for a in published if a.status == "done") > AS_OF - timedelta(60)
