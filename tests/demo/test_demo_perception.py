"""The planted perception gap (equation 10 of cxloop.demo.causal) is recovered by the gap
analysis from the demo's survey responses, and matches the ground truth's expected shares."""

from __future__ import annotations

import json
import math

import pytest

from cxloop.collect.importer import import_file
from cxloop.demo import DemoManifest, generate_demo_company
from cxloop.demo.loading import load_survey_answers
from cxloop.demo.perception import STATEMENTS
from cxloop.storage import Warehouse
from cxloop.understand.perception_gap import gap_report


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate_demo_company(tmp_path_factory.mktemp("gap"), customers=1500, seed=3, months=12)


@pytest.fixture
def loaded(demo: DemoManifest, warehouse: Warehouse) -> Warehouse:
    for item in demo.files:
        if item.kind in ("teams", "employees"):
            import_file(warehouse, item.kind, item.path, source=item.source)
    assert demo.surveys is not None
    assert load_survey_answers(warehouse, demo.surveys) > 0
    assert load_survey_answers(warehouse, demo.surveys) == 0  # a re-run adds nothing
    return warehouse


def test_the_gap_is_recovered_within_sampling_error(demo: DemoManifest, loaded: Warehouse) -> None:
    truth = json.loads((demo.ground_truth / "perception_gap.json").read_text())["company"]
    report = gap_report(loaded, min_group_n=5)
    rows = {r.statement_id: r for r in report.rows}
    assert set(rows) == set(STATEMENTS)
    for statement, row in rows.items():
        for group in ("managers", "employees", "customers"):
            cell = getattr(row, group)
            expected = truth[group][statement]
            assert cell.n == truth[group]["respondents"]
            se = math.sqrt(expected * (1 - expected) / cell.n) + 1e-9
            assert abs(cell.share - expected) <= 3 * se + 1 / cell.n, (statement, group)
        # the planted gap: managers far above customers, staff in between, and significant
        assert row.managers.share > row.employees.share > row.customers.share
        assert row.gap > 0.5 and row.significant, statement


def test_managers_rate_customer_centricity_about_0_7_higher(loaded: Warehouse) -> None:
    rows = gap_report(loaded).rows
    difference = sum(r.managers.mean - r.employees.mean for r in rows) / len(rows)
    assert 0.35 < difference < 1.05  # planted: 0.7 on the latent scale, before rounding


def test_teams_with_one_manager_withhold_the_managers(loaded: Warehouse) -> None:
    report = gap_report(loaded, by="team")
    teams = [r for r in report.rows if r.team_id is not None]
    assert {r.team_id for r in teams} >= {"delivery", "billing", "call_centre"}
    assert all(r.managers.suppressed == "min_group_n" for r in teams)
    assert all(r.managers.share is None and r.gap is None for r in teams)
    assert all(r.customers.n > 0 for r in teams)
