"""``goals.yaml``: defaults, and mistakes reported with file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cxloop.errors import ConfigError
from cxloop.project import starter_files
from cxloop.understand.goals import goal_title, load_goals

GOOD = """\
goals:
  - id: company-nps
    kpi: nps
    target: 30
    deadline: 2027-06-30
    owner: Head of CX
  - id: delivery-ces
    kpi: ces
    scope: {team: delivery}
    target: 3.0
    deadline: 2027-03-31
    owner: Delivery lead
    start: 2026-01-01
    period: quarter
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "goals.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_goals_load_with_defaults(tmp_path: Path) -> None:
    nps, ces = load_goals(write(tmp_path, GOOD))
    assert (nps.scope.dimension, nps.direction, nps.period, nps.start) == (None, "higher", "month",
                                                                          None)  # fmt: skip
    assert (ces.scope.dimension, ces.scope.value) == ("team", "delivery")
    assert ces.direction == "lower"  # derived: less effort is better
    assert (ces.deadline, ces.start, ces.period) == (date(2027, 3, 31), date(2026, 1, 1), "quarter")
    assert goal_title(ces) == "Customer effort score, team = delivery: ≤ 3.00"


def test_a_missing_or_empty_file_has_no_goals(tmp_path: Path) -> None:
    assert load_goals(tmp_path / "goals.yaml") == []
    assert load_goals(write(tmp_path, "# nothing yet\n")) == []


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("kpi: ces", "kpi: effort", ":8: goals.1.kpi:", "unknown KPI 'effort'"),
        ("{team: delivery}", "{shop: delivery}", ":9: goals.1.scope:", "unknown scope 'shop'"),
        ("{team: delivery}", "{team: a, channel: b}", ":9: goals.1.scope:", "one dimension"),
        ("target: 30", "target: 130", ":4: goals.0.target:", "outside what nps can be"),
        ("deadline: 2027-06-30", "deadline: soon", ":5: goals.0.deadline:", "date"),
        ("    owner: Head of CX\n", "", ":2: goals.0.owner:", "Field required"),
        ("period: quarter", "period: fortnight", ":14: goals.1.period:", "'month'"),
        ("start: 2026-01-01", "start: 2028-01-01", ":13: goals.1.start:", "before the deadline"),
        ("id: delivery-ces", "id: company-nps", ":7: goals.1.id:", "already the id of goal 0"),
        ("id: delivery-ces", "id: 'a b'", ":7: goals.1.id:", "an id is"),
        ("    owner: Head of CX\n", "    owner: x\n    colour: red\n", ":7: goals.0.colour:",
         "Extra inputs"),
    ],
)  # fmt: skip
def test_mistakes_name_the_file_line_and_field(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        load_goals(path)
    text = caught.value.message
    assert text.startswith(f"{path}{where}"), text
    assert message in text


def test_a_share_target_written_as_a_percentage_gets_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("kpi: nps\n    target: 30", "kpi: csat\n    target: 80"))
    with pytest.raises(ConfigError, match=r"0.8 for 80%"):
        load_goals(path)


def test_enps_cannot_be_scoped_to_a_customer_segment(tmp_path: Path) -> None:
    text = GOOD.replace("kpi: ces", "kpi: enps").replace("target: 3.0", "target: 10")
    path = write(tmp_path, text.replace("{team: delivery}", "{segment: vip}"))
    with pytest.raises(ConfigError, match="about employees"):
        load_goals(path)


def test_the_starter_file_is_valid(tmp_path: Path) -> None:
    goals = load_goals(write(tmp_path, starter_files()["goals.yaml"]))
    assert len(goals) >= 3
    assert {g.scope.dimension for g in goals} >= {None, "team"}
