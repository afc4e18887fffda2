"""The demo's "you said, we did" actions are dated from the demo's last day, so a demo built
next year reads as recent work and a plan still ahead, not as last year's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from cxloop.demo.demo_actions import DEMO_ACTIONS, add_demo_actions
from cxloop.demo.loading import DEMO_MONTHS
from cxloop.demo.timeline import add_months, window_start
from cxloop.share.public_actions import list_actions
from cxloop.storage import open_warehouse


def _dates(path: str, last_day: date) -> dict[str, tuple[date, str, datetime]]:
    with open_warehouse(f"duckdb:///{path}") as wh:
        assert add_demo_actions(wh, last_day) == len(DEMO_ACTIONS)
        assert add_demo_actions(wh, last_day) == 0  # done once
        return {a.action_id: (a.action_date, a.status, a.updated_at) for a in list_actions(wh)}


def test_actions_move_with_the_demo_s_run_date(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for as_of in (date(2026, 12, 7), date(2027, 12, 7), date(2030, 3, 15)):
        # the last day as run_demo computes it from the run date
        last_day = add_months(window_start(as_of, DEMO_MONTHS), DEMO_MONTHS) - timedelta(days=1)
        assert as_of - timedelta(days=1) <= last_day < as_of
        dates = _dates(str(tmp_path / f"{as_of}.duckdb"), last_day)
        noon = datetime.combine(last_day, time(12), tzinfo=UTC)
        for item in DEMO_ACTIONS:
            day, status, updated = dates[item.action_id]
            assert day == last_day - timedelta(days=item.days_before_end), item.action_id
            assert updated < noon  # entered before the demo's end, even a plan ahead of it
            if status == "planned":
                assert last_day < day <= last_day + timedelta(days=31)
            else:
                assert last_day - timedelta(days=90) < day <= last_day
