"""The demo company's goals: the starter ``goals.yaml`` with its future deadlines moved to
about half a year from today, so that the demo always shows a mix of statuses (a hit, a goal on
track, goals at risk, a miss and one with too little data) however late it is run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cxloop.domain.goal import Goal
from cxloop.project import starter_files
from cxloop.understand.goals import GOALS_FILE, load_goals

#: the starter file's deadline still to come (the past one, 2026-06-30, is the demo's last day)
STARTER_FUTURE_DEADLINE = "2027-06-30"


def demo_deadline(today: date) -> date:
    """The last day of the calendar quarter two quarters after ``today``'s."""
    quarter = (today.month - 1) // 3 + 2
    year = today.year + quarter // 4
    last_month = (quarter % 4) * 3 + 3
    return date(year, last_month, 30 if last_month in (6, 9) else 31)


def write_demo_goals(project: Path, today: date | None = None) -> list[Goal]:
    """Write the demo goals into ``project/goals.yaml`` unless someone edited it; return the
    goals the file now holds."""
    path = project / GOALS_FILE
    starter = starter_files()[GOALS_FILE]
    if not path.exists() or path.read_text(encoding="utf-8") == starter:
        deadline = demo_deadline(today or date.today())
        deadline = max(deadline, date.fromisoformat(STARTER_FUTURE_DEADLINE))
        path.write_text(starter.replace(STARTER_FUTURE_DEADLINE, deadline.isoformat()),
                        encoding="utf-8")  # fmt: skip
    return load_goals(path)
