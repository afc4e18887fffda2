"""The whole loop on a Spark warehouse gives DuckDB's answers on the same tiny demo company:
import, resolve (Splink on Spark), text analysis, CLV, churn, segments, KPIs, journeys and
the closed loop."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.demo.loading import DemoResult, run_demo
from spark_engine import SPARK_MARKS, spark_warehouse

pytestmark = [*SPARK_MARKS, pytest.mark.slow]

CUSTOMERS, SEED = 50, 3
#: tables whose row counts must agree (audit rows, model ids and timings may differ)
COMPARED_TABLES = (
    "source_records", "identities", "customers", "events", "orders", "feedback",
    "feedback_insights", "survey_responses", "employees", "employee_pulses", "teams",
    "segment_members", "customer_clv", "customer_churn", "cases",
)  # fmt: skip
runner = CliRunner()


def _build(project: Path, warehouse: str) -> DemoResult:
    project.mkdir()
    (project / "cxloop.toml").write_text(f'warehouse = "{warehouse}"\n', encoding="utf-8")
    return run_demo(Settings.load(project=project), customers=CUSTOMERS, seed=SEED)


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, DemoResult]]:
    root = tmp_path_factory.mktemp("spark-pipeline")
    duck = root / "duckdb"
    built = {"duckdb": (duck, _build(duck, f"duckdb:///{root / 'duck.duckdb'}"))}
    with spark_warehouse(root) as url:
        spark = root / "spark"
        built["spark"] = (spark, _build(spark, url))
    return built


def _cli(project: Path, *args: str) -> Any:
    result = runner.invoke(app, ["--project", str(project), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_demo_loads_and_resolves_alike(demos: dict[str, tuple[Path, DemoResult]]) -> None:
    duck, spark = demos["duckdb"][1], demos["spark"][1]
    for table in COMPARED_TABLES:
        assert spark.tables.get(table) == duck.tables.get(table), table
    assert spark.resolved is not None and duck.resolved is not None
    assert spark.resolved.customers == duck.resolved.customers
    assert spark.resolved.links == duck.resolved.links
    assert spark.segments == duck.segments


def test_text_insights_agree(demos: dict[str, tuple[Path, DemoResult]]) -> None:
    duck, spark = demos["duckdb"][1], demos["spark"][1]
    assert spark.text is not None and duck.text is not None
    assert spark.text.model_dump(exclude={"seconds"}) == duck.text.model_dump(exclude={"seconds"})


@pytest.mark.parametrize(
    ("command", "compared"),
    [
        (("kpi", "nps"), None),
        (("kpi", "csat", "--by", "touchpoint"), None),
        # counts only: Spark's quantiles of the time between steps are approximate
        pytest.param(
            ("journeys",),
            ("journeys", "customers", "paths", "nodes"),
            marks=pytest.mark.xfail(
                strict=True,
                reason="on Spark a journey's last step has a next touchpoint that is not "
                "null (it reads back as NaN), so no journey 'ends': drop-off, links and "
                "transitions differ from DuckDB's; journeys, customers and paths agree "
                "(issue 11, open)",
            ),
        ),
    ],
)
def test_analyses_agree(
    demos: dict[str, tuple[Path, DemoResult]],
    command: tuple[str, ...],
    compared: tuple[str, ...] | None,
) -> None:
    on_duck = _cli(demos["duckdb"][0], *command)
    on_spark = _cli(demos["spark"][0], *command)
    if compared is not None:  # rows of equal rank may come in either order
        on_duck = {key: _unordered(on_duck[key]) for key in compared}
        on_spark = {key: _unordered(on_spark[key]) for key in compared}
    assert json.dumps(_rounded(on_spark), sort_keys=True) == json.dumps(
        _rounded(on_duck), sort_keys=True
    )


def _unordered(value: Any) -> Any:
    if isinstance(value, list):
        return sorted((_rounded(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _rounded(value: Any) -> Any:
    """Floats to 9 significant digits: engines sum in different orders."""
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
