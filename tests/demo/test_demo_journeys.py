"""The demo's planted moments of truth (equation 5 of cxloop.demo.causal: a late delivery costs
1.4 satisfaction, a billing failure 1.2, a web page error 0.1) are recovered from its events and
NPS answers alone, and its journeys follow the order → invoice → delivery flow it simulates."""

from __future__ import annotations

import pytest

from cxloop.demo.causal import MODEL
from cxloop.domain.journey import JourneyReport
from cxloop.project import open_project_warehouse
from cxloop.understand.journeys import JourneyOptions, journey_report
from demo_warehouses import CHAIN, DemoWarehouses

pytestmark = CHAIN.mark


@pytest.fixture(scope="module")
def report(demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest) -> JourneyReport:
    settings = demo_warehouses.get(CHAIN, request).settings
    with open_project_warehouse(settings, read_only=True) as wh:
        return journey_report(wh, JourneyOptions.from_settings(settings))


def test_delivery_and_billing_are_the_top_moments_of_truth(report: JourneyReport) -> None:
    ranked = [m for m in report.moments_of_truth.touchpoints if m.rank is not None]
    assert {m.touchpoint for m in ranked[:2]} == {"delivery", "billing"}
    by_tp = {m.touchpoint: m for m in report.moments_of_truth.touchpoints}
    for tp in ("delivery", "billing"):
        m = by_tp[tp]
        assert m.ci_high < 0 and m.p_value < 0.001, m
        # an NPS answer drops ~1.5 points per unit of satisfaction lost (equation 6)
        planted = MODEL.nps[1] * MODEL.failure_weights[tp]
        assert 0.5 * planted < -m.effect < 2.0 * planted, m
    web = by_tp["web"]
    assert web.effect > max(by_tp["delivery"].ci_high, by_tp["billing"].ci_high)
    assert abs(web.effect) < 1.0  # planted: 0.15 points


def test_journeys_follow_the_simulated_order_flow(report: JourneyReport) -> None:
    assert report.journeys > report.customers > 1000
    two = {tuple(p.steps[:3]) for p in report.paths}
    assert ("web", "billing", "delivery") in two or ("app", "billing", "delivery") in two
    billing_to_delivery = next(
        t for t in report.transitions if (t.source, t.target) == ("billing", "delivery")
    )
    # the demo ships about half a day after the order (and invoice)
    assert 6 < billing_to_delivery.median_hours < 36
    ends = {d.touchpoint: d for d in report.drop_off}
    assert ends["billing"].exit_rate < 0.1 < ends["delivery"].exit_rate
    satisfaction = {s.touchpoint: s for s in report.satisfaction}
    assert satisfaction["delivery"].mean < satisfaction["web"].mean
