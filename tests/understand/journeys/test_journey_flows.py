"""Journey steps, paths, flows, time between steps and drop-off on small hand tables."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from cxloop.understand.journeys import flows
from cxloop.understand.journeys.steps import journey_steps, touchpoint_visits

DAY = 86_400

#: customer, time, touchpoint. a: web×2 → billing → delivery (2 days on), then after 19 days
#: a new journey at web. b: app → web → app within a day. c: a single store visit. d: web →
#: billing → delivery like a, with other gaps.
VISITS = [
    ("a", "2025-01-01 10:00", "web"),
    ("a", "2025-01-01 10:05", "web"),
    ("a", "2025-01-01 10:06", "billing"),
    ("a", "2025-01-03 10:06", "delivery"),
    ("a", "2025-01-22 10:00", "web"),
    ("b", "2025-01-02 00:00", "app"),
    ("b", "2025-01-02 01:00", "web"),
    ("b", "2025-01-02 02:00", "app"),
    ("c", "2025-01-05 12:00", "store"),
    ("d", "2025-01-07 08:00", "web"),
    ("d", "2025-01-07 09:00", "billing"),
    ("d", "2025-01-08 09:00", "delivery"),
    (None, "2025-01-07 08:00", "web"),  # anonymous: not in any journey
]


@pytest.fixture
def con() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def _steps(con: ibis.BaseBackend, gap_days: float = 7) -> ibis.Table:
    frame = pd.DataFrame(VISITS, columns=["customer_id", "ts", "touchpoint"])
    frame["ts"] = pd.to_datetime(frame["ts"])
    events = con.create_table("events", frame)
    return journey_steps(touchpoint_visits(events), gap_seconds=gap_days * DAY)


def test_steps_collapse_repeats_and_cut_journeys_at_the_gap(con) -> None:
    steps = con.execute(_steps(con).order_by(["customer_id", "journey", "step"]))
    a = steps[steps["customer_id"] == "a"]
    assert a[["journey", "step", "touchpoint"]].values.tolist() == [
        [1, 1, "web"], [1, 2, "billing"], [1, 3, "delivery"], [2, 1, "web"],
    ]  # fmt: skip
    assert a["next_touchpoint"].tolist()[:2] == ["billing", "delivery"]
    assert a["next_touchpoint"].isna().tolist() == [False, False, True, True]
    # a step's time is its first visit's: web at 10:00, not the repeat at 10:05
    assert int(a["next_t"].iloc[0]) - int(a["t"].iloc[0]) == 6 * 60
    b = steps[steps["customer_id"] == "b"]
    assert b["touchpoint"].tolist() == ["app", "web", "app"]  # a return is not a repeat
    assert steps["customer_id"].notna().all()


def test_a_shorter_gap_splits_more_journeys(con) -> None:
    steps = con.execute(_steps(con, gap_days=1.5))
    a = steps[steps["customer_id"] == "a"].sort_values("t")
    assert a["journey"].tolist() == [1, 1, 2, 3]


def test_common_paths_with_counts_and_order(con) -> None:
    paths = con.execute(flows.common_paths(_steps(con), max_steps=5, top=3))
    got = [(p.split(flows.PATH_SEPARATOR), bool(c), int(n)) for p, c, n in paths.values]
    assert got[0] == (["web", "billing", "delivery"], False, 2)
    assert len(got) == 3
    assert {tuple(g[0]) for g in got[1:]} <= {("app", "web", "app"), ("store",), ("web",)}


def test_paths_longer_than_max_steps_are_cut_and_say_so(con) -> None:
    paths = con.execute(flows.common_paths(_steps(con), max_steps=2, top=10))
    rows = {(p, bool(c)): int(n) for p, c, n in paths.values}
    assert rows[(f"web{flows.PATH_SEPARATOR}billing", True)] == 2
    assert rows[(f"app{flows.PATH_SEPARATOR}web", True)] == 1


def test_nodes_links_and_drop_off(con) -> None:
    steps = _steps(con)
    totals = con.execute(flows.journey_totals(steps))
    assert totals.iloc[0].tolist() == [5, 4]  # journeys, customers
    nodes = con.execute(flows.step_nodes(steps, max_steps=5))
    node = {(int(s), t): (int(j), int(e)) for s, t, j, e in nodes.values}
    assert node[(1, "web")] == (3, 1)  # a's two journeys and d's; a's second ends at once
    assert node[(3, "delivery")] == (2, 2)
    assert node[(1, "store")] == (1, 1)
    links = con.execute(flows.step_links(steps, max_steps=5))
    link = {(int(s), a, b): int(n) for s, a, b, n in links.values}
    assert link == {
        (1, "web", "billing"): 2, (2, "billing", "delivery"): 2, (1, "app", "web"): 1,
        (2, "web", "app"): 1,
    }  # fmt: skip
    ends = con.execute(flows.touchpoint_ends(steps))
    end = {t: (int(v), int(e)) for t, v, e in ends.values}
    assert end["web"] == (4, 1) and end["delivery"] == (2, 2) and end["billing"] == (2, 0)


def test_time_between_steps_median_and_quartiles(con) -> None:
    transitions = con.execute(flows.step_transitions(_steps(con)))
    row = transitions[(transitions["source"] == "billing") & (transitions["target"] == "delivery")]
    assert int(row["journeys"].iloc[0]) == 2
    # a: 48 h, d: 24 h → median 36 h, quartiles 30 and 42 (linear interpolation)
    assert row["median_hours"].iloc[0] == pytest.approx(36.0)
    assert row["q1_hours"].iloc[0] == pytest.approx(30.0)
    assert row["q3_hours"].iloc[0] == pytest.approx(42.0)


def test_since_leaves_earlier_visits_out(con) -> None:
    from datetime import date

    frame = pd.DataFrame(VISITS, columns=["customer_id", "ts", "touchpoint"])
    frame["ts"] = pd.to_datetime(frame["ts"])
    events = con.create_table("ev2", frame)
    visits = touchpoint_visits(events, since=date(2025, 1, 5))
    assert sorted(con.execute(visits)["customer_id"].unique()) == ["a", "c", "d"]
