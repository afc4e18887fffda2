"""The same cases on every engine (tests/conformance/engines.py): the small demo company,
built once per engine, must give the reference engine's answers at every stage.

A stage an engine cannot do yet goes in :data:`CANNOT` with the reason: its test is then a
strict xfail (it fails again, loudly, the day the engine can).
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.answers import CUSTOMERS, demo_answers, differences
from conformance.engines import ENGINES, REFERENCE, warehouse_url
from conformance.lifecycle_answers import SERVED_EVENTS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("conformance")]

#: (engine, stage) → why the engine cannot answer that stage
CANNOT: dict[tuple[str, str], str] = {}

_BUILT: dict[str, dict[str, Any]] = {}


def _answers(engine: str, factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The engine's answers, computed once per session (its warehouse is dropped after)."""
    if engine not in _BUILT:
        root = factory.mktemp(f"conformance-{engine}")
        with warehouse_url(engine, root) as url:
            _BUILT[engine] = demo_answers(root / "demo", url)
    return _BUILT[engine]


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def answers(engine: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _answers(engine, tmp_path_factory)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _answers(REFERENCE, tmp_path_factory)


def check_stage(
    request: pytest.FixtureRequest,
    engine: str,
    stage: str,
    answers: dict[str, Any],
    reference: dict[str, Any],
) -> Any:
    """Mark the test xfail where the engine cannot do ``stage``; compare the engine's
    answers for it with the reference engine's; return them for the stage's own checks."""
    if (engine, stage) in CANNOT:
        request.applymarker(pytest.mark.xfail(reason=CANNOT[engine, stage], strict=True))
    found = differences(answers[stage], reference[stage], stage)
    assert not found, f"{engine} differs from {REFERENCE} in {len(found)} place(s):\n" + "\n".join(
        found[:20]
    )
    return answers[stage]


def test_row_counts_per_table(request, engine, answers, reference) -> None:
    counts = check_stage(request, engine, "counts", answers, reference)
    assert counts["source_records"] > CUSTOMERS and counts["feedback_insights"] > 0


def test_customers_after_resolve(request, engine, answers, reference) -> None:
    customers = check_stage(request, engine, "customers", answers, reference)
    merged = [c for c in customers["sizes"] if c["records"] > 1]
    assert len(customers["sizes"]) < answers["counts"]["source_records"] and merged


def test_kpi_values_with_intervals(request, engine, answers, reference) -> None:
    kpis = check_stage(request, engine, "kpis", answers, reference)
    nps = kpis["nps"]["results"][0]
    assert nps["n"] > 0 and nps["ci_low"] < nps["value"] < nps["ci_high"]
    assert len(kpis["nps_by_team"]["results"]) > 1 and len(kpis["csat_by_month"]["results"]) > 1


def test_segment_sizes(request, engine, answers, reference) -> None:
    segments = check_stage(request, engine, "segments", answers, reference)
    sizes = {row["segment_id"]: row["rows"] for row in segments}
    assert answers["demo_segments"] and sum(sizes.values()) > 0


def test_journey_figures(request, engine, answers, reference) -> None:
    journeys = check_stage(request, engine, "journeys", answers, reference)
    assert journeys["paths"] and journeys["moments_of_truth"] and journeys["customers"] > 0


def test_driver_coefficients(request, engine, answers, reference) -> None:
    drivers = check_stage(request, engine, "drivers", answers, reference)
    assert drivers["nps"]["drivers"] and drivers["churn"]["drivers"]


def test_value_chain_cells_and_paths(request, engine, answers, reference) -> None:
    chain = check_stage(request, engine, "value_chain", answers, reference)
    assert len(chain["cells"]) > 10 and "paths" in chain["fit"]["fit"]


def test_case_counts(request, engine, answers, reference) -> None:
    cases = check_stage(request, engine, "cases", answers, reference)
    check_stage(request, engine, "case_events", answers, reference)
    assert sum(row["rows"] for row in cases) == answers["counts"]["cases"] > 0


def test_every_dashboard_page_renders(request, engine, answers, reference) -> None:
    pages = check_stage(request, engine, "pages", answers, reference)
    assert len(pages) > 10 and set(pages.values()) == {200}


def test_erasure_leaves_no_row_that_names_the_customer(request, engine, answers, reference) -> None:
    erasure = check_stage(request, engine, "erasure", answers, reference)
    assert erasure["rows"]["customers"] == 1 and erasure["rows"]["feedback"] > 0
    assert erasure["rows_left"] == {} and erasure["references_left"] == []


def test_serve_takes_collector_traffic(request, engine, answers, reference) -> None:
    served = check_stage(request, engine, "serve", answers, reference)
    assert served["healthz"]["status"] == "ok" and served["login_status"] == 200
    assert served["batch_status"] == 200 and served["events_stored"] == SERVED_EVENTS
    assert served["exit_code"] == 0
