"""The demo's goals: deadlines half a year ahead, and an edited goals.yaml is left alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cxloop.demo.demo_goals import demo_deadline, write_demo_goals
from cxloop.project import starter_files


def test_the_deadline_is_the_end_of_the_quarter_two_quarters_on() -> None:
    assert demo_deadline(date(2026, 12, 6)) == date(2027, 6, 30)
    assert demo_deadline(date(2027, 1, 1)) == date(2027, 9, 30)
    assert demo_deadline(date(2027, 8, 1)) == date(2028, 3, 31)


def test_the_starter_goals_move_with_today(tmp_path: Path) -> None:
    (tmp_path / "goals.yaml").write_text(starter_files()["goals.yaml"], encoding="utf-8")
    goals = write_demo_goals(tmp_path, today=date(2027, 9, 1))
    deadlines = {g.id: g.deadline for g in goals}
    assert deadlines["company-nps"] == date(2026, 6, 30)  # the demo's last day: a miss
    assert deadlines["delivery-csat"] == date(2028, 3, 31)


def test_an_edited_goals_file_is_kept(tmp_path: Path) -> None:
    text = "goals:\n  - {id: mine, kpi: nps, target: 10, deadline: 2030-01-01, owner: me}\n"
    (tmp_path / "goals.yaml").write_text(text, encoding="utf-8")
    assert [g.id for g in write_demo_goals(tmp_path, today=date(2027, 9, 1))] == ["mine"]
    assert (tmp_path / "goals.yaml").read_text(encoding="utf-8") == text
