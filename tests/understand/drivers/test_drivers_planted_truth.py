"""Key-driver analysis recovers what the demo company planted (demo/causal.py eq. 5–6): late
deliveries (w = 1.4) and billing failures (w = 1.2) cost far more satisfaction, and so NPS,
than failures at the web (0.1), in the app (0.25) or in support queues (0.45–0.6)."""

from __future__ import annotations

import pytest

from cxloop.config import Settings
from cxloop.demo.causal import MODEL
from cxloop.demo.feedback import FAILURE_THEME
from cxloop.project import open_project_warehouse
from cxloop.understand.drivers import driver_report
from demo_warehouses import PLANTED, DemoWarehouses

pytestmark = [pytest.mark.slow, PLANTED.mark]


@pytest.fixture(scope="module")
def demo(demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest) -> Settings:
    return demo_warehouses.get(PLANTED, request).settings


def test_delivery_csat_is_the_top_driver_of_nps(demo: Settings) -> None:
    with open_project_warehouse(demo, read_only=True) as wh:
        report = driver_report(wh, "nps", bootstrap=100, seed=2)
    top, *others = report.drivers
    assert top.name == "touchpoint:delivery" and top.correlation > 0
    assert top.relative_weight == max(d.relative_weight for d in report.drivers)
    assert top.shapley_ci_low is not None
    assert top.shapley_ci_low > max(d.shapley for d in others)


def test_the_themes_of_delivery_and_billing_failures_weigh_most(demo: Settings) -> None:
    weights = MODEL.failure_weights
    assert sorted(weights, key=weights.get, reverse=True)[:2] == ["delivery", "billing"]
    failure_themes = sorted({f"theme:{t}" for t in FAILURE_THEME.values()})
    with open_project_warehouse(demo, read_only=True) as wh:
        report = driver_report(wh, "nps", drivers=failure_themes, bootstrap=100, seed=2)
    by_shapley = [d.name for d in report.drivers]
    by_weight = [d.name for d in sorted(report.drivers, key=lambda d: -d.relative_weight)]
    assert by_shapley[:2] == by_weight[:2] == ["theme:delivery", "theme:billing"]
    assert all(d.correlation < 0 for d in report.drivers[:2])  # mentioned: lower NPS
    app = next(d for d in report.drivers if d.name == "theme:app_usability")
    assert app.shapley < report.drivers[1].shapley_ci_low  # web and app failures barely matter
