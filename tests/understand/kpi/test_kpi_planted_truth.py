"""The KPI library recovers what the demo generator planted."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from cxloop.understand.kpi import kpi_report
from demo_warehouses import PLANTED, DemoWarehouses

pytestmark = PLANTED.mark


@pytest.fixture(scope="module")
def demo(demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest) -> tuple[Settings, dict]:
    shared = demo_warehouses.get(PLANTED, request)
    truth = json.loads((shared.ground_truth / "value_chain.json").read_text())
    return shared.settings, truth


def _quarter(label: str) -> date:
    year, q = label.split("Q")
    return date(int(year), 3 * int(q) - 2, 1)


def test_team_quarter_csat_matches_the_generator(demo: tuple[Settings, dict]) -> None:
    settings, truth = demo
    with open_project_warehouse(settings, read_only=True) as wh:
        cells = kpi_report(wh, "csat_mean", by="team", period="quarter").results
    ours = {(c.group, c.period_start): c for c in cells}
    compared = 0
    for planted in truth["observed"]["team_quarters"]:
        if planted["csat_n"] < 5:
            continue
        cell = ours[(planted["team_id"], _quarter(planted["quarter"]))]
        assert cell.n == planted["csat_n"]
        assert cell.value == pytest.approx(planted["mean_csat"], abs=1e-3)
        compared += 1
    assert compared >= 20


def test_teams_with_higher_engagement_have_higher_csat(demo: tuple[Settings, dict]) -> None:
    settings, truth = demo
    engagement = {
        (c["team_id"], _quarter(c["quarter"])): c["engagement"]
        for c in truth["observed"]["team_quarters"]
    }
    with open_project_warehouse(settings, read_only=True) as wh:
        cells = kpi_report(wh, "csat", by="team", period="quarter").results
    pairs = [(engagement[(c.group, c.period_start)], c.value) for c in cells if c.n >= 5]
    x, y = np.array(pairs).T
    assert np.corrcoef(x, y)[0, 1] > 0.4  # planted: engagement → service quality → CSAT


def test_the_costliest_touchpoint_has_the_lowest_nps(demo: tuple[Settings, dict]) -> None:
    settings, truth = demo
    costliest = max(
        truth["touchpoints"], key=lambda t: truth["touchpoints"][t]["nps_points_lost_per_failure"]
    )
    with open_project_warehouse(settings, read_only=True) as wh:
        cells = kpi_report(wh, "nps", by="touchpoint").results
    by_touchpoint = {c.group: c for c in cells}
    assert costliest in by_touchpoint
    others = [c.value for g, c in by_touchpoint.items() if g != costliest and c.n >= 30]
    assert by_touchpoint[costliest].value < np.median(others)
