"""The demo's planted chain (cxloop.demo.causal, equations 1–9) is recovered by ``valuechain
run`` with the starter valuechain.yaml: engagement → quality → satisfaction → loyalty, each
link positive and significant, and the links as strong as they were planted, strongest first
(quality moves with engagement directly; satisfaction moves with quality only through small
per-interaction effects and failures; orders move with satisfaction through Poisson noise)."""

from __future__ import annotations

import pytest

from cxloop.domain.valuechain import ValueChainRun
from cxloop.project import open_project_warehouse
from cxloop.understand.valuechain import CHAIN_FILE, load_chain_file, value_chain_run
from demo_warehouses import CHAIN as DEMO
from demo_warehouses import DemoWarehouses

pytestmark = [pytest.mark.slow, DEMO.mark]
CHAIN = [("Engagement", "Quality"), ("Quality", "Satisfaction"), ("Satisfaction", "Loyalty")]


@pytest.fixture(scope="module")
def result(demo_warehouses: DemoWarehouses, request: pytest.FixtureRequest) -> ValueChainRun:
    settings = demo_warehouses.get(DEMO, request).settings
    chain = load_chain_file(settings.project / CHAIN_FILE)
    with open_project_warehouse(settings, read_only=True) as wh:
        return value_chain_run(wh, chain, bootstrap_resamples=300, seed=1)


def test_every_link_of_the_chain_is_positive_and_significant(result: ValueChainRun) -> None:
    paths = {(p.source, p.target): p for p in result.fit.paths}
    for link in CHAIN:
        estimate = paths[link]
        assert estimate.ci_low is not None and estimate.ci_low > 0, (link, estimate)
    assert result.cases >= 30 and result.teams == 8


def test_the_links_are_strongest_where_planted_strongest(result: ValueChainRun) -> None:
    coef = {(p.source, p.target): p.coef for p in result.fit.paths}
    sizes = [coef[link] for link in CHAIN]
    assert sizes == sorted(sizes, reverse=True), sizes
    assert coef[("Engagement", "Quality")] > 0.7


def test_engagement_explains_a_share_of_each_customer_outcome(result: ValueChainRun) -> None:
    outcomes = {o.outcome: o for o in result.outcomes}
    satisfaction, loyalty = outcomes["Satisfaction"], outcomes["Loyalty"]
    assert satisfaction.ci_low is not None and satisfaction.ci_low > 0
    assert loyalty.ci_low is not None and loyalty.ci_low > 0
    # the effect fades along the chain: engagement explains more of satisfaction than loyalty
    assert 0 < loyalty.explained_share < satisfaction.explained_share < 1
